#!/usr/bin/env python3
"""A trained counterpart of the unet2d reference model, for judging bf16 segmentation masks on a network whose
decisions have real margins (the reference models have random weights, so 3 % of their voxels sit within 0.01
of a class boundary).

Same architecture as ../shared/workloads/inference/models.py UNet2d (32-64-128-256-512, BN+ReLU, 3-class softmax),
trained with PyTorch on CPU to segment synthetic CT-like slices: class 0 outside the body, 1 body, 2 bright
inclusions. Exports model.onnx (1x1x512x512), a held-out input and its labels into OUT.

usage: train_unet2d_phantom.py OUT [--steps 300] [--seed 7]
"""
import argparse
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "workloads", "inference"))
import models  # noqa: E402  (the shared architecture definitions)


def slice_with_labels(size, rng):
    """A noisy slice (standardised) and its labels: a body ellipse with darker and brighter inclusions."""
    y, x = np.meshgrid(np.linspace(-1, 1, size), np.linspace(-1, 1, size), indexing="ij")
    a, b = rng.uniform(0.7, 0.95, 2)
    body = (x / a) ** 2 + (y / b) ** 2 <= 1
    image = np.where(body, 0.3, 0.0)
    labels = body.astype(np.int64)
    for _ in range(rng.integers(4, 12)):
        cx, cy = rng.uniform(-0.55, 0.55, 2)
        rx, ry = rng.uniform(0.04, 0.25, 2)
        inside = (((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1) & body
        value = rng.uniform(-0.4, 1.0)
        image[inside] += value
        if value > 0.25:
            labels[inside] = 2
    image = image + rng.normal(0, 0.1, image.shape)
    image = (image - image.mean()) / image.std()
    return image.astype(np.float32), labels


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)
    net = models.UNet2d()
    optimiser = torch.optim.Adam(net.parameters(), lr=2e-3)
    net.train()
    for step in range(a.steps):
        batch = [slice_with_labels(128, rng) for _ in range(4)]
        x = torch.from_numpy(np.stack([b[0] for b in batch])[:, None])
        y = torch.from_numpy(np.stack([b[1] for b in batch]))
        loss = F.nll_loss(torch.log(net(x) + 1e-7), y)  # the net ends in a softmax
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        if step % 50 == 0 or step == a.steps - 1:
            print(f"step {step} loss {loss.item():.4f}", flush=True)
    net.eval()
    image, labels = slice_with_labels(512, np.random.default_rng(a.seed + 1000))
    x = torch.from_numpy(image[None, None])
    with torch.no_grad():
        probabilities = net(x)[0].numpy()
    accuracy = float((probabilities.argmax(0) == labels).mean())
    print(f"held-out 512x512 pixel accuracy (torch fp32): {accuracy:.4f}")
    torch.onnx.export(net, x, os.path.join(a.out, "model.onnx"), input_names=["x"], output_names=["y"], opset_version=17, dynamo=False)
    image.tofile(os.path.join(a.out, "input.bin"))
    labels.astype(np.uint8).tofile(os.path.join(a.out, "labels.u8"))


if __name__ == "__main__":
    main()
