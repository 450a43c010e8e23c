#!/usr/bin/env bash
# The quickstart adapter's exact match on the held-out split, seed by seed: how far above the 60 % bar it stays.
#
#   bash bench/quickstart-seeds.sh [SEEDS…]          (default: 1 2 3 4 5; needs the venv: node bin/pipeline.js setup)
#   CONFIG=configs/quickstart-long.yaml bash bench/quickstart-seeds.sh 1 2 3
#
# Each seed is a whole `pipeline run` of the config (LoRA init, dropout and data order change with it) into a
# temporary runs folder; the table (exact match, train and run seconds) goes to stdout and, time-stamped, to
# bench/results/quickstart-seeds-<date>.log. The machine is shared: times are noisy, exact match is not.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
config="${CONFIG:-configs/quickstart.yaml}"
[ $# -gt 0 ] || set -- 1 2 3 4 5
seeds=("$@")
runs="$(mktemp -d /tmp/quickstart-seeds.XXXXXX)"
trap 'rm -rf "$runs"' EXIT
log="$root/bench/results/quickstart-seeds-$(date +%F).log"
mkdir -p "$root/bench/results"
export PATH="$root/.tools/node/bin:$PATH" CI=1
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}" # as scripts/quickstart.sh runs it

{
  echo "# $(date -Is) $(git -C "$root" rev-parse --short HEAD) $config; uptime:$(uptime | sed 's/.*average//')"
  echo "| seed | exact match | train s | run s |"
  echo "|---:|---:|---:|---:|"
} | tee -a "$log"
for seed in "${seeds[@]}"; do
  node "$root/bin/pipeline.js" run "$root/$config" --runs-dir "$runs/$seed" --set "training.seed=$seed" \
    >"$runs/$seed.out" 2>&1 || true # a failed gate exits 1: its report is still written and read below
  node -e '
    const { readdirSync, readFileSync } = require("node:fs");
    const dir = process.argv[1] + "/" + readdirSync(process.argv[1])[0];
    const r = JSON.parse(readFileSync(dir + "/report.json", "utf8"));
    const em = r.suites.flatMap((s) => s.metrics).find((m) => m.metric === "exact_match").adapter;
    const run = (Date.parse(r.finished_at) - Date.parse(r.created_at)) / 1000;
    console.log(`| ${process.argv[2]} | ${(100 * em).toFixed(0)} % | ${r.training.train_time_s.toFixed(1)} | ${run.toFixed(1)} |`);
  ' "$runs/$seed" "$seed" | tee -a "$log"
done
tail -n "${#seeds[@]}" "$log" | awk -F'|' '{ gsub(/[ %]/, "", $3); print $3 }' | sort -n |
  awk '{ em[NR] = $1 } END { printf "min %s %%, median %s %%, max %s %% over %d seeds\n", em[1], em[int((NR + 1) / 2)], em[NR], NR }' |
  tee -a "$log"
