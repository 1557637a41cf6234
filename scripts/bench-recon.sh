#!/usr/bin/env bash
# `make bench`: generates the shared workloads (once), installs the peers in a throwaway venv and
# plastimatch from Debian, and runs tools/bench/bench_recon.py. Set BENCH_DATA to reuse a folder.
set -euo pipefail
source "$(dirname "$0")/bench-env.sh"
venv="$data/venv"
scripts/install-deps.sh plastimatch python3-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q astra-toolbox itk-rtk numpy scipy matplotlib
fi
if [ ! -f "$data/w3_cone/truth_256.f32" ]; then
  "$venv/bin/python" "$shared/workloads/recon/gen_workloads.py" --out "$data"
fi
"$venv/bin/python" -c "import matplotlib" 2>/dev/null || "$venv/bin/pip" install -q matplotlib
"$venv/bin/python" "$here/tools/bench/bench_recon.py" --hepatix "$here/.build/release/hepatix" \
  --peers "$shared/peers/recon" --data "$data" --python "$venv/bin/python" "$@"
"$venv/bin/python" "$here/tools/bench/bench_iterative.py" --hepatix "$here/.build/release/hepatix" \
  --peers "$shared/peers/recon" --data "$data" --python "$venv/bin/python" --tooth "$shared/data/tomopy-tooth" "$@"
