#!/usr/bin/env python3
"""Writes a tiny ONNX model for the C host's inference checks, with its input and the expected output
computed independently in numpy (float64): Conv(1->2, 3x3, pads 1, bias) -> Relu on a 1x1x5x6 input.

usage: make_tiny_model.py OUT_DIR   ->  tiny_conv.onnx, tiny_input.f32, tiny_expected.f32
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(7)
    w = rng.standard_normal((2, 1, 3, 3)).astype(np.float32)
    b = np.array([0.1, -0.2], np.float32)
    x = rng.standard_normal((1, 1, 5, 6)).astype(np.float32)
    graph = helper.make_graph(
        [helper.make_node("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
         helper.make_node("Relu", ["c"], ["y"])],
        "tiny", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 5, 6])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2, 5, 6])],
        initializer=[numpy_helper.from_array(w, "w"), numpy_helper.from_array(b, "b")])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), os.path.join(out, "tiny_conv.onnx"))
    xp = np.pad(x[0, 0].astype(np.float64), 1)
    y = np.zeros((2, 5, 6))
    for m in range(2):
        for i in range(5):
            for j in range(6):
                y[m, i, j] = (xp[i:i + 3, j:j + 3] * w[m, 0]).sum() + b[m]
    x.astype("<f4").tofile(os.path.join(out, "tiny_input.f32"))
    np.maximum(y, 0).astype("<f4").tofile(os.path.join(out, "tiny_expected.f32"))


if __name__ == "__main__":
    main()
