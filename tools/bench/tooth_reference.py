#!/usr/bin/env python3
"""Independent FBP of the tomopy-tooth data with the ASTRA Toolbox (CPU, parallel beam, linear
projector, Ram-Lak), following the recipe in ../shared/data/tomopy-tooth/README.md, and its agreement
with Hepatix's slices: Pearson correlation and NRMSE inside a circle of radius 0.95 x 320.

Usage: tooth_reference.py --data ../shared/data/tomopy-tooth --hepatix OUT.f32 [--centre C]
(C defaults to the centre in Hepatix's JSON sidecar; the documented centre is 296.0.)
"""
import argparse, json, os
import numpy as np
import astra

ap = argparse.ArgumentParser()
ap.add_argument('--data', required=True)
ap.add_argument('--hepatix', required=True)
ap.add_argument('--centre', type=float)
a = ap.parse_args()


def raw(name, dtype):
    meta = json.load(open(os.path.join(a.data, name + '.json')))
    return np.fromfile(os.path.join(a.data, name + '.raw'), dtype).reshape(meta['shape_c_order'])


proj, flats, darks = raw('projections_float32', np.float32), raw('flats_float32', np.float32), raw('darks_float32', np.float32)
angles = raw('angles_rad_float64', np.float64)
centre = a.centre if a.centre is not None else json.load(open(a.hepatix[:-4] + '.json'))['centre']
flat, dark = flats.mean(axis=0), darks.mean(axis=0)
sino = -np.log(np.maximum((proj - dark) / np.maximum(flat - dark, 1e-6), 1e-6)).astype(np.float32)  # [angle][row][col]
nang, nrows, ncols = sino.shape


def fourier_shift(rows, shift, pad=256):
    """Shift each row by `shift` columns (towards higher index) with a phase ramp on an edge-padded copy."""
    padded = np.pad(rows, ((0, 0), (pad, pad)), mode='edge').astype(np.float64)
    n = padded.shape[1]
    k = np.fft.rfftfreq(n) * n
    spectrum = np.fft.rfft(padded, axis=1) * np.exp(-2j * np.pi * k * shift / n)
    if n % 2 == 0:
        spectrum[:, -1] = spectrum[:, -1].real
    return np.fft.irfft(spectrum, n=n, axis=1)[:, pad:pad + rows.shape[1]].astype(np.float32)


ours = np.fromfile(a.hepatix, np.float32).reshape(nrows, ncols, ncols)
yy, xx = np.mgrid[0:ncols, 0:ncols]
inside = (xx - ncols / 2) ** 2 + (ncols / 2 - yy) ** 2 <= (0.95 * ncols / 2) ** 2
vol = astra.create_vol_geom(ncols, ncols, -ncols / 2 - 0.5, ncols / 2 - 0.5, -ncols / 2 + 0.5, ncols / 2 + 0.5)
report = dict(centre=centre, rows=[])
for r in range(nrows):
    centred = fourier_shift(sino[:, r, :], ncols / 2 - centre)          # axis now at column ncols/2
    centred = np.concatenate([centred, np.zeros((nang, 1), np.float32)], axis=1)  # 641 columns: axis at the centre
    pg = astra.create_proj_geom('parallel', 1.0, ncols + 1, angles)
    pid = astra.create_projector('linear', pg, vol)
    sid = astra.data2d.create('-sino', pg, centred)
    rid = astra.data2d.create('-vol', vol, 0)
    cfg = astra.astra_dict('FBP')
    cfg.update(ProjectorId=pid, ProjectionDataId=sid, ReconstructionDataId=rid, option=dict(FilterType='Ram-Lak'))
    aid = astra.algorithm.create(cfg)
    astra.algorithm.run(aid)
    ref = astra.data2d.get(rid)
    for i in (aid,):
        astra.algorithm.delete(i)
    astra.data2d.delete([sid, rid])
    astra.projector.delete(pid)
    x, y = ours[r][inside].astype(np.float64), ref[inside].astype(np.float64)
    corr = float(np.corrcoef(x, y)[0, 1])
    nrmse = float(np.sqrt(np.mean((x - y) ** 2)) / (y.max() - y.min()))
    report['rows'].append(dict(row=r, correlation=corr, nrmse_of_range=nrmse, hepatix_mean=float(x.mean()), astra_mean=float(y.mean())))
print(json.dumps(report, indent=1))
