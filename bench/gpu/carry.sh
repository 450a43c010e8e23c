#!/usr/bin/env bash
# Makes what bench/gpu/*.sh need on a GPU machine that has no network: .whl/ (wheels for its Python 3.12 that
# its image lacks) and .gpu/ (the Alpaca demo rows from ../shared). Both are git-ignored; pass them as `carry`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
mkdir -p .whl .gpu
python3 -m pip download -q --disable-pip-version-check --no-deps --only-binary=:all: --python-version 3.12 \
  --platform manylinux_2_28_x86_64 --platform manylinux2014_x86_64 -d .whl \
  jsonschema==4.26.0 jsonschema-specifications referencing rpds-py liger-kernel==0.8.5
cp ../shared/real-datasets/llamafactory/alpaca_en_demo.json .gpu/
ls .whl .gpu
