#!/usr/bin/env python3
"""`make bench`, inference part: dncnn2d, unet2d and unet3d (tools/onnx/build_reference_models.sh) in Hepatix
(`hepatix infer`: fp32, Winograd on the 2D models, bf16 on AVX512_BF16 CPUs), ONNX Runtime (fp32) and OpenVINO
(fp32 and bf16, when installed), 1 and 2 threads, in the same run on the same input; accuracy of every engine
against the float64 reference, and for bf16 the argmax agreement with Hepatix's fp32 output. Prints a markdown
table (with --fma-peak/--bf16-peak, the share of the threads' measured peak: bf16 rows against the bf16 peak);
the ratio column is the peer's time over Hepatix's: fp32 and Winograd against the faster fp32 peer,
bf16 against OpenVINO bf16. Engines run in interleaved rounds (--rounds): times are medians over the rounds, ratios
the median of the per-round ratios.

usage: bench_inference.py --hepatix PATH --models DIR --python VENV_PYTHON [--repeats 5] [--rounds 3] [--only NAMES]
"""
import argparse
import json
import os
import subprocess
import tempfile

import numpy as np

GFLOP = {"dncnn2d": 290.514, "unet2d": 96.301, "unet3d": 945.291}
SHAPES = {"dncnn2d": "1,1,512,512", "unet2d": "1,1,512,512", "unet3d": "1,1,128,128,128"}


def errors(out_path, ref_path, classes):
    a = np.fromfile(out_path, np.float32).astype(np.float64)
    r = np.fromfile(ref_path, np.float64)
    e = dict(rel_l2=float(np.linalg.norm(a - r) / np.linalg.norm(r)), max_abs_rel=float(np.abs(a - r).max() / np.abs(r).max()))
    if classes > 1:
        e["argmax"] = float((a.reshape(classes, -1).argmax(0) == r.reshape(classes, -1).argmax(0)).mean())
    return e


def agreement(out_path, other_path, classes):
    """Fraction of voxels whose argmax label agrees between two outputs."""
    a = np.fromfile(out_path, np.float32).reshape(classes, -1).argmax(0)
    b = np.fromfile(other_path, np.float32).reshape(classes, -1).argmax(0)
    return float((a == b).mean())


def fastest_peer(results, suffix):
    """The fastest peer time among `results` (engine name -> (seconds, output)) whose precision ends with `suffix`."""
    times = [seconds for engine, (seconds, _) in results.items() if not engine.startswith("hepatix") and engine.endswith(suffix)]
    return min(times) if times else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hepatix", required=True)
    ap.add_argument("--models", required=True)
    ap.add_argument("--python", required=True)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds of every engine (medians over rounds)")
    ap.add_argument("--only", default="dncnn2d,unet2d,unet3d")
    ap.add_argument("--fma-peak", type=float, default=0, help="measured AVX-512 FMA GFLOP/s per core (0: no % column)")
    ap.add_argument("--bf16-peak", type=float, default=0, help="measured vdpbf16ps GFLOP/s per core")
    a = ap.parse_args()
    peer = os.path.join(os.path.dirname(os.path.abspath(__file__)), "inference", "peer_runtime.py")
    has_ov = subprocess.run([a.python, "-c", "import openvino"], capture_output=True).returncode == 0
    rows = []
    tmp = tempfile.mkdtemp(prefix="hepatix-infer-bench-")
    bf16 = "avx512_bf16" in open("/proc/cpuinfo").read()
    for name in a.only.split(","):
        folder = os.path.join(a.models, name)
        model, ref = os.path.join(folder, "model.onnx"), os.path.join(folder, "ref_fp64.bin")
        classes = 1 if name == "dncnn2d" else 3
        for threads in (2, 1):
            precisions = ["fp32"] + (["winograd"] if name != "unet3d" else []) + (["bf16"] if bf16 else [])
            peers = [("ort", "f32")] + ([("openvino", "f32")] + ([("openvino", "bf16")] if bf16 else []) if has_ov else [])
            # Interleaved rounds: every engine once per round, so a slow spell of this shared VM hits all of them
            # alike; times are medians over rounds and ratios are medians of the per-round ratios.
            rounds = []
            for _ in range(a.rounds):
                results = {}
                for precision in precisions:
                    out = os.path.join(tmp, f"{name}-hepatix-{precision}.bin")
                    p = subprocess.run([a.hepatix, "infer", "--model", model, "--input", os.path.join(folder, "input.bin"), "--shape",
                                        SHAPES[name], "--out", out, "--threads", str(threads), "--repeat", str(a.repeats + 1),
                                        "--precision", precision], capture_output=True, text=True, check=True)
                    d = json.loads(p.stdout)
                    results[f"hepatix {precision}"] = (sorted(d["times_s"][1:])[a.repeats // 2], out)
                for engine, precision in peers:
                    out = os.path.join(tmp, f"{name}-{engine}-{precision}.bin")
                    p = subprocess.run([a.python, peer, engine, model, os.path.join(folder, "input.npy"), str(threads), str(a.repeats), out,
                                        precision], capture_output=True, text=True)
                    if p.returncode != 0:
                        print(f"{engine} failed on {name}: {p.stderr[-300:]}")
                        continue
                    d = json.loads(p.stdout.strip().splitlines()[-1])
                    results[f"{engine} {d['version'].split('-')[0]} {precision}"] = (d["median_s"], out)
                rounds.append(results)
            for engine, (_, out) in rounds[-1].items():
                times = [r[engine][0] for r in rounds if engine in r]
                e = errors(out, ref, classes)
                ratio = None
                if engine.startswith("hepatix"):
                    suffix = "bf16" if engine.endswith("bf16") else "f32"
                    per_round = [best / r[engine][0] for r in rounds if (best := fastest_peer(r, suffix)) is not None]
                    ratio = float(np.median(per_round)) if per_round else None
                if classes > 1 and engine.endswith("bf16"):
                    e["vs_fp32"] = agreement(out, rounds[-1]["hepatix fp32"][1], classes)
                seconds = float(np.median(times))
                peak = (a.bf16_peak if engine.endswith("bf16") else a.fma_peak) * threads
                rows.append((name, threads, engine, seconds, GFLOP[name] / seconds, peak, e, ratio))
    print("| model | threads | engine | median ms | GFLOP/s | % of peak | rel L2 vs fp64 | max abs / max | argmax agree (fp64) | argmax agree (Hepatix fp32) | peer time / Hepatix time |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name, threads, engine, seconds, gflops, peak, e, ratio in rows:
        versus_fp32 = f"{e['vs_fp32'] * 100:.3f} %" if "vs_fp32" in e else ""
        print(f"| {name} | {threads} | {engine} | {seconds * 1000:.0f} | {gflops:.0f} | {f'{100 * gflops / peak:.0f} %' if peak else ''} | {e['rel_l2']:.2e} | {e['max_abs_rel']:.2e} | "
              f"{e.get('argmax', float('nan')) * 100:.4f} % | {versus_fp32} | {'' if ratio is None else f'{ratio:.2f}x'} |")


if __name__ == "__main__":
    main()
