#!/usr/bin/env bash
# Installs Hepatix under PREFIX: include/hepatix.h, lib/hepatix/ (libhepatix.so, the Swift runtime
# libraries it links, the CLI, the shipped ONNX models in models/), lib/pkgconfig/hepatix.pc and bin/hepatix.
# A C host then builds with `cc app.c $(pkg-config --cflags --libs hepatix)`.
set -euo pipefail
prefix=$1; build=$2; version=$3; sover=$4
libdir="$prefix/lib/hepatix"
mkdir -p "$prefix/include" "$libdir" "$prefix/lib/pkgconfig" "$prefix/bin"
install -m 644 include/hepatix.h "$prefix/include/hepatix.h"
install -m 755 "$build/libhepatix.so" "$libdir/libhepatix.so.$version"
ln -sf "libhepatix.so.$version" "$libdir/libhepatix.so.$sover"
ln -sf "libhepatix.so.$sover" "$libdir/libhepatix.so"
install -m 755 "$build/hepatix-cli" "$libdir/hepatix"
ln -sf "../lib/hepatix/hepatix" "$prefix/bin/hepatix"
# The shipped models, found beside the library (ShippedModels).
mkdir -p "$libdir/models"
install -m 644 Models/*.onnx "$libdir/models/"
# The Swift runtime libraries libhepatix.so and the CLI need; found through their $ORIGIN run path.
swift_libs=$( (ldd "$build/libhepatix.so"; ldd "$build/hepatix-cli") | awk '/=> .*\/swift\/linux\// {print $3}' | sort -u)
for lib in $swift_libs; do install -m 755 "$lib" "$libdir/"; done
cat > "$prefix/lib/pkgconfig/hepatix.pc" <<PC
prefix=$prefix
libdir=\${prefix}/lib/hepatix
includedir=\${prefix}/include

Name: hepatix
Description: CPU CT reconstruction and liver analysis engine (C ABI)
Version: $version
Libs: -L\${libdir} -lhepatix -Wl,-rpath,\${libdir}
Cflags: -I\${includedir}
PC
echo "installed hepatix $version in $prefix ($(echo "$swift_libs" | wc -w) Swift runtime libraries in $libdir)"
