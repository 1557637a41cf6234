#!/usr/bin/env python3
"""RTK's CPU Joseph forward projector and Joseph backprojector, timed on the W3 cone geometry (256^3,
360 views of 384x512) or on W1 (RTK has no 2D path: a 3-slice/3-row slab of W1, as the shared peer
scripts do). One "iteration" of SIRT-type methods is one forward plus one back projection.

Usage: peer_rtk_projectors.py --workload w1|w3 --data DIR --threads 2 [--reps 1] --results FILE.jsonl
Appends one JSON line: forward_s, back_s (medians), walls, threads.
"""
import argparse, json, os, statistics, time

ap = argparse.ArgumentParser()
ap.add_argument('--workload', choices=['w1', 'w3'], required=True)
ap.add_argument('--data', required=True)
ap.add_argument('--threads', type=int, default=2)
ap.add_argument('--reps', type=int, default=1)
ap.add_argument('--results', required=True)
a = ap.parse_args()
os.environ['ITK_GLOBAL_DEFAULT_NUMBER_OF_THREADS'] = str(a.threads)

import numpy as np  # noqa: E402
import itk  # noqa: E402
from itk import RTK as rtk  # noqa: E402

itk.MultiThreaderBase.SetGlobalDefaultNumberOfThreads(a.threads)
itk.MultiThreaderBase.SetGlobalMaximumNumberOfThreads(a.threads)
Image = itk.Image[itk.F, 3]


def image(array, spacing, origin):
    img = itk.image_from_array(np.ascontiguousarray(array, np.float32))
    img.SetSpacing(spacing)
    img.SetOrigin(origin)
    return img


if a.workload == 'w3':
    geo_json = json.load(open(os.path.join(a.data, 'w3_cone', 'geometry.json')))
    n, d = 256, 0.75
    nviews, rows, cols = geo_json['nviews'], geo_json['nrows'], geo_json['ncols']
    du, dv = geo_json['col_mm'], geo_json['row_mm']
    volume = np.fromfile(os.path.join(a.data, 'w3_cone', 'truth_256.f32'), np.float32).reshape(n, n, n)
    geometry = rtk.ThreeDCircularProjectionGeometry.New()
    for k in range(nviews):
        geometry.AddProjection(geo_json['source_iso_mm'], geo_json['source_det_mm'], k * 360.0 / nviews)
    vol_shape, vol_spacing = (n, n, n), [d, d, d]
    vol_origin = [-(n - 1) / 2 * d] * 3
else:
    n, d, nviews, rows, cols, du, dv = 512, 1.0, 720, 3, 729, 1.0, 1.0
    truth = np.fromfile(os.path.join(a.data, 'w1_parallel', 'truth_512x512.f32'), np.float32).reshape(n, n)
    volume = np.repeat(truth[::-1, :][:, None, :], 3, axis=1)   # RTK frame [Z][Y][X]: a 3-slice slab
    geometry = rtk.ThreeDCircularProjectionGeometry.New()
    for k in range(nviews):
        geometry.AddProjection(1000.0, 0.0, k * 180.0 / nviews)   # SDD = 0: parallel beam
    vol_shape, vol_spacing, vol_origin = volume.shape, [1.0, 1.0, 1.0], [-255.5, -1.0, -255.5]

vol_img = image(volume, vol_spacing, vol_origin)
proj_origin = [-(cols - 1) / 2 * du, -(rows - 1) / 2 * dv, 0.0]


def forward():
    empty = image(np.zeros((nviews, rows, cols), np.float32), [du, dv, 1.0], proj_origin)
    fp = rtk.JosephForwardProjectionImageFilter[Image, Image].New()
    fp.SetInput(0, empty)
    fp.SetInput(1, vol_img)
    fp.SetGeometry(geometry)
    fp.Update()
    return fp.GetOutput()


def back(projections):
    empty = image(np.zeros(vol_shape, np.float32), vol_spacing, vol_origin)
    bp = rtk.JosephBackProjectionImageFilter[Image, Image].New()
    bp.SetInput(0, empty)
    bp.SetInput(1, projections)
    bp.SetGeometry(geometry)
    bp.Update()
    return bp.GetOutput()


fw, bw = [], []
for _ in range(a.reps):
    t = time.perf_counter()
    p = forward()
    fw.append(time.perf_counter() - t)
    t = time.perf_counter()
    back(p)
    bw.append(time.perf_counter() - t)
rec = dict(peer='rtk-2.7.0 (itk 5.4.7)', workload=a.workload.upper() + '-fp+bp', variant='Joseph FP + Joseph BP',
           threads=a.threads, forward_s=statistics.median(fw), back_s=statistics.median(bw),
           median_s=statistics.median([f + b for f, b in zip(fw, bw)]), walls=[round(f + b, 4) for f, b in zip(fw, bw)],
           when=time.strftime('%Y-%m-%dT%H:%M:%S'))
with open(a.results, 'a') as f:
    f.write(json.dumps(rec) + '\n')
print(json.dumps(rec), flush=True)
