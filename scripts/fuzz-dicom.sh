#!/usr/bin/env bash
# `make fuzz`: builds the libFuzzer harness Fuzz/dicom_reader_fuzzer.cpp with the CDICOM sources under
# AddressSanitizer + UndefinedBehaviorSanitizer (clang from the Swift toolchain) and runs it for
# FUZZ_SECONDS (default 600) from a seed corpus of real and generated DICOM files.
set -euo pipefail
seconds=${FUZZ_SECONDS:-600}
out=.build/fuzz
mkdir -p "$out/corpus" "$out/crashes"
dcmtk="-ldcmnet -ldcmseg -ldcmfg -ldcmiod -lcmr -ldcmsr -ldcmjpls -ldcmtkcharls -ldcmjpeg -lijg8 -lijg12 -lijg16 -ldcmimgle -ldcmdata -loflog -lofstd -lopenjp2 -lz"
clang++ -std=c++17 -O1 -g -fuse-ld=lld -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -ISources/CDICOM/include -ISources/CDICOM Fuzz/dicom_reader_fuzzer.cpp Sources/CDICOM/*.cpp $dcmtk -o "$out/dicom_reader_fuzzer"
# Seeds: the pydicom samples (every transfer syntax we decode), a generated CT series, our own SEG and SR.
cp -n ../shared/data/pydicom-samples/*.dcm "$out/corpus/" 2>/dev/null || true
[ -d .build/c-dicom-study ] && find .build/c-dicom-study -name '*.dcm' | head -4 | xargs -r cp -n -t "$out/corpus/"
[ -d .build/c-dicom-out ] && cp -n .build/c-dicom-out/*.dcm "$out/corpus/" 2>/dev/null || true
echo "fuzzing the DICOM reader for $seconds s ($(ls "$out/corpus" | wc -l) corpus files)"
# DCMTK allocates a value's declared length (up to 4 GB) before finding that the file is shorter, then
# fails cleanly; the allocation is virtual and freed, so single mallocs up to 4.2 GB are allowed here while
# the resident-memory limit (2 GB) still catches real blow-ups.
ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 "$out/dicom_reader_fuzzer" "$out/corpus" \
    -max_total_time="$seconds" -rss_limit_mb=2048 -malloc_limit_mb=4200 -timeout=20 -max_len=1048576 \
    -artifact_prefix="$out/crashes/" -print_final_stats=1 2>&1 | tee "$out/last-run.log" | grep -E "^#[0-9]+ +(pulse|DONE)|ERROR|Done|stat::" || true
status=${PIPESTATUS[0]}
if ls "$out/crashes/"* >/dev/null 2>&1; then echo "fuzz: crash inputs in $out/crashes"; exit 1; fi
exit "$status"
