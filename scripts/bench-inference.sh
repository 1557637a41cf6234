#!/usr/bin/env bash
# `make bench`, inference part: builds the reference models once (tools/onnx/build_reference_models.sh: dncnn2d,
# unet2d, unet3d with float64 references), installs OpenVINO beside ONNX Runtime in that throw-away venv, and
# times Hepatix against both on the same inputs in the same run (tools/bench/bench_inference.py), then judges bf16
# masks on a trained U-Net (tools/bench/bf16_mask_agreement.py).
set -euo pipefail
source "$(dirname "$0")/bench-env.sh"
models="$data/inference-models"
for m in dncnn2d unet2d unet3d; do
  [ -f "$models/$m/ref_fp64.bin" ] || "$here/tools/onnx/build_reference_models.sh" "$models" --only "$m"
done
"$here/.build/infer-venv/bin/python" -c "import openvino" 2>/dev/null || "$here/.build/infer-venv/bin/pip" install -q openvino
# The machine's per-core peaks (the "% of peak" denominators), measured in the same run.
clang -O2 "$here/tools/calibrate/fma_peak_avx512.c" -o "$data/fma_peak_avx512"
peaks=$("$data/fma_peak_avx512")
echo "$peaks"
fma=$(echo "$peaks" | awk '/FMA peak/ {print $(NF-1)}')
bf16=$(echo "$peaks" | awk '/BF16/ {print $(NF-1)}')
"$here/.build/infer-venv/bin/python" "$here/tools/bench/bench_inference.py" --hepatix "$here/.build/release/hepatix" \
    --models "$models" --python "$here/.build/infer-venv/bin/python" --fma-peak "$fma" --bf16-peak "${bf16:-0}" "$@"
# bf16 masks on a trained U-Net (the reference models' random weights leave 3 % of voxels within 0.01 of a class
# boundary): trained once (~3 min on 2 cores), then Hepatix fp32/bf16 against OpenVINO bf16.
[ -f "$models/unet2d-trained/model.onnx" ] || "$here/.build/infer-venv/bin/python" "$here/tools/onnx/train_unet2d_phantom.py" "$models/unet2d-trained"
"$here/.build/infer-venv/bin/python" "$here/tools/bench/bf16_mask_agreement.py" --hepatix "$here/.build/release/hepatix" \
    --model-dir "$models/unet2d-trained" --python "$here/.build/infer-venv/bin/python"
