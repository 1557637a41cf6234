#!/usr/bin/env python3
"""Trains the low-dose CT denoiser shipped in Models/ (ct-denoise-2.5d.onnx) on phantom studies rendered by
`hepatix phantom`, and measures it on held-out seeds.

Data recipe (all from the repo's own phantom, seeds disjoint from the test seeds 1-20):
  * inputs: training seeds 101-130 rendered with image-domain noise at 25, 33, 50, 25, 33, 100 % dose (cycled by seed), and
    seeds 101-112 scanned in fan beam and reconstructed by FBP at 25 / 33 % dose (the real noise texture);
  * target: the same seed rendered noise-free (the limit of full dose: the phantom gives it exactly, where a
    clinical data set would give a full-dose scan with its own noise);
  * samples: 12 axial positions per phase and study (6 through lesions, 6 anywhere); each sample is the slice and
    its two neighbours (2.5D input: noise is independent between slices, anatomy is not), the target is the middle
    slice; training patches are centred on a lesion (1/3), in the liver (1/2) or anywhere in the body.
Network: residual DnCNN without batch norm, 3 -> 32 -> ... -> 1 channels, 3x3 convolutions, ReLU, `--depth` layers;
output = middle slice - predicted noise. The HU scaling (1/100 in, 100 out) is folded into the first and last
convolutions at export, so the ONNX model maps HU to HU: input [1, 3, H, W], output [1, 1, H, W], H and W free.
Validation (seeds 201-203, 33 % dose, image-domain and FBP): noise SD in the liver, RMSE against the noise-free
image in the liver, and lesion contrast (mean lesion - mean liver) kept, written to OUT/metrics.json.

--joint trains the experimental multiphase denoiser (ct-denoise-4phase-2.5d.onnx; not shipped: see Models/README.md)
instead: the four phases registered onto the portal venous frame (`hepatix phantom --registered`: moved back by their
true misregistration, as the pipeline's registration resamples them) go in together, [1, 12, H, W] = (unenhanced, arterial, portal, delayed) x (z-1, z, z+1),
and come out together, [1, 4, H, W]. A lesion's outline is the same in every phase while the noise is independent, so
the network can keep faint lesion edges that a single noisy phase does not show. Samples: 24 axial positions per
study (12 through lesions), each with all four phases.

usage: train_denoiser.py --hepatix .build/release/hepatix --out Models [--work /tmp/denoise-data] [--steps 2500]
                         [--lesion-weight 1] [--fixture Tests/Fixtures/denoise] [--joint]
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from phantom_data import load, render, triplet  # noqa: E402  (shared with the other training script)

PHASES = ["pre", "arterial", "portal", "delayed"]
SCALE = 100.0  # HU per network unit
IMAGE_DOSES = [0.25, 0.33, 0.5, 0.25, 0.33, 1.0]


class Denoiser(nn.Module):
    """Residual 2.5D DnCNN over `phases` phases given as slice triplets: each middle slice minus its predicted noise."""

    def __init__(self, depth, width, phases=1):
        super().__init__()
        layers = [nn.Conv2d(3 * phases, width, 3, padding=1), nn.ReLU()]
        for _ in range(depth - 2):
            layers += [nn.Conv2d(width, width, 3, padding=1), nn.ReLU()]
        layers += [nn.Conv2d(width, phases, 3, padding=1)]
        self.body = nn.Sequential(*layers)

    def forward(self, x):
        return x[:, 1::3] - self.body(x)


def study_folders(hepatix, work, seed, acquisition, dose, joint):
    """The noise-free and the noisy rendering of one study (registered onto the portal venous frame when `joint`)."""
    tag = "-reg" if joint else ""
    clean = render(hepatix, seed, f"{work}/clean-{seed}{tag}", noise_free=True, registered=joint)
    noisy = render(hepatix, seed, f"{work}/{acquisition}-{dose}-{seed}{tag}", dose=dose, acquisition=acquisition, registered=joint)
    return clean, noisy


def network_input(phases, z):
    """The input of slice z: each phase's triplet, phases in order, as [3 * len(phases), y, x] (scaled)."""
    return np.concatenate([triplet(v, z) for v in phases]) / SCALE


