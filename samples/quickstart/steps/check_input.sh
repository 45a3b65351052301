#!/usr/bin/env bash
# Checks the raw CSV before anything reads it: present, has the expected header, has rows.
set -euo pipefail

csv="../data/penguins.csv"
expected="species,island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex"

if [[ ! -f "$csv" ]]; then
  echo "missing input: $csv" >&2
  exit 1
fi

header="$(head -n 1 "$csv" | tr -d '\r')"
if [[ "$header" != "$expected" ]]; then
  echo "unexpected header: $header" >&2
  exit 1
fi

rows=$(( $(wc -l < "$csv") - 1 ))
echo "input ok: $rows rows, $(awk -F, 'NR > 1 && /,,|,$/' "$csv" | wc -l) with missing values"
echo "shared data folder: ${ORCHEST_DATA_DIR:-/data}"
