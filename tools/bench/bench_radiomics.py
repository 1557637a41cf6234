#!/usr/bin/env python3
"""`make bench` part 3: IBSI radiomics on the synthetic 512 x 512 x 200 liver CT
(../shared/workloads/radiomics) against PyRadiomics 3.1.0 and Z-Rad in the same run.

Hepatix runs with PyRadiomics' binning (fixed bin size 25 from floor(min / 25) * 25, no
re-segmentation, no interpolation) and computes all 482 IBSI rows (every family, every aggregation);
PyRadiomics computes its 107 default features, Z-Rad its 3D-averaged IBSI set. Times are extraction
only, image and mask in memory (Hepatix: the time its CLI reports after loading). A few features both
tools define alike are compared as a correctness check. Writes bench-radiomics.md and .json.
"""
import argparse, csv, json, math, os, re, statistics, subprocess, sys, time
import numpy as np

ROIS = ('tumour', 'liver')
# PyRadiomics name -> (IBSI tag, aggregation) where both define the same number (PyRadiomics averages
# GLCM/GLRLM over the 13 directions and merges GLSZM/NGTDM/GLDM over the volume, as IBSI's 3D modes do).
SAME = {
    'original_firstorder_Mean': ('stat.mean', ''), 'original_firstorder_Median': ('stat.median', ''),
    'original_shape_VoxelVolume': ('morph.approx.vol', ''), 'original_glcm_JointEntropy': ('cm.joint.entr', '3D, averaged'),
    'original_glrlm_RunLengthNonUniformity': ('rlm.rlnu', '3D, averaged'), 'original_glszm_ZoneEntropy': ('szm.zs.entr', '3D'),
    'original_ngtdm_Coarseness': ('ngt.coarseness', '3D'), 'original_gldm_DependenceEntropy': ('ngl.dc.entr', '3D'),
}


def prepare(data):
    meta = json.load(open(os.path.join(data, 'synthetic_liver_ct.json')))
    labels = np.fromfile(os.path.join(data, meta['labels_raw']), dtype=np.uint8)
    (labels == 2).astype(np.uint8).tofile(os.path.join(data, 'tumour_mask_uint8.raw'))
    (labels >= 1).astype(np.uint8).tofile(os.path.join(data, 'liver_mask_uint8.raw'))
    for roi in ROIS:
        json.dump(dict(shape_xyz=meta['shape_xyz'], spacing_mm_xyz=meta['spacing_mm_xyz'], image_raw=meta['ct_raw'],
                       image_raw_dtype='int16', mask_raw=f'{roi}_mask_uint8.raw'), open(os.path.join(data, f'{roi}.json'), 'w'))
        low = math.floor(meta[f'{roi}_roi_hu_min_max_mean'][0] / 25) * 25
        json.dump({'discretisation': {'fixed_bin_size': 25, 'lower_bound': low}, 'ivh': {'intensity_step': 1}},
                  open(os.path.join(data, f'{roi}_settings.json'), 'w'))
    return meta


def run_hepatix(binary, data, roi, threads, repeats):
    """Median extraction time of `repeats` runs in one process (as the peers run theirs), the features,
    and the whole-process time of one more run (loading included)."""
    args = [binary, 'radiomics', '--image', os.path.join(data, f'{roi}.json'), '--config',
            os.path.join(data, f'{roi}_settings.json'), '--threads', str(threads)]
    p = subprocess.run(args + ['--repeat', str(repeats)], capture_output=True, text=True, check=True)
    median = float(re.search(r'features in ([0-9.]+) s', p.stderr).group(1))
    rows = {(r[0], r[2]): float(r[3]) for r in csv.reader(p.stdout.splitlines()[1:])}
    start = time.perf_counter()
    subprocess.run(args, capture_output=True, check=True)
    return dict(median=median, repeats=repeats, process_median=time.perf_counter() - start, rows=rows)


