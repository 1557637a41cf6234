#!/usr/bin/env bash
# `make bench`, inference part: builds the reference models once (tools/onnx/build_reference_models.sh: dncnn2d,
# unet2d, unet3d with float64 references), installs OpenVINO beside ONNX Runtime in that throw-away venv, and
# times Hepatix against both on the same inputs in the same run (tools/bench/bench_inference.py).
set -euo pipefail
source "$(dirname "$0")/bench-env.sh"
models="$data/inference-models"
for m in dncnn2d unet2d unet3d; do
  [ -f "$models/$m/ref_fp64.bin" ] || "$here/tools/onnx/build_reference_models.sh" "$models" --only "$m"
done
"$here/.build/infer-venv/bin/python" -c "import openvino" 2>/dev/null || "$here/.build/infer-venv/bin/pip" install -q openvino
"$here/.build/infer-venv/bin/python" "$here/tools/bench/bench_inference.py" --hepatix "$here/.build/release/hepatix" \
    --models "$models" --python "$here/.build/infer-venv/bin/python" "$@"
