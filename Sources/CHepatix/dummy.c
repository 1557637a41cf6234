/* CHepatix exposes include/hepatix.h to Swift so that HepatixCAPI can implement it with
   @c @implementation; it has no code of its own. */
#include "hepatix.h"
