#!/usr/bin/env bash
# Installs into a temporary prefix and builds the C host with pkg-config only, then checks that every
# library the installed libhepatix.so needs from the Swift toolchain is shipped beside it, and that the
# installed CLI finds the shipped models beside it.
set -euo pipefail
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
scripts/install.sh "$prefix" .build/release 0.1.0 0 >/dev/null
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
gcc -std=c99 -Wall -Wextra -pedantic -Werror -ITests/CConsumers Tests/CConsumers/consumer.c Tests/CConsumers/consumer_dicom.c \
    Tests/CConsumers/consumer_inference.c Tests/CConsumers/consumer_liver.c \
    $(pkg-config --cflags --libs hepatix) -lm -o "$prefix/consumer"
HEPATIX_DICOM_STUDY=.build/c-dicom-study HEPATIX_DICOM_OUT="$prefix" HEPATIX_TINY_MODEL=.build/c-dicom-out HEPATIX_LIVER_OUT="$prefix/liver" \
    "$prefix/consumer" | tail -1
missing=0
for lib in $(ldd "$prefix/lib/hepatix/libhepatix.so" | awk '/swift\/linux/ {print $1}'); do
  [ -f "$prefix/lib/hepatix/$lib" ] || { echo "install is missing $lib"; missing=1; }
done
info=$("$prefix/bin/hepatix" info) || { echo "installed CLI does not run"; missing=1; }
grep -q "denoiser model: $prefix/lib/hepatix/models/ct-denoise-2.5d.onnx" <<<"$info" || { echo "installed CLI does not find the installed denoiser"; missing=1; }
grep -q "liver segmentation model: $prefix/lib/hepatix/models/ct-liver-seg-2.5d.onnx" <<<"$info" || { echo "installed CLI does not find the installed liver network"; missing=1; }
grep -q "lesion network model: $prefix/lib/hepatix/models/ct-lesion-seg-2.5d.onnx" <<<"$info" || { echo "installed CLI does not find the installed lesion network"; missing=1; }
[ $missing -eq 0 ] && echo "install check: 1 passed, 0 failed" || { echo "install check: 0 passed, 1 failed"; exit 1; }
