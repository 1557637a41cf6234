#!/usr/bin/env python3
"""Times one ONNX model in a peer runtime (ONNX Runtime FP32, or OpenVINO FP32 or bf16) on the fixed input, prints JSON.

usage: peer_runtime.py ort|openvino MODEL.onnx INPUT.npy THREADS REPEATS OUT.bin [f32|bf16]
The first run is a warm-up; the output of the last run is written as float32 for the accuracy comparison.
"""
import json
import sys
import time

import numpy as np


def main():
    engine, model, inp, threads, repeats, out = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
    precision = sys.argv[7] if len(sys.argv) > 7 else "f32"
    x = np.load(inp)
    if engine == "ort":
        import onnxruntime as ort
        so = ort.SessionOptions()
        so.intra_op_num_threads, so.inter_op_num_threads = threads, 1
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        session = ort.InferenceSession(model, so, providers=["CPUExecutionProvider"])
        name = session.get_inputs()[0].name
        run = lambda: session.run(None, {name: x})[0]
        version = ort.__version__
    else:
        import openvino as ov
        core = ov.Core()
        compiled = core.compile_model(model, "CPU", {"INFERENCE_NUM_THREADS": threads, "INFERENCE_PRECISION_HINT": precision,
                                                      "PERFORMANCE_HINT": "LATENCY"})
        request = compiled.create_infer_request()
        run = lambda: request.infer({0: x})[compiled.output(0)]
        version = ov.__version__
    y = run()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        y = run()
        times.append(time.perf_counter() - t)
    np.asarray(y, np.float32).tofile(out)
    print(json.dumps(dict(engine=engine, version=version, precision=precision, threads=threads, median_s=sorted(times)[len(times) // 2], times_s=times)))


if __name__ == "__main__":
    main()
