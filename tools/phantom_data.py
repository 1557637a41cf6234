"""Phantom studies as training data, shared by the training scripts under tools/ (denoise/, segment/): rendering
with `hepatix phantom`, reading its NIfTI volumes and cutting 2.5D slice triplets."""
import os
import subprocess

import nibabel
import numpy as np


def render(hepatix, seed, folder, dose=None, acquisition="image", noise_free=False, registered=False):
    """Runs `hepatix phantom` once (a complete folder is reused) and returns the folder; `registered` moves every
    phase back onto the portal venous frame by its true misregistration."""
    if not os.path.exists(os.path.join(folder, "phase-delayed.nii")):
        cmd = [hepatix, "phantom", "--seed", str(seed), "--extension", "nii", "--out", folder, "--acquisition", acquisition]
        cmd += ["--noise-free"] if noise_free else ["--dose", str(dose)]
        cmd += ["--registered"] if registered else []
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return folder


def load(folder, name):
    """A NIfTI volume as float32 [z, y, x]."""
    return np.ascontiguousarray(np.asarray(nibabel.load(os.path.join(folder, name)).dataobj, dtype=np.float32).transpose(2, 1, 0))


def triplet(volume, z):
    """Slices z-1, z, z+1 (edges repeated) as [3, y, x]."""
    last = volume.shape[0] - 1
    return np.stack([volume[max(z - 1, 0)], volume[z], volume[min(z + 1, last)]])
