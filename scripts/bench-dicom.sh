#!/usr/bin/env bash
# `make bench`, DICOM part: writes a 300-slice 512x512 CT series once (../shared/peers/dicom/gen_ct_series.py,
# pydicom) and times loading it with Hepatix and pydicom in the same run (tools/bench/bench_dicom.py).
set -euo pipefail
source "$(dirname "$0")/bench-env.sh"
make -s -C "$here" test-env
python="$here/.build/test-venv/bin/python"
series="$data/ct-300x512"
if [ ! -f "$series/.complete" ]; then
  rm -rf "$series"
  "$python" "$shared/peers/dicom/gen_ct_series.py" "$series" --rows 512 --slices 300 --thickness 1 --phases portal --no-truth
  touch "$series/.complete"
fi
"$python" "$here/tools/bench/bench_dicom.py" --hepatix "$here/.build/release/hepatix" --series "$series" --python "$python" --out "$data" "$@"