def build_samples(hepatix, work, seeds, rng, joint):
    """Inputs and targets (scaled HU) with each sample's liver and lesion masks, from every training study: half of
    the slices through lesions (lesions are rare; a network that seldom sees one learns to smooth it away), half
    anywhere; per phase 12 slices, or 24 slices with all four phases when `joint`."""
    inputs, targets, livers, lesions = [], [], [], []
    studies = [(seed, "image", IMAGE_DOSES[(seed - seeds[0]) % len(IMAGE_DOSES)]) for seed in seeds]
    studies += [(seed, "fbp", 0.25 if seed % 2 else 0.33) for seed in seeds[:12]]
    for seed, acquisition, dose in studies:
        clean, noisy = study_folders(hepatix, work, seed, acquisition, dose, joint)
        liver = load(clean, "truth-liver.nii.gz") > 0.5
        lesion = load(clean, "truth-lesions.nii.gz") > 0.5
        with_lesion = np.flatnonzero(lesion.any(axis=(1, 2)))
        groups = [PHASES] if joint else [[phase] for phase in PHASES]
        count = 24 if joint else 12
        for group in groups:
            xs = [load(noisy, f"phase-{phase}.nii") for phase in group]
            ys = [load(clean, f"phase-{phase}.nii") for phase in group]
            picks = list(rng.choice(with_lesion, min(count // 2, len(with_lesion)), replace=False))
            picks += list(rng.choice(np.setdiff1d(np.arange(xs[0].shape[0]), picks), count - len(picks), replace=False))
            for z in picks:
                inputs.append(network_input(xs, z))
                targets.append(np.stack([y[z] for y in ys]) / SCALE)
                livers.append(liver[z])
                lesions.append(lesion[z])
        print(f"  seed {seed} {acquisition} {dose}: {len(inputs)} samples", flush=True)
    return np.stack(inputs).astype(np.float32), np.stack(targets).astype(np.float32), np.stack(livers), np.stack(lesions)


def lesion_weights(lesions, weight):
    """Per-pixel loss weights: `weight` on lesions and a 2-pixel ring around them (the edge is where smoothing eats
    contrast), 1 elsewhere. Plain MSE learns to flatten low-contrast lesions, which the detector then misses."""
    grown = lesions.copy()
    for _ in range(2):
        g = grown.copy()
        g[:, 1:] |= grown[:, :-1]; g[:, :-1] |= grown[:, 1:]
        g[:, :, 1:] |= grown[:, :, :-1]; g[:, :, :-1] |= grown[:, :, 1:]
        grown = g
    return np.where(grown, np.float32(weight), np.float32(1))


def batch(inputs, targets, livers, lesions, weights, size, patch, rng):
    """Random patches (with their loss weights): a third centred on a lesion, half in the liver, the rest anywhere
    in the body (each falls back to the next when the slice has none)."""
    xs, ys, ws = [], [], []
    h, w = inputs.shape[2:]
    for _ in range(size):
        n = rng.integers(len(inputs))
        u = rng.random()
        if u < 1 / 3 and lesions[n].any():
            where = np.argwhere(lesions[n])
        elif u < 5 / 6 and livers[n].any():
            where = np.argwhere(livers[n])
        else:
            where = np.argwhere(targets[n].max(axis=0) > -5)
        cy, cx = where[rng.integers(len(where))]
        y0 = int(np.clip(cy - patch // 2, 0, h - patch))
        x0 = int(np.clip(cx - patch // 2, 0, w - patch))
        xs.append(inputs[n, :, y0:y0 + patch, x0:x0 + patch])
        ys.append(targets[n, :, y0:y0 + patch, x0:x0 + patch])
        ws.append(weights[n, y0:y0 + patch, x0:x0 + patch])
    return torch.from_numpy(np.stack(xs)), torch.from_numpy(np.stack(ys)), torch.from_numpy(np.stack(ws))[:, None]


def export(model, path):
    """ONNX in HU: the 1/SCALE input scaling folded into the first convolution, the SCALE output scaling into the last."""
    convs = [m for m in model.body if isinstance(m, nn.Conv2d)]
    with torch.no_grad():
        convs[0].weight /= SCALE
        convs[-1].weight *= SCALE
        convs[-1].bias *= SCALE
    model.eval()
    dummy = torch.zeros(1, convs[0].in_channels, 64, 64)
    torch.onnx.export(model, dummy, path, input_names=["slices"], output_names=["denoised"], opset_version=17,
                      dynamic_axes={"slices": {2: "height", 3: "width"}, "denoised": {2: "height", 3: "width"}},
                      dynamo=False)
    with torch.no_grad():
        convs[0].weight *= SCALE
        convs[-1].weight /= SCALE
        convs[-1].bias /= SCALE


def denoise_volumes(model, volumes):
    """Every slice of [z, y, x] HU volumes (one, or the four phases of a joint model) through the network, in HU."""
    outs = [np.empty_like(v) for v in volumes]
    with torch.no_grad():
        for z in range(volumes[0].shape[0]):
            y = model(torch.from_numpy(network_input(volumes, z)[None].astype(np.float32)))[0].numpy() * SCALE
            for out, slice_ in zip(outs, y):
                out[z] = slice_
    return outs


def write_fixture(model, work, folder, joint):
    """A 96 x 96 crop of held-out seed 201 (33 % dose, slices 39-41; portal venous, or all four registered phases when
    `joint`) and the PyTorch output for it, as raw float32 (`slices.f32` [1, 3P, 96, 96] and `denoised.f32`
    [1, P, 96, 96], HU): the peer our engine is checked against."""
    os.makedirs(folder, exist_ok=True)
    group = PHASES if joint else ["portal"]
    noisy = f"{work}/image-0.33-201" + ("-reg" if joint else "")
    crop = np.ascontiguousarray(network_input([load(noisy, f"phase-{p}.nii") for p in group], 40)[None, :, 100:196, 60:156] * SCALE)
    with torch.no_grad():
        y = model(torch.from_numpy(crop / SCALE)).numpy() * SCALE
    crop.astype("<f4").tofile(os.path.join(folder, "slices.f32"))
    y.astype("<f4").tofile(os.path.join(folder, "denoised.f32"))


def validate(hepatix, work, model, seeds, joint):
    """Liver noise, RMSE against noise-free and lesion contrast kept (portal venous phase), before and after
    denoising, per acquisition."""
    metrics = {}
    for acquisition in ["image", "fbp"]:
        rows = []
        for seed in seeds:
            clean, noisy = study_folders(hepatix, work, seed, acquisition, 0.33, joint)
            liver = load(clean, "truth-liver.nii.gz") > 0.5
            lesions = load(clean, "truth-lesions.nii.gz").astype(int)
            parenchyma = liver & (lesions == 0)
            group = PHASES if joint else ["portal"]
            y = load(clean, "phase-portal.nii")
            xs = [load(noisy, f"phase-{p}.nii") for p in group]
            x = xs[group.index("portal")]
            d = denoise_volumes(model, xs)[group.index("portal")]
            row = {}
            for name, v in [("input", x), ("denoised", d)]:
                residual = (v - y)[parenchyma]
                contrasts = []
                for n in range(1, lesions.max() + 1):
                    inside = (lesions == n) & liver
                    if inside.sum() >= 30:
                        truth = y[inside].mean() - y[parenchyma].mean()
                        contrasts.append((v[inside].mean() - v[parenchyma].mean()) / truth if abs(truth) > 5 else 1.0)
                row[name] = {"liver_noise_sd_hu": float(residual.std()), "liver_rmse_hu": float(np.sqrt((residual ** 2).mean())),
                             "lesion_contrast_kept": float(np.median(contrasts))}
            rows.append(row)
        metrics[acquisition] = {stage: {key: float(np.mean([r[stage][key] for r in rows])) for key in rows[0][stage]} for stage in rows[0]}
        print(f"  {acquisition} 33 %: {metrics[acquisition]}", flush=True)
    return metrics


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hepatix", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--work", default="/tmp/denoise-data")
    ap.add_argument("--fixture", default="Tests/Fixtures/denoise", help="where the PyTorch reference crop goes")
    ap.add_argument("--steps", type=int, default=2500)
    ap.add_argument("--depth", type=int, default=7)
    ap.add_argument("--width", type=int, default=32)
    ap.add_argument("--patch", type=int, default=64)
    ap.add_argument("--batch", type=int, default=24)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--lesion-weight", type=float, default=1.0, help="loss weight on lesions and their edge")
    ap.add_argument("--joint", action="store_true", help="the multiphase denoiser (four registered phases in and out)")
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)
    os.makedirs(a.out, exist_ok=True)
    start = time.time()
    print("rendering and sampling training studies", flush=True)
    inputs, targets, livers, lesions = build_samples(a.hepatix, a.work, list(range(101, 131)), rng, a.joint)
    data_seconds = time.time() - start
    model = Denoiser(a.depth, a.width, len(PHASES) if a.joint else 1)
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=1e-3, total_steps=a.steps, pct_start=0.05)
    weights = lesion_weights(lesions, a.lesion_weight)
    running = None
    for step in range(a.steps):
        x, y, w = batch(inputs, targets, livers, lesions, weights, a.batch, a.patch, rng)
        loss = (w * (model(x) - y) ** 2).sum() / w.sum()
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        schedule.step()
        running = loss.item() if running is None else 0.98 * running + 0.02 * loss.item()
        if step % 100 == 0 or step == a.steps - 1:
            print(f"  step {step}: loss {running:.5f} (RMSE {np.sqrt(running) * SCALE:.2f} HU), {time.time() - start:.0f} s", flush=True)
    train_seconds = time.time() - start - data_seconds
    name = "ct-denoise-4phase-2.5d" if a.joint else "ct-denoise-2.5d"
    torch.save(model.state_dict(), os.path.join(a.work, f"{name}.pt"))
    print("validating on seeds 201-203", flush=True)
    metrics = validate(a.hepatix, a.work, model, [201, 202, 203], a.joint)
    write_fixture(model, a.work, a.fixture, a.joint)
    path = os.path.join(a.out, f"{name}.onnx")
    export(model, path)
    parameters = sum(p.numel() for p in model.parameters())
    summary = {"model": os.path.basename(path), "depth": a.depth, "width": a.width, "parameters": parameters,
               "flops_per_pixel": 2 * parameters, "steps": a.steps, "batch": a.batch, "patch": a.patch,
               "lesion_weight": a.lesion_weight, "joint_phases": PHASES if a.joint else None, "samples": len(inputs),
               "final_training_rmse_hu": float(np.sqrt(running) * SCALE), "data_seconds": round(data_seconds),
               "training_seconds": round(train_seconds), "torch": torch.__version__, "validation_33_percent_dose": metrics}
    with open(os.path.join(a.out, f"{name}.json"), "w") as f:
        json.dump(summary, f, indent=2)
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
