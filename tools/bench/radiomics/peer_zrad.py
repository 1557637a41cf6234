#!/usr/bin/env python3
"""Z-Rad (IBSI-complete) on the synthetic liver CT: intensity mask, crop, fixed bin size 25 anchored at
floor(min / 25) * 25 (PyRadiomics' anchor), direct IVH, all default families in 3D averaged. Times
preprocessing and extraction separately; single thread. Prints one JSON line per ROI.

Usage: peer_zrad.py DATA_DIR REPEATS_TUMOUR REPEATS_LIVER
"""
import os
for name in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS', 'NUMEXPR_NUM_THREADS'):
    os.environ[name] = '1'
import json, statistics, sys, time, warnings  # noqa: E402
import numpy as np  # noqa: E402
warnings.filterwarnings('ignore')
from zrad.image import Image  # noqa: E402
from zrad.preprocessing import IntensityMaskBuilder, IVHIntensityDiscretizer, RoiCropper, RoiData, TextureDiscretizer  # noqa: E402
from zrad.radiomics import Radiomics  # noqa: E402

data, reps = sys.argv[1], {'tumour': int(sys.argv[2]), 'liver': int(sys.argv[3])}
meta = json.load(open(os.path.join(data, 'synthetic_liver_ct.json')))
nx, ny, nz = meta['shape_xyz']
ct = np.fromfile(os.path.join(data, meta['ct_raw']), dtype='<i2').reshape(nz, ny, nx)
labels = np.fromfile(os.path.join(data, meta['labels_raw']), dtype=np.uint8).reshape(nz, ny, nx)
grid = dict(origin=(0.0, 0.0, 0.0), spacing=tuple(meta['spacing_mm_xyz']), direction=(1.0, 0, 0, 0, 1.0, 0, 0, 0, 1.0), shape=(nx, ny, nz))
image = Image(array=ct.astype(np.float64), **grid)
for roi, selection in (('tumour', labels == 2), ('liver', labels >= 1)):
    mask = Image(array=selection.astype(np.float64), **grid)
    prep, extract, count = [], [], 0
    for _ in range(reps[roi]):
        start = time.perf_counter()
        roi_data = RoiCropper().apply(IntensityMaskBuilder().apply(RoiData(image=image, morphological_mask=mask)))
        low = float(np.floor(np.nanmin(roi_data.intensity_mask.array) / 25.0) * 25.0)
        roi_data = RoiData(image=roi_data.image, morphological_mask=roi_data.morphological_mask,
                           intensity_mask=roi_data.intensity_mask, intensity_range=(low, np.inf))
        roi_data = IVHIntensityDiscretizer(method='direct').apply(TextureDiscretizer(bin_size=25).apply(roi_data))
        middle = time.perf_counter()
        features = Radiomics(aggr_dim='3D', aggr_method='AVER').extract_features(roi_data=roi_data)
        prep.append(middle - start)
        extract.append(time.perf_counter() - middle)
        count = len(features)
    print(json.dumps(dict(tool='z-rad', roi=roi, voxels=int(selection.sum()), features=count,
                          prep_seconds=[round(t, 3) for t in prep], seconds=[round(t, 3) for t in extract],
                          median=round(statistics.median(extract), 3), median_with_prep=round(statistics.median(
                              [a + b for a, b in zip(prep, extract)]), 3))), flush=True)
