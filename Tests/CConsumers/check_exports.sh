#!/usr/bin/env bash
# The shared library must export exactly the functions declared in include/hepatix.h.
set -euo pipefail
lib=$1; header=$2
declared=$(grep -oE '\bhx_[a-z0-9_]+\(' "$header" | tr -d '(' | sort -u)
exported=$(nm -D --defined-only --extern-only "$lib" | awk '$2 ~ /^[TtWiV]$/ || $2 == "T" {print $3}' | sed 's/@.*//' | sort -u)
if [ "$declared" != "$exported" ]; then
  echo "export check: FAILED"
  diff <(echo "$declared") <(echo "$exported") || true
  echo "exports: 0 passed, 1 failed"
  exit 1
fi
echo "export check: $(echo "$declared" | wc -l) functions declared and exported, nothing else"