def run_peer(python, script, data, tumour_repeats, liver_repeats):
    p = subprocess.run([python, script, data, str(tumour_repeats), str(liver_repeats)], capture_output=True, text=True)
    if p.returncode != 0:
        print(p.stderr[-2000:], file=sys.stderr)
        return {}
    return {r['roi']: r for r in (json.loads(line) for line in p.stdout.splitlines() if line.startswith('{'))}


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--hepatix', required=True)
    ap.add_argument('--data', required=True, help='folder with the generated synthetic liver CT')
    ap.add_argument('--pyradiomics-python', required=True)
    ap.add_argument('--zrad-python', required=True)
    ap.add_argument('--out', required=True, help='folder for bench-radiomics.md/.json')
    ap.add_argument('--repeats', type=int, default=3)
    a = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    meta = prepare(a.data)
    started = time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())
    ours = {(roi, t): run_hepatix(a.hepatix, a.data, roi, t, 3 * a.repeats if roi == 'tumour' else a.repeats) for roi in ROIS for t in (1, 2)}
    pyrad = run_peer(a.pyradiomics_python, os.path.join(here, 'radiomics', 'peer_pyradiomics.py'), a.data, a.repeats, a.repeats)
    zrad = run_peer(a.zrad_python, os.path.join(here, 'radiomics', 'peer_zrad.py'), a.data, a.repeats, 1)
    finished = time.strftime('%H:%M UTC', time.gmtime())
    lines = [f'# Radiomics on the synthetic liver CT ({started} - {finished}, load before: {os.getloadavg()[0]:.2f})', '',
             f'512 x 512 x 200 int16 CT, spacing {meta["spacing_mm_xyz"]} mm; extraction time only, medians of repeats in one process (Hepatix: {3 * a.repeats} tumour / {a.repeats} liver runs; PyRadiomics {a.repeats}; Z-Rad {a.repeats} tumour / 1 liver).', '',
             '| ROI | voxels | Hepatix 1 thread | Hepatix 2 threads | PyRadiomics 3.1.0 (1 thread) | Z-Rad (1 thread) | PyRadiomics / Hepatix 2t | Z-Rad / Hepatix 2t |',
             '|---|---|---|---|---|---|---|---|']
    for roi in ROIS:
        h1, h2 = ours[(roi, 1)]['median'], ours[(roi, 2)]['median']
        p, z = pyrad.get(roi, {}).get('median'), zrad.get(roi, {}).get('median')
        ratio = lambda peer: f'{peer / h2:.1f}x' if peer else 'n/a'
        lines.append(f'| {roi} | {meta[f"{roi}_roi_voxels"]:,} | {h1 * 1000:.0f} ms | {h2 * 1000:.0f} ms | '
                     f'{p if p is not None else "n/a"} s | {z if z is not None else "n/a"} s | {ratio(p)} | {ratio(z)} |')
    lines += ['', 'Feature counts: Hepatix 482 rows (169 IBSI features, all aggregations); PyRadiomics '
              f'{pyrad.get("liver", {}).get("features", "n/a")}; Z-Rad {zrad.get("liver", {}).get("features", "n/a")}. '
              'Hepatix whole-process time of one run (load 100 MB + extract), 2 threads: ' +
              ', '.join(f'{roi} {ours[(roi, 2)]["process_median"]:.2f} s' for roi in ROIS) + '.', '',
              '| ROI | feature | PyRadiomics | Hepatix | relative difference |', '|---|---|---|---|---|']
    worst = 0.0
    for roi in ROIS:
        for name, value in pyrad.get(roi, {}).get('values', {}).items():
            ours_value = ours[(roi, 2)]['rows'].get(SAME[name])
            if ours_value is None:
                continue
            rel = abs(ours_value - value) / max(abs(value), 1e-12)
            worst = max(worst, rel)
            lines.append(f'| {roi} | {name.replace("original_", "")} = {SAME[name][0]} {SAME[name][1]} | {value:.8g} | {ours_value:.8g} | {rel:.1e} |')
    report = '\n'.join(lines) + '\n'
    print(report)
    os.makedirs(a.out, exist_ok=True)
    open(os.path.join(a.out, 'bench-radiomics.md'), 'w').write(report)
    json.dump(dict(hepatix={f'{r}_{t}': {k: v for k, v in d.items() if k != 'rows'} for (r, t), d in ours.items()},
                   pyradiomics=pyrad, zrad=zrad, worst_relative_difference=worst),
              open(os.path.join(a.out, 'bench-radiomics.json'), 'w'), indent=1)


if __name__ == '__main__':
    main()
