#!/usr/bin/env python3
"""Iterative reconstruction benchmark (issue 3): same machine, same run, same inputs.

1. Time per iteration (one forward + one back projection): Hepatix SIRT on W1 against ASTRA's CPU SIRT
   (its own 50-iteration run, which also gives ASTRA's RMSE after 50 iterations), and the projector
   pair alone on W1 and W3 against RTK's CPU Joseph forward projector + Joseph backprojector
   (tools/bench/peer_rtk_projectors.py; RTK has no 2D path, so W1 is a 3-slice slab for RTK).
2. Accuracy: interior RMSE after 50 iterations (SIRT, OS-SART, CGLS) on clean W1; on W1 at 25 % dose
   (Poisson, I0 = 1e5 photons per ray at full dose, seed 1) the best FBP window/cut-off against
   PWLS-TV and hybrid IR; RMSE-versus-iteration curves for both, plotted to DATA/rmse-vs-iteration.png.
3. Measured data: the tomopy tooth (centre found, correlation with ASTRA's FBP, tooth_reference.py).

Usage: bench_iterative.py --hepatix BIN --peers ../shared/peers/recon --data DIR --python VENV_PY [--quick]
Writes DATA/bench-iterative.md and DATA/rmse-vs-iteration.png.
"""
import argparse, json, os, subprocess, sys, time

ap = argparse.ArgumentParser()
ap.add_argument('--hepatix', required=True)
ap.add_argument('--peers', required=True)
ap.add_argument('--data', required=True)
ap.add_argument('--python', default=sys.executable)
ap.add_argument('--threads', type=int, default=2)
ap.add_argument('--tooth', default=os.path.join(os.path.dirname(__file__), '../../../shared/data/tomopy-tooth'))
ap.add_argument('--quick', action='store_true', help='skip the slow peers (ASTRA SIRT x50, RTK on W3)')
a = ap.parse_args()
here = os.path.dirname(os.path.abspath(__file__))
results = os.path.join(a.data, 'peer-iterative-%s.jsonl' % time.strftime('%Y%m%d-%H%M%S'))
env = dict(os.environ, RECON_DATA=a.data, RECON_RESULTS=results)
w1 = os.path.join(a.data, 'w1_parallel', 'geometry.json')
w3 = os.path.join(a.data, 'w3_cone', 'geometry.json')
lines = []


def run(cmd):
    cmd = list(map(str, cmd))
    print('+', ' '.join(cmd), flush=True)
    return subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout


def last_record():
    with open(results) as f:
        return [json.loads(l) for l in f][-1]


def hepatix(*args, out='x'):
    path = os.path.join(a.data, 'iter_%s.f32' % out)
    run([a.hepatix, 'reconstruct', '--workload', w1, '--threads', a.threads, '--out', path, *args])
    return json.load(open(path[:-4] + '.json'))


# 1. Speed.
ours_sirt = hepatix('--algorithm', 'sirt', '--iterations', 10, '--repeat', 3, out='sirt10')
ours_it = ours_sirt['seconds_median'] / 10
ours_w1 = json.loads(run([a.hepatix, 'project', '--workload', w1, '--threads', a.threads, '--repeat', 5]))
ours_w3 = json.loads(run([a.hepatix, 'project', '--workload', w3, '--threads', a.threads, '--repeat', 1 if a.quick else 2]))
lines += ['| measure | Hepatix (2 threads) | peer | peer value | ratio (peer / Hepatix) |', '|---|---|---|---|---|']
if not a.quick:
    run([a.python, os.path.join(a.peers, 'bench_astra.py'), '--mode', 'iter', '--alg', 'SIRT', '--iters', 50, '--reps', 1, '--warmup', 0])
    astra = last_record()
    lines.append('| W1 SIRT s/iteration | %.3f | ASTRA CPU SIRT (1 thread; it has no threading), 50 it | %.3f | **%.1fx** |'
                 % (ours_it, astra['s_per_iter'], astra['s_per_iter'] / ours_it))
run([a.python, os.path.join(here, 'peer_rtk_projectors.py'), '--workload', 'w1', '--data', a.data, '--threads', a.threads,
     '--reps', 3, '--results', results])
rtk_w1 = last_record()
w1_pair = ours_w1['forward_s'] + ours_w1['adjoint_s']
lines.append('| W1 forward + back projection s | %.3f (%.3f + %.3f) | RTK Joseph FP + Joseph BP (3-slice slab) | %.3f (%.3f + %.3f) | **%.1fx** |'
             % (w1_pair, ours_w1['forward_s'], ours_w1['adjoint_s'], rtk_w1['median_s'], rtk_w1['forward_s'], rtk_w1['back_s'],
                rtk_w1['median_s'] / w1_pair))
w3_pair = ours_w3['forward_s'] + ours_w3['adjoint_s']
if not a.quick:
    run([a.python, os.path.join(here, 'peer_rtk_projectors.py'), '--workload', 'w3', '--data', a.data, '--threads', a.threads,
         '--reps', 1, '--results', results])
    rtk_w3 = last_record()
    lines.append('| W3 forward + back projection s | %.2f (%.2f + %.2f) | RTK Joseph FP + Joseph BP, 256^3 | %.1f (%.1f + %.1f) | **%.1fx** |'
                 % (w3_pair, ours_w3['forward_s'], ours_w3['adjoint_s'], rtk_w3['median_s'], rtk_w3['forward_s'], rtk_w3['back_s'],
                    rtk_w3['median_s'] / w3_pair))
