#!/usr/bin/env python3
"""Trains the liver segmentation CNN of Hepatix's CNN path (ct-liver-seg-2.5d.onnx) on phantom studies rendered by
`hepatix phantom`, and measures it on held-out seeds.

Data recipe (the repo's own phantom, seeds disjoint from the test seeds 1-20 and the validation seeds 201-220):
  * inputs: every phase (unenhanced, late arterial, portal venous, delayed: one drawn per sample, so that the network
    does not depend on contrast timing) of training seeds 101-130 with image-domain noise at 100, 33, 50, 25 % dose
    (cycled by seed), on the phantom's grid (1.5 x 1.5 x 2.5 mm); each sample is an axial slice and its two neighbours
    (2.5D), in HU;
  * labels: the phantom's liver (`truth-liver.nii.gz`: parenchyma, vessels inside it and lesions; IVC excluded), on the
    portal venous grid (the other phases are shifted by a few mm: the label is then off by as much at the edge);
  * samples: 24 slices per study through the liver's z range plus 6 anywhere; training crops 160 x 160 with random
    position, HU gain 0.9-1.1 and offset -20..20 HU (scanners and contrast timing differ).
Network: 2D U-Net with 3 poolings, 16-32-64-128 channels, two 3x3 convolutions + batch norm + ReLU per level,
2x2 transposed convolutions up, 2 logits out (background, liver). The 1/100 HU scaling is a Mul in the graph.
Loss: cross entropy + soft Dice of the liver. The ONNX model maps [1, 3, H, W] HU to [1, 2, H, W] logits; H and W
must be multiples of 8 (Hepatix pads the patient's box).
Validation (seeds 221-223, full and 33 % dose, portal venous phase): Dice of the largest 3D component, written to
OUT/<name>.json.

usage: train_liver_segmenter.py --hepatix .build/release/hepatix --out Models [--work /tmp/liverseg-data] [--steps 1200]
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from phantom_data import load, render, triplet  # noqa: E402  (shared with the other training script)

DOSES = [1.0, 0.33, 0.5, 0.25]
NAME = "ct-liver-seg-2.5d"


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(),
                         nn.Conv2d(cout, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU())


class UNet(nn.Module):
    """Small 2.5D U-Net: HU in (`channels` slices, scaled by 1/100 inside), `classes` logits out."""

    def __init__(self, widths=(16, 32, 64, 128), channels=3, classes=2):
        super().__init__()
        self.down = nn.ModuleList()
        cin = channels
        for w in widths:
            self.down.append(block(cin, w))
            cin = w
        self.up = nn.ModuleList()
        self.merge = nn.ModuleList()
        for w in reversed(widths[:-1]):
            self.up.append(nn.ConvTranspose2d(cin, w, 2, stride=2))
            self.merge.append(block(2 * w, w))
            cin = w
        self.head = nn.Conv2d(cin, classes, 1)

    def forward(self, x):
        x = x * 0.01
        encoder_features = []
        for i, level in enumerate(self.down):
            x = level(x)
            if i < len(self.down) - 1:
                encoder_features.append(x)
                x = F.max_pool2d(x, 2)
        for up, merge in zip(self.up, self.merge):
            x = up(x)
            x = merge(torch.cat([x, encoder_features.pop()], dim=1))
        return self.head(x)


def build_samples(hepatix, work, seeds, rng):
    """Input triplets (HU) of a random phase and liver labels: 24 slices through the liver and 6 anywhere per study."""
    inputs, labels = [], []
    for seed in seeds:
        folder = render(hepatix, seed, os.path.join(work, f"seed{seed}"), DOSES[(seed - seeds[0]) % len(DOSES)])
        phases = [load(folder, f"phase-{name}.nii") for name in ("pre", "arterial", "portal", "delayed")]
        liver = load(folder, "truth-liver.nii.gz") > 0.5
        zs = np.flatnonzero(liver.any(axis=(1, 2)))
        chosen = list(rng.choice(zs, size=min(24, len(zs)), replace=False)) + list(rng.integers(0, liver.shape[0], 6))
        for z in chosen:
            inputs.append(triplet(phases[rng.integers(4)], z))
            labels.append(liver[z].astype(np.int64))
    return np.stack(inputs), np.stack(labels)


def batch(inputs, labels, rng, size, count):
    """Random crops with HU gain and offset."""
    n, _, h, w = inputs.shape
    xs, ys = [], []
    for _ in range(count):
        i = rng.integers(n)
        y0, x0 = rng.integers(0, h - size + 1), rng.integers(0, w - size + 1)
        crop = inputs[i, :, y0:y0 + size, x0:x0 + size] * rng.uniform(0.9, 1.1) + rng.uniform(-20, 20)
        xs.append(crop)
        ys.append(labels[i, y0:y0 + size, x0:x0 + size])
    return torch.from_numpy(np.stack(xs).astype(np.float32)), torch.from_numpy(np.stack(ys))


def loss_of(logits, target, class_weights=None):
    """Cross entropy (classes weighted by `class_weights` when given) + soft Dice of class 1."""
    probability = torch.softmax(logits, dim=1)[:, 1]
    liver = (target == 1).float()
    dice = (2 * (probability * liver).sum() + 1) / (probability.sum() + liver.sum() + 1)
    return F.cross_entropy(logits, target, weight=class_weights) + (1 - dice)


def largest_component(mask):
    """The largest 6-connected component of a 3D mask (scipy-free flood fill over labelled runs)."""
    from collections import deque
    labels = np.zeros(mask.shape, np.int32)
    best, best_size, current = 0, 0, 0
    for start in zip(*np.nonzero(mask)):
        if labels[start]:
            continue
        current += 1
        queue, size = deque([start]), 0
        labels[start] = current
        while queue:
            z, y, x = queue.popleft()
            size += 1
            for dz, dy, dx in ((1, 0, 0), (-1, 0, 0), (0, 1, 0), (0, -1, 0), (0, 0, 1), (0, 0, -1)):
                p = (z + dz, y + dy, x + dx)
                if all(0 <= p[a] < mask.shape[a] for a in range(3)) and mask[p] and not labels[p]:
                    labels[p] = current
                    queue.append(p)
        if size > best_size:
            best, best_size = current, size
    return labels == best


def segment_volume(net, portal):
    """Liver mask of a whole volume, slice by slice (padded to multiples of 8), largest component kept."""
    z, h, w = portal.shape
    ph, pw = (-h) % 8, (-w) % 8
    mask = np.zeros(portal.shape, bool)
    with torch.no_grad():
        for k in range(z):
            x = np.pad(triplet(portal, k), ((0, 0), (0, ph), (0, pw)), constant_values=-1000)
            logits = net(torch.from_numpy(x[None]))[0, :, :h, :w]
            mask[k] = (logits[1] > logits[0]).numpy()
    return largest_component(mask)


def dice(a, b):
    return 2 * np.logical_and(a, b).sum() / max(1, a.sum() + b.sum())


def arguments(work, steps, batch_size, crop, seed, lr):
    """The command line shared by the segmentation training scripts (defaults per script); extend before parsing."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--hepatix", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--work", default=work)
    ap.add_argument("--steps", type=int, default=steps)
    ap.add_argument("--batch", type=int, default=batch_size)
    ap.add_argument("--crop", type=int, default=crop)
    ap.add_argument("--seed", type=int, default=seed)
    ap.add_argument("--lr", type=float, default=lr)
    return ap


