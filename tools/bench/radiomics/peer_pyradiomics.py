#!/usr/bin/env python3
"""PyRadiomics' default extraction (Original image, bin width 25, 3D, the seven default classes) on the
synthetic liver CT, timed around RadiomicsFeatureExtractor.execute with image and mask already in
memory. Single thread, as PyRadiomics runs. Prints one JSON line per ROI.

Usage: peer_pyradiomics.py DATA_DIR REPEATS_TUMOUR REPEATS_LIVER
"""
import os
for name in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS', 'ITK_GLOBAL_DEFAULT_NUMBER_OF_THREADS'):
    os.environ[name] = '1'
import json, logging, statistics, sys, time  # noqa: E402
import numpy as np  # noqa: E402
import SimpleITK as sitk  # noqa: E402
import radiomics  # noqa: E402
from radiomics import featureextractor  # noqa: E402

radiomics.setVerbosity(logging.ERROR)
sitk.ProcessObject.SetGlobalDefaultNumberOfThreads(1)
data, reps = sys.argv[1], {'tumour': int(sys.argv[2]), 'liver': int(sys.argv[3])}
meta = json.load(open(os.path.join(data, 'synthetic_liver_ct.json')))
nx, ny, nz = meta['shape_xyz']
ct = np.fromfile(os.path.join(data, meta['ct_raw']), dtype='<i2').reshape(nz, ny, nx)
labels = np.fromfile(os.path.join(data, meta['labels_raw']), dtype=np.uint8).reshape(nz, ny, nx)
image = sitk.GetImageFromArray(ct)
image.SetSpacing(tuple(meta['spacing_mm_xyz']))
for roi, selection in (('tumour', labels == 2), ('liver', labels >= 1)):
    mask = sitk.GetImageFromArray(selection.astype(np.uint8))
    mask.CopyInformation(image)
    times, count = [], 0
    for _ in range(reps[roi]):
        extractor = featureextractor.RadiomicsFeatureExtractor()
        start = time.perf_counter()
        result = extractor.execute(image, mask)
        times.append(time.perf_counter() - start)
        count = sum(1 for k in result if not k.startswith('diagnostics_'))
    picked = {k: float(result[k]) for k in ('original_firstorder_Mean', 'original_firstorder_Median', 'original_shape_VoxelVolume',
                                            'original_glcm_JointEntropy', 'original_glrlm_RunLengthNonUniformity',
                                            'original_glszm_ZoneEntropy', 'original_ngtdm_Coarseness', 'original_gldm_DependenceEntropy')}
    print(json.dumps(dict(tool='pyradiomics ' + radiomics.__version__, roi=roi, voxels=int(selection.sum()),
                          features=count, values=picked, seconds=[round(t, 3) for t in times], median=round(statistics.median(times), 3))),
          flush=True)