else:
    lines.append('| W3 forward + back projection s | %.2f (%.2f + %.2f) | (RTK skipped: --quick) | | |'
                 % (w3_pair, ours_w3['forward_s'], ours_w3['adjoint_s']))
lines.append('')

# 2. Accuracy and curves.
lines += ['| W1 case | method | interior RMSE (1/mm) | FOV RMSE |', '|---|---|---|---|']
if not a.quick:
    lines.append('| clean, 50 it | ASTRA SIRT (same run) | %.3g | %.3g |' % (astra['rmse_interior'], astra['rmse_fov']))
curves = {}
for name, args in [('SIRT', ['--algorithm', 'sirt']), ('SIRT λ=1.9', ['--algorithm', 'sirt', '--relaxation', 1.9]),
                   ('OS-SART 10 subsets', ['--algorithm', 'ossart', '--subsets', 10]), ('CGLS', ['--algorithm', 'cgls'])]:
    curve = os.path.join(a.data, 'curve_clean_%s.json' % name.split()[0].lower() + ('_19' if '1.9' in name else ''))
    r = hepatix(*args, '--iterations', 50, '--curve', curve, out='clean')
    curves[('clean', name)] = json.load(open(curve))['curve']
    lines.append('| clean, 50 it | Hepatix %s | %.3g | %.3g |' % (name, r['rmse_interior'], r['rmse_fov']))
dose = ['--dose', 0.25, '--photons', '1e5', '--seed', 1]
best = None
for window in ['ram-lak', 'shepp-logan', 'cosine', 'hamming', 'hann']:
    for cutoff in [1.0, 0.8, 0.65, 0.5, 0.4]:
        r = hepatix(*dose, '--filter', window, '--cutoff', cutoff, out='fbp25')
        if best is None or r['rmse_interior'] < best[0]:
            best = (r['rmse_interior'], r['rmse_fov'], window, cutoff)
lines.append('| 25 %% dose | best FBP of 25 windows/cut-offs: %s, cut-off %.2f | %.3g | %.3g |' % (best[2], best[3], best[0], best[1]))
for name, args in [('PWLS-TV (from FBP Hann 0.5, β=100, δ=5e-4, 20 it)', ['--algorithm', 'pwls-tv', '--warm-start', '--beta', 100,
                                                                        '--delta', 5e-4, '--iterations', 20]),
                   ('SIRT (50 it)', ['--algorithm', 'sirt', '--iterations', 50])]:
    curve = os.path.join(a.data, 'curve_dose25_%s.json' % name.split()[0].lower())
    r = hepatix(*dose, *args, '--curve', curve, out='ir25')
    curves[('25 % dose', name)] = json.load(open(curve))['curve']
    lines.append('| 25 %% dose | Hepatix %s | %.3g | %.3g |' % (name, r['rmse_interior'], r['rmse_fov']))
r = hepatix(*dose, '--algorithm', 'hybrid', '--beta', 100, '--delta', 5e-4, '--iterations', 20, '--blend', 0.7, out='hy25')
lines.append('| 25 %% dose | Hepatix hybrid IR (blend 0.7) | %.3g | %.3g |' % (r['rmse_interior'], r['rmse_fov']))
lines.append('')

try:
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    for ax, case in zip(axes, ['clean', '25 % dose']):
        for (c, name), rows in curves.items():
            if c == case:
                ax.semilogy([r['iteration'] for r in rows], [r['rmse_interior'] for r in rows], label='Hepatix ' + name)
        if case == 'clean' and not a.quick:
            ax.axhline(astra['rmse_interior'], color='k', ls=':', label='ASTRA SIRT after 50 it')
        if case == '25 % dose':
            ax.axhline(best[0], color='k', ls='--', label='best FBP (%s %.2f)' % (best[2], best[3]))
        ax.set_title('W1 %s: interior RMSE vs iteration' % case)
        ax.set_xlabel('iteration')
        ax.set_ylabel('RMSE (1/mm)')
        ax.grid(True, which='both', alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(a.data, 'rmse-vs-iteration.png'), dpi=110)
except ImportError:
    lines.append('(matplotlib missing: no plot)')

# 3. The tooth.
out = os.path.join(a.data, 'tooth_fbp.f32')
printed = run([a.hepatix, 'reconstruct', '--tomo', a.tooth, '--threads', a.threads, '--out', out]).strip()
check = json.loads(run([a.python, os.path.join(here, 'tooth_reference.py'), '--data', a.tooth, '--hepatix', out]))
lines.append('Tooth: `%s`; documented centre 296.0. Correlation with ASTRA FBP inside 0.95 R: %s; NRMSE: %s.'
             % (printed, ', '.join('%.4f' % r['correlation'] for r in check['rows']),
                ', '.join('%.2f %%' % (100 * r['nrmse_of_range']) for r in check['rows'])))
text = '\n'.join(lines)
print(text)
with open(os.path.join(a.data, 'bench-iterative.md'), 'w') as f:
    f.write(text + '\n')
