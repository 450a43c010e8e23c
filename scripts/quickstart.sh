#!/usr/bin/env bash
# From a fresh clone: installs what is needed, then fine-tunes the quickstart LoRA on embedded defaults.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/bootstrap.sh
exec node bin/pipeline.js run configs/quickstart.yaml "$@"
