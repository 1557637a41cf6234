#!/usr/bin/env python3
"""`make bench`, inference part: bf16 segmentation masks on a *trained* 2D U-Net (tools/onnx/train_unet2d_phantom.py),
where class margins are real, unlike the random-weight reference models. Runs Hepatix at fp32 and bf16 and, when
installed, OpenVINO at bf16 and ONNX Runtime at fp32 on the held-out slice; prints each mask's agreement with Hepatix
fp32 and its pixel accuracy against the synthetic truth.

usage: bf16_mask_agreement.py --hepatix PATH --model-dir DIR --python VENV_PYTHON
"""
import argparse
import json
import os
import subprocess
import tempfile

import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hepatix", required=True)
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--python", required=True)
    a = ap.parse_args()
    model, image = os.path.join(a.model_dir, "model.onnx"), os.path.join(a.model_dir, "input.bin")
    truth = np.fromfile(os.path.join(a.model_dir, "labels.u8"), np.uint8)
    tmp = tempfile.mkdtemp(prefix="hepatix-bf16-masks-")
    outputs = {}
    for precision in ("fp32", "bf16"):
        out = os.path.join(tmp, f"hepatix-{precision}.bin")
        subprocess.run([a.hepatix, "infer", "--model", model, "--input", image, "--shape", "1,1,512,512", "--out", out,
                        "--threads", "2", "--precision", precision], check=True, capture_output=True)
        outputs[f"hepatix {precision}"] = out
    npy = os.path.join(tmp, "input.npy")
    np.save(npy, np.fromfile(image, np.float32).reshape(1, 1, 512, 512))
    peer = os.path.join(os.path.dirname(os.path.abspath(__file__)), "inference", "peer_runtime.py")
    for engine, precision in (("ort", "f32"), ("openvino", "bf16")):
        out = os.path.join(tmp, f"{engine}-{precision}.bin")
        p = subprocess.run([a.python, peer, engine, model, npy, "2", "1", out, precision], capture_output=True, text=True)
        if p.returncode == 0:
            outputs[f"{engine} {precision}"] = out
    labels = {k: np.fromfile(v, np.float32).reshape(3, -1).argmax(0) for k, v in outputs.items()}
    print("| trained unet2d engine | mask agreement with Hepatix fp32 | pixel accuracy vs truth |")
    print("|---|---|---|")
    for name, mask in labels.items():
        print(f"| {name} | {(mask == labels['hepatix fp32']).mean() * 100:.4f} % | {(mask == truth).mean() * 100:.2f} % |")
    print(json.dumps({k: float((m == labels["hepatix fp32"]).mean()) for k, m in labels.items()}))


if __name__ == "__main__":
    main()
