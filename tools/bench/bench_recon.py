#!/usr/bin/env python3
"""Reconstruction benchmark: Hepatix against ASTRA, RTK and plastimatch on W1/W2/W3, same machine,
same run, same inputs (../shared/workloads). Prints a markdown table (also written to
DATA/bench-recon.md) with seconds, GUPS, accuracy and the speed ratio peer/Hepatix.

Usage: bench_recon.py --hepatix .build/release/hepatix --peers ../shared/peers/recon --data DIR
       [--threads 2] [--quick]
The peer scripts append to DATA/peer-results.jsonl; Hepatix results come from its JSON sidecars.
"""
import argparse, json, os, statistics, subprocess, sys, time

ap = argparse.ArgumentParser()
ap.add_argument('--hepatix', required=True)
ap.add_argument('--peers', required=True)
ap.add_argument('--data', required=True)
ap.add_argument('--python', default=sys.executable, help='python with astra-toolbox and itk-rtk')
ap.add_argument('--threads', type=int, default=2)
ap.add_argument('--quick', action='store_true', help='fewer repetitions, no RTK W3')
a = ap.parse_args()

results = os.path.join(a.data, 'peer-results-%s.jsonl' % time.strftime('%Y%m%d-%H%M%S'))
env = dict(os.environ, RECON_DATA=a.data, RECON_RESULTS=results)
reps = 3 if a.quick else 5
rows = []


def peer(script, *args):
    cmd = [a.python, os.path.join(a.peers, script), *map(str, args)]
    print('+', ' '.join(cmd), flush=True)
    before = sum(1 for _ in open(results)) if os.path.exists(results) else 0
    subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
    with open(results) as f:
        return [json.loads(l) for l in f][before:][-1]


def hepatix(workload, filt='ram-lak', n_reps=reps, extra=()):
    out = os.path.join(a.data, 'hepatix_%s_%s.f32' % (workload, filt))
    cmd = [a.hepatix, 'reconstruct', '--workload', os.path.join(a.data, workload, 'geometry.json'), '--filter', filt,
           '--threads', str(a.threads), '--repeat', str(n_reps), '--out', out, *extra]
    print('+', ' '.join(cmd), flush=True)
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    r = json.load(open(out[:-4] + '.json'))
    r['cli_wall_s'] = wall   # whole process: reading inputs, planning, n_reps executions, writing
    return r


def add(workload, tool, threads, seconds, gups, rmse, note=''):
    rows.append(dict(workload=workload, tool=tool, threads=threads, seconds=seconds, gups=gups, rmse=rmse, note=note))


def compare(workload, ours, peers):
    add(workload, 'Hepatix', a.threads, ours['seconds_median'], ours['gups'],
        ours.get('rmse_interior', ours.get('rmse_central_slab')), 'min %.3f s' % ours['seconds_min'])
    for p, note in peers:
        add(workload, p['peer'] + ' ' + p['variant'], p['threads'], p['median_s'], p.get('gups'),
            p.get('rmse_interior', p.get('rmse_central_slab')), note + ' (x%.1f)' % (p['median_s'] / ours['seconds_median']))


# W1 parallel FBP, ramp and Hann.
ours = hepatix('w1_parallel', 'ram-lak')
astra = peer('bench_astra.py', '--mode', 'fbp', '--proj', 'linear', '--filter', 'ram-lak', '--threads', 1, '--reps', reps)
rtk = peer('bench_rtk.py', '--mode', 'fbp', '--threads', a.threads, '--reps', 3)
compare('W1 FBP ramp', ours, [(astra, 'ASTRA CPU is single-threaded'), (rtk, '2-slice slab')])
ours = hepatix('w1_parallel', 'hann')
astra = peer('bench_astra.py', '--mode', 'fbp', '--proj', 'linear', '--filter', 'hann', '--threads', 1, '--reps', reps)
rtk = peer('bench_rtk.py', '--mode', 'fbp', '--hann', 1.0, '--threads', a.threads, '--reps', 3)
compare('W1 FBP Hann', ours, [(astra, 'ASTRA CPU is single-threaded'), (rtk, '2-slice slab')])

# W2 fan-beam FBP: RTK is the only CPU peer.
ours = hepatix('w2_fan', 'ram-lak')
rtk = peer('bench_rtk.py', '--mode', 'fanfbp', '--threads', a.threads, '--reps', 3)
compare('W2 fan FBP ramp', ours, [(rtk, '2-slice slab')])

# W3 cone-beam FDK 256^3: plastimatch (CLI, includes reading 283 MB of PFM files) and optionally RTK.
if not os.path.isdir(os.path.join(a.data, 'w3_plastimatch')):
    peer('bench_plastimatch.py', '--prepare')
ours = hepatix('w3_cone', 'ram-lak', n_reps=3)
plm = peer('bench_plastimatch.py', '--n', 256, '--threads', a.threads, '--reps', 1 if a.quick else 3)
peers = [(plm, 'whole CLI incl. I/O; its own BP timer %.1f s; Hepatix CLI wall incl. I/O and %d runs %.1f s'
          % (plm.get('bp_time_last_s') or float('nan'), 3, ours['cli_wall_s']))]
if not a.quick:
    peers.append((peer('bench_rtk.py', '--mode', 'fdk', '--n', 256, '--threads', a.threads, '--reps', 1, '--warmup', 0), ''))
compare('W3 FDK 256^3', ours, peers)

lines = ['| workload | tool | threads | median s | GUPS | RMSE (1/mm; W1/W2 interior, W3 central slab) | notes (x = peer time / Hepatix time) |',
         '|---|---|---|---|---|---|---|']
for r in rows:
    lines.append('| %s | %s | %d | %.3f | %s | %s | %s |' % (
        r['workload'], r['tool'], r['threads'], r['seconds'], '%.2f' % r['gups'] if r['gups'] else '',
        '%.3g' % r['rmse'] if r['rmse'] is not None else '', r['note']))
table = '\n'.join(lines)
print(table)
with open(os.path.join(a.data, 'bench-recon.md'), 'w') as f:
    f.write(table + '\n')
