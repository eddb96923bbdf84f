#!/usr/bin/env bash
# Runs on the GPU machine (no Node, no internet), from the repo root, after
# `node scripts/gpu-check/prepare.mjs` made gpu-check/bundle/ here and it travelled along:
#   bash gpu-check/bundle/run.sh            (results in $OUT, else gpu-check/results)
# The --quick overhead, lasso (tensor part) and prune suites, each pinned to webgpu and to wasm,
# calling node directly; then webgpu/wasm ratios of the same computations. About 8 minutes at most.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
results="${OUT:-$here/../results}"
mkdir -p "$results"
log() { echo "[gpu-check $(date +%T)] $*" | tee -a "$results/gpu-check.log"; }

# Unpack what travelled gzipped.
[ -x "$here/node" ] || { gzip -dc "$here/node.gz" > "$here/node" && chmod +x "$here/node"; }
for z in "$here"/node_modules/webgpu/dist/linux-x64/*.gz; do
  [ -e "${z%.gz}" ] || gzip -dc "$z" > "${z%.gz}"
done
node="$here/node"
export LD_LIBRARY_PATH="$here/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export SPRED_FASHION_MNIST="$here/fashion-mnist"
# NVIDIA's Vulkan driver on this machine is not where the loader looks by default.
if [ -z "${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-}" ]; then
  for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
    if [ -f "$icd" ]; then export VK_DRIVER_FILES="$icd"; break; fi
  done
fi
log "node $("$node" --version), VK_DRIVER_FILES=${VK_DRIVER_FILES:-unset}"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | tee -a "$results/gpu-check.log"
(cd "$here" && "$node" bench.mjs --help >/dev/null) || { log "the bundle does not start"; exit 1; }

run() { # backend suite extra-args… (each run capped so the whole check fits)
  local backend="$1" suite="$2"; shift 2
  log "$suite on $backend"
  (cd "$here" && timeout 150 "$node" bench.mjs "$suite" --quick --backend "$backend" --out "$results/$backend" "$@") \
    >>"$results/$backend-$suite.out" 2>&1
  log "$suite on $backend: exit $?"
}
for backend in webgpu wasm; do
  run "$backend" overhead
  run "$backend" lasso --part tensor
  run "$backend" prune
done

# The same computations on both backends: wasm time over webgpu time.
"$node" - "$results" <<'JS' | tee "$results/ratios.txt"
const { readFileSync, existsSync } = require('node:fs');
const dir = process.argv[2];
const read = (b, s) => {
  const f = `${dir}/${b}/${s}.json`;
  return existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : undefined;
};
for (const [suite, key, label] of [
  ['overhead', 'spredMs', 'spred step'],
  ['lasso', 'msPerIteration', 'L-BFGS iteration'],
]) {
  const g = read('webgpu', suite), w = read('wasm', suite);
  if (!g || !w) { console.log(`${suite}: missing (${g ? '' : 'webgpu '}${w ? '' : 'wasm'})`); continue; }
  for (const c of g.cases) {
    const name = c.name ?? c.problem;
    const other = w.cases.find((d) => (d.name ?? d.problem) === name);
    if (other && c[key] && other[key])
      console.log(`${suite} ${name}: ${label} webgpu ${c[key].toFixed(2)} ms, wasm ${other[key].toFixed(2)} ms, wasm/webgpu ${(other[key] / c[key]).toFixed(2)}x`);
  }
}
JS
log "done; results in $results"
