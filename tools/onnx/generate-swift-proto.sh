#!/usr/bin/env bash
# Regenerates Sources/Pipelines/Inference/ONNX/onnx.pb.swift from the onnx package's onnx.proto (comments stripped,
# so no text of the schema's documentation is copied) with protoc (apt: protobuf-compiler) and protoc-gen-swift
# built from swift-protobuf 1.39.0 (the version Package.swift pins). Development-time only; the output is committed.
set -euo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv" && "$work/venv/bin/pip" install -q onnx==1.23.2
proto=$("$work/venv/bin/python" -c "import onnx, os; print(os.path.join(os.path.dirname(onnx.__file__), 'onnx.proto'))")
"$work/venv/bin/python" - "$proto" "$work/onnx.proto" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
text = re.sub(r'//[^\n]*', '', text)
open(sys.argv[2], 'w').write(re.sub(r'\n\s*\n+', '\n', text))
PY
git clone -q /opt/swift-packages/apple/swift-protobuf.git "$work/sp" && git -C "$work/sp" checkout -q 1.39.0
(cd "$work/sp" && swift build -c release --product protoc-gen-swift >/dev/null)
protoc --plugin=protoc-gen-swift="$work/sp/.build/release/protoc-gen-swift" --swift_out="$work" \
       --swift_opt=Visibility=Internal -I"$work" "$work/onnx.proto"
out=Sources/Pipelines/Inference/ONNX/onnx.pb.swift
{ echo "// Generated from onnx.proto (ONNX 1.23.2, comments stripped) by tools/onnx/generate-swift-proto.sh with protoc and"
  echo "// protoc-gen-swift 1.39.0 (internal visibility). Do not edit: regenerate."
  cat "$work/onnx.pb.swift"; } > "$out"
echo "wrote $out"
