#!/usr/bin/env bash
# `make fuzz`, ONNX part: builds Fuzz/ONNX (libFuzzer entry over the ONNX loader, the reference interpreter and
# the fast plan at every precision) with -sanitize=fuzzer,address in its own build folder and runs it for
# FUZZ_SECONDS (default 600) from a seed corpus: the tiny C-host model and the onnx package's node-test models
# of the operators a U-Net uses.
set -euo pipefail
seconds=${FUZZ_SECONDS:-600}
out=.build/fuzz-onnx
mkdir -p "$out/corpus" "$out/crashes"
swift build -c debug --scratch-path "$out/build" --product onnx-fuzzer \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DHEPATIX_FUZZ 2>&1 | grep -E "error|Compiling onnx|Build complete" || true
binary="$out/build/debug/onnx-fuzzer"
[ -x "$binary" ] || { echo "fuzz-onnx: build failed"; exit 1; }
[ -f .build/c-dicom-out/tiny_conv.onnx ] && cp -n .build/c-dicom-out/tiny_conv.onnx "$out/corpus/" || true
for t in conv_with_strides_padding maxpool_2d_default convtranspose concat_2d_axis_1 instancenorm_example softmax_axis_1 \
         batchnorm_example relu leakyrelu resize_upsample_scales_nearest; do
    [ -f ".build/onnx-node-tests/test_$t/model.onnx" ] && cp -n ".build/onnx-node-tests/test_$t/model.onnx" "$out/corpus/$t.onnx" || true
done
echo "fuzzing the ONNX loader and engines for $seconds s ($(ls "$out/corpus" | wc -l) corpus files)"
ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1 "$binary" "$out/corpus" -max_total_time="$seconds" -rss_limit_mb=2048 \
    -timeout=20 -max_len=65536 -artifact_prefix="$out/crashes/" -print_final_stats=1 2>&1 | tee "$out/last-run.log" \
    | grep -E "^#[0-9]+ +(pulse|DONE)|ERROR|Done|stat::" || true
status=${PIPESTATUS[0]}
if ls "$out/crashes/"* >/dev/null 2>&1; then echo "fuzz-onnx: crash inputs in $out/crashes"; exit 1; fi
exit "$status"
