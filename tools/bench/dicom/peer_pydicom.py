#!/usr/bin/env python3
"""pydicom peer for the DICOM read benchmark: the same job as `hepatix dicom load` - read every file
of a folder, sort the slices along the normal, stack them and rescale to float32 HU - REPEATS times in
one process. Prints one JSON line: times in ms and the voxel sum (to check both read the same)."""
import glob, json, sys, time

import numpy as np
import pydicom


def load(files):
    datasets = [pydicom.dcmread(f) for f in files]
    iop = np.array(datasets[0].ImageOrientationPatient, float)
    normal = np.cross(iop[:3], iop[3:])
    datasets.sort(key=lambda d: float(np.dot(np.array(d.ImagePositionPatient, float), normal)))
    return np.stack([d.pixel_array.astype(np.float32) * float(d.RescaleSlope) + float(d.RescaleIntercept)
                     for d in datasets])


def main():
    folder, repeats = sys.argv[1], int(sys.argv[2])
    files = sorted(glob.glob(folder + '/**/*.dcm', recursive=True))
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        volume = load(files)
        times.append((time.perf_counter() - start) * 1000)
    print(json.dumps(dict(total_ms=times, size=list(volume.shape[::-1]), voxel_sum=float(volume.sum(dtype=np.float64)),
                          pydicom=pydicom.__version__)))


if __name__ == '__main__':
    main()