def fit(net, next_batch, steps, lr, loss, started):
    """Adam at `lr` with a cosine schedule over `steps` batches from `next_batch()`; leaves `net` in eval mode."""
    optimiser = torch.optim.Adam(net.parameters(), lr=lr)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, steps)
    net.train()
    for step in range(steps):
        x, y = next_batch()
        value = loss(net(x), y)
        optimiser.zero_grad()
        value.backward()
        optimiser.step()
        schedule.step()
        if step % 100 == 0 or step == steps - 1:
            print(f"step {step}: loss {value.item():.4f} ({time.time() - started:.0f} s)", flush=True)
    net.eval()


def main():
    a = arguments("/tmp/liverseg-data", steps=1200, batch_size=8, crop=160, seed=5, lr=2e-3).parse_args()
    os.makedirs(a.work, exist_ok=True)
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)
    started = time.time()
    inputs, labels = build_samples(a.hepatix, a.work, list(range(101, 131)), rng)
    print(f"{len(inputs)} samples in {time.time() - started:.0f} s", flush=True)
    net = UNet()
    fit(net, lambda: batch(inputs, labels, rng, a.crop, a.batch), a.steps, a.lr, loss_of, started)
    metrics = {"steps": a.steps, "batch": a.batch, "crop": a.crop, "seed": a.seed, "torch": torch.__version__,
               "training_seconds": round(time.time() - started), "validation_dice": {}}
    for seed in (221, 222, 223):
        for dose in (1.0, 0.33):
            folder = render(a.hepatix, seed, os.path.join(a.work, f"val{seed}-{dose}"), dose)
            found = segment_volume(net, load(folder, "phase-portal.nii"))
            metrics["validation_dice"][f"{seed}@{dose}"] = round(float(dice(found, load(folder, "truth-liver.nii.gz") > 0.5)), 4)
    export(net, 3, a.out, NAME, metrics)


def export(net, channels, out, name, metrics):
    """Prints `metrics`, writes OUT/<name>.onnx ([1, channels, H, W] in, logits out; H and W free) and OUT/<name>.json."""
    print(json.dumps(metrics, indent=1), flush=True)
    os.makedirs(out, exist_ok=True)
    torch.onnx.export(net, torch.zeros(1, channels, 64, 64), os.path.join(out, name + ".onnx"), input_names=["slices"],
                      output_names=["logits"], dynamic_axes={"slices": {2: "height", 3: "width"}, "logits": {2: "height", 3: "width"}},
                      opset_version=17, dynamo=False)
    with open(os.path.join(out, name + ".json"), "w") as f:
        json.dump(metrics, f, indent=1)


if __name__ == "__main__":
    main()
