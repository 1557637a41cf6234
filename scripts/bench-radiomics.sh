#!/usr/bin/env bash
# `make bench`, radiomics part: generates the synthetic liver CT (once), installs PyRadiomics 3.1.0 and
# Z-Rad in throwaway venvs under the bench folder, and runs tools/bench/bench_radiomics.py.
# Set BENCH_DATA to reuse a folder.
set -euo pipefail
source "$(dirname "$0")/bench-env.sh"
liver="$data/synthetic-liver"
mkdir -p "$liver"
scripts/install-deps.sh python3-venv
pyrad="$data/venv-pyradiomics" zrad="$data/venv-zrad"
if [ ! -x "$pyrad/bin/python" ] || ! "$pyrad/bin/python" -c "import radiomics" 2>/dev/null; then
  python3 -m venv "$pyrad"
  "$pyrad/bin/pip" install -q numpy==1.26.4 SimpleITK PyWavelets pykwalify six setuptools wheel versioneer
  # PyRadiomics 3.1.0 has no cp311 wheel and its PyPI sdist is broken (metadata says 3.0.1a1 and the two C
  # headers are missing): fetch the sdist, fix the version, declare the C functions, build it here.
  src="$data/pyradiomics-src"
  rm -rf "$src" && mkdir -p "$src"
  "$pyrad/bin/python" "$here/tools/bench/radiomics/fetch_sdist.py" pyradiomics 3.1.0 "$src/pyradiomics.tar.gz"
  tar -xzf "$src/pyradiomics.tar.gz" -C "$src" --strip-components=1
  rm -rf "$src/data"
  sed -i 's/^version = "3.0.1a1"/version = "3.1.0"/' "$src/pyproject.toml"
  "$pyrad/bin/python" "$here/tools/bench/radiomics/declare_c_headers.py" "$src/radiomics/src"
  (cd "$src" && "$pyrad/bin/pip" install -q --no-build-isolation .)
fi
if [ ! -x "$zrad/bin/python" ] || ! "$zrad/bin/python" -c "import zrad" 2>/dev/null; then
  python3 -m venv "$zrad"
  "$zrad/bin/pip" install -q z-rad
fi
if [ ! -f "$liver/synthetic_liver_ct.json" ]; then
  "$pyrad/bin/python" "$shared/workloads/radiomics/gen_synthetic_liver_ct.py" "$liver"
fi
"$pyrad/bin/python" "$here/tools/bench/bench_radiomics.py" --hepatix "$here/.build/release/hepatix" --data "$liver" \
  --pyradiomics-python "$pyrad/bin/python" --zrad-python "$zrad/bin/python" --out "$data" "$@"
