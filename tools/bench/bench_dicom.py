#!/usr/bin/env python3
"""`make bench`, DICOM part: load a 300-slice 512 x 512 CT series (written by
../shared/peers/dicom/gen_ct_series.py) into a float32 HU volume, Hepatix (1 and 2 threads) against
pydicom in the same run, alternating so that machine noise hits both. Each tool does the whole job:
find the files, parse them, sort along the slice normal, decode and rescale. Writes bench-dicom.md/.json."""
import argparse, json, os, statistics, subprocess, sys


def hepatix(binary, folder, threads, repeats):
    out = subprocess.run([binary, 'dicom', 'load', folder, '--threads', str(threads), '--repeat', str(repeats)],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def pydicom_peer(python, script, folder, repeats):
    return json.loads(subprocess.run([python, script, folder, str(repeats)], capture_output=True, text=True,
                                     check=True).stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--hepatix', required=True)
    ap.add_argument('--series', required=True)
    ap.add_argument('--python', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--rounds', type=int, default=3)
    ap.add_argument('--repeats', type=int, default=5)
    a = ap.parse_args()
    peer = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'dicom', 'peer_pydicom.py')
    runs = {'hepatix-1': [], 'hepatix-2': [], 'pydicom': []}
    sums = set()
    for _ in range(a.rounds):  # alternate tools so that noise spreads over all of them
        for threads in (1, 2):
            r = hepatix(a.hepatix, a.series, threads, a.repeats)
            runs[f'hepatix-{threads}'] += r['total_ms'][1:]  # the first repeat pays the page faults of a fresh process
            sums.add(r['voxel_sum'])
        r = pydicom_peer(a.python, peer, a.series, a.repeats)
        runs['pydicom'] += r['total_ms'][1:]
        sums.add(r['voxel_sum'])
        slices = r['size'][2]
    med = {k: statistics.median(v) for k, v in runs.items()}
    result = dict(slices=slices, median_ms=med, ms_per_slice={k: v / slices for k, v in med.items()},
                  speedup_vs_pydicom={k: med['pydicom'] / v for k, v in med.items() if k != 'pydicom'},
                  same_voxels=len(sums) == 1, runs=runs)
    json.dump(result, open(os.path.join(a.out, 'bench-dicom.json'), 'w'), indent=1)
    lines = ['| reader | median ms | ms/slice | pydicom / reader |', '|---|---|---|---|']
    for k in ('hepatix-1', 'hepatix-2', 'pydicom'):
        lines.append(f"| {k} | {med[k]:.0f} | {med[k] / slices:.2f} | {med['pydicom'] / med[k]:.1f}x |")
    lines.append(f"\nsame voxel sum for every run: {result['same_voxels']}")
    open(os.path.join(a.out, 'bench-dicom.md'), 'w').write('\n'.join(lines) + '\n')
    print('\n'.join(lines))
    if not result['same_voxels']:
        sys.exit('hepatix and pydicom loaded different voxels')


if __name__ == '__main__':
    main()
