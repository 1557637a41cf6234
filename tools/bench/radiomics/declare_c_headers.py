#!/usr/bin/env python3
"""Writes cmatrices.h and cshape.h for PyRadiomics' C sources (its 3.1.0 sdist omits them): the
prototypes of every non-static top-level function defined in cmatrices.c and cshape.c.
Usage: declare_c_headers.py RADIOMICS_SRC_DIR"""
import os, re, sys

folder = sys.argv[1]
for name in ('cmatrices', 'cshape'):
    source = open(os.path.join(folder, name + '.c')).read()
    prototypes = re.findall(r'^((?:int|void|double)\s+\w+\s*\([^)]*\))\s*\{', source, flags=re.M)
    with open(os.path.join(folder, name + '.h'), 'w') as f:
        f.write('#include <stddef.h>\n' + ''.join(' '.join(p.split()) + ';\n' for p in prototypes))
