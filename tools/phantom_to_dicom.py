#!/usr/bin/env python3
"""Writes the phases of a `hepatix phantom --extension nii` study as DICOM CT series, so that the liver pipeline
can be timed from DICOM on a study of any size (BENCHMARKS.md, "from DICOM to report").

Hepatix has no CT image writer of its own (it writes SEG, SR and secondary captures); this development-time tool
uses pydicom. Each phase-*.nii becomes one CT Image Storage series (16-bit signed, rescale slope 1, intercept 0)
with the phase in its Series Description; the NIfTI sform (RAS+) is turned back into DICOM patient coordinates (LPS).

usage: phantom_to_dicom.py PHANTOM_DIR OUT_DIR      (needs pydicom and numpy, e.g. the venv make test builds)
"""
import os
import struct
import sys

import numpy as np
import pydicom
from pydicom.dataset import FileDataset, FileMetaDataset
from pydicom.uid import CTImageStorage, ExplicitVRLittleEndian, generate_uid

PHASES = {"pre": (1, "unenhanced"), "arterial": (2, "late arterial"), "portal": (3, "portal venous"), "delayed": (4, "delayed")}
NIFTI_TYPES = {16: np.float32, 4: np.int16, 64: np.float64}


def read_nifti(path):
    """(voxels [z, y, x] float32, 4x4 RAS sform) of an uncompressed NIfTI-1 file."""
    with open(path, "rb") as f:
        header = f.read(348)
        dims = struct.unpack("<8h", header[40:56])
        datatype = struct.unpack("<h", header[70:72])[0]
        offset = int(struct.unpack("<f", header[108:112])[0])
        sform = np.array(struct.unpack("<12f", header[280:328]), dtype=np.float64).reshape(3, 4)
        if datatype not in NIFTI_TYPES:
            raise SystemExit(f"{path}: NIfTI datatype {datatype} not handled")
        nx, ny, nz = dims[1], dims[2], dims[3]
        f.seek(offset)
        voxels = np.frombuffer(f.read(), dtype=NIFTI_TYPES[datatype], count=nx * ny * nz)
    return voxels.reshape(nz, ny, nx).astype(np.float32), sform


def write_series(voxels, sform, out, number, description, study_uid):
    """One CT series: instance k is slice k, positions and orientation from the sform (RAS -> LPS)."""
    os.makedirs(out, exist_ok=True)
    flip = np.array([-1.0, -1.0, 1.0])
    row, column, normal = (sform[:, c] * flip for c in range(3))
    spacing = [float(np.linalg.norm(v)) for v in (row, column, normal)]
    orientation = list(row / spacing[0]) + list(column / spacing[1])
    series_uid = generate_uid()
    frame_uid = generate_uid()
    nz, ny, nx = voxels.shape
    pixels = np.clip(np.rint(voxels), -32768, 32767).astype(np.int16)
    for k in range(nz):
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = CTImageStorage
        meta.MediaStorageSOPInstanceUID = generate_uid()
        meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds = FileDataset(None, {}, file_meta=meta, preamble=b"\0" * 128)
        ds.SOPClassUID, ds.SOPInstanceUID = CTImageStorage, meta.MediaStorageSOPInstanceUID
        ds.PatientName, ds.PatientID, ds.PatientSex, ds.PatientBirthDate = "Phantom^Hepatix", "HX-PHANTOM", "O", ""
        ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.FrameOfReferenceUID = study_uid, series_uid, frame_uid
        ds.StudyID, ds.AccessionNumber, ds.StudyDate, ds.StudyTime = "1", "", "20261205", "120000"
        ds.ReferringPhysicianName = ""
        ds.Modality, ds.Manufacturer = "CT", "Hepatix phantom"
        ds.SeriesNumber, ds.InstanceNumber = number, k + 1
        ds.SeriesDescription = f"Liver {description}"
        if number > 1:
            ds.ContrastBolusAgent = "Iodinated contrast"
        origin = sform[:, 3] * flip + normal * k
        ds.ImagePositionPatient = [f"{v:.4f}" for v in origin]
        ds.ImageOrientationPatient = [f"{v:.6f}" for v in orientation]
        ds.PixelSpacing = [f"{spacing[1]:.4f}", f"{spacing[0]:.4f}"]
        ds.SliceThickness = f"{spacing[2]:.4f}"
        ds.Rows, ds.Columns = ny, nx
        ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 1
        ds.RescaleIntercept, ds.RescaleSlope, ds.RescaleType = "0", "1", "HU"
        ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
        ds.PixelData = pixels[k].tobytes()
        ds.save_as(os.path.join(out, f"IM{k + 1:04d}.dcm"), enforce_file_format=True)


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    source, out = sys.argv[1], sys.argv[2]
    study_uid = generate_uid()
    for slug, (number, description) in PHASES.items():
        path = os.path.join(source, f"phase-{slug}.nii")
        if os.path.exists(path):
            voxels, sform = read_nifti(path)
            write_series(voxels, sform, os.path.join(out, slug), number, description, study_uid)


if __name__ == "__main__":
    main()
