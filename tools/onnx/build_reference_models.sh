#!/usr/bin/env bash
# Builds the inference benchmark/conformance models (dncnn2d, unet2d, unet3d; ../shared/workloads/inference/gen_models.py,
# fixed seed) with their fixed inputs, float64 reference outputs and ONNX Runtime outputs, into OUT (default
# .build/inference-models). Development and bench time only: a throw-away venv with the CPU torch wheel from
# pip's local find-links (installed by file: a plain `pip install torch` would pull the CUDA build), onnx,
# onnxscript and onnxruntime.  usage: tools/onnx/build_reference_models.sh [OUT] [--only dncnn2d,unet2d]
set -euo pipefail
out=${1:-.build/inference-models}; shift || true
venv=.build/infer-venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import torch, onnx, onnxruntime, onnxscript" 2>/dev/null; then
  python3 -m venv "$venv"
  wheel=$(ls /opt/wheels/torch-*+cpu-*.whl 2>/dev/null | head -1)
  [ -n "$wheel" ] || { echo "no CPU torch wheel in /opt/wheels"; exit 1; }
  "$venv/bin/pip" install -q "$wheel" onnx==1.23.2 onnxscript onnxruntime numpy
fi
"$venv/bin/python" ../shared/workloads/inference/gen_models.py --out "$out" "$@"
