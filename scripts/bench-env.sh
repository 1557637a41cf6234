# Sourced by the bench scripts: the repository, the shared folder next to it and the bench folder
# (BENCH_DATA, default $TMPDIR/hepatix-bench), created if missing.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared="$here/../shared"
data=${BENCH_DATA:-${TMPDIR:-/tmp}/hepatix-bench}
mkdir -p "$data"
