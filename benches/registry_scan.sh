#!/usr/bin/env bash
# Scanning an image straight from a registry (issue 17 item 5), whole processes on the same
# image of the real registry on loopback (scripts/registry-harness):
#
#   fipsctl scan docker://REF --insecure-registry HOST:PORT
#   against  crane export REF - | tar -x -C DIR && go version -m DIR
#
# The image is one gzip layer holding the scan bench's Go binaries (benches/scan.sh builds
# them) under usr/local/bin, pushed with `crane append`. Times by hyperfine; the bytes each
# tool transferred from the registry are the registry's own count (`http.response.written`
# of its log lines) over one run of each. Before anything is timed, fipsctl must have judged
# every binary of the image, and go version -m must have printed each one's build.
#
#   benches/registry_scan.sh <fipsctl> <bin dir> <work dir> <out.json>
#
# Exits 3 when a tool is missing, with the reason on stderr (the row is then "not run").
set -euo pipefail

fipsctl=${1:?usage: registry_scan.sh <fipsctl> <bin dir> <work dir> <out.json>}
bins=${2:?usage: registry_scan.sh <fipsctl> <bin dir> <work dir> <out.json>}
work=${3:?usage: registry_scan.sh <fipsctl> <bin dir> <work dir> <out.json>}
out=${4:?usage: registry_scan.sh <fipsctl> <bin dir> <work dir> <out.json>}
top=$(cd "$(dirname "$0")/.." && pwd)

for tool in go hyperfine python3 tar; do
  command -v "$tool" >/dev/null || { echo "registry_scan.sh: $tool is not installed" >&2; exit 3; }
done
eval "$("$top/scripts/registry-harness" paths)"
if [ ! -x "$REGISTRY_BIN" ] || [ ! -x "$CRANE" ]; then
  echo "registry_scan.sh: the registry and crane are not built (scripts/registry-harness build)" >&2
  exit 3
fi

rm -rf "$work"
mkdir -p "$work/root/usr/local/bin" "$work/export"
cp "$bins"/* "$work/root/usr/local/bin/"
tar -C "$work/root" -czf "$work/layer.tar.gz" usr
"$top/scripts/registry-harness" up "$work/registry" --owner-pid $$ >"$work/up.log" 2>&1
trap '"$top/scripts/registry-harness" down "$work/registry" >/dev/null 2>&1' EXIT
# shellcheck disable=SC1091
. "$work/registry/env"
ref=$REGISTRY/bench/scan:v1
"$CRANE" append --insecure -f "$work/layer.tar.gz" -t "$ref" >"$work/push.log" 2>&1

ours=("$fipsctl" scan "docker://$ref" --insecure-registry "$REGISTRY")
cat >"$work/peer.sh" <<PEER
set -eo pipefail
rm -rf '$work/export' && mkdir '$work/export'
'$CRANE' export --insecure '$ref' - | tar -x -C '$work/export'
go version -m '$work/export/usr/local/bin'
PEER

log=$work/registry/logs/registry.log
written() { # bytes the registry wrote in its log lines from line $1 on
  tail -n +"$1" "$log" | grep -o 'http.response.written=[0-9]*' | awk -F= '{ s += $2 } END { print s + 0 }'
}
from=$(($(wc -l <"$log") + 1))
set +e
"${ours[@]}" --quiet >"$work/ours.out" 2>&1
ours_status=$?
set -e
ours_bytes=$(written "$from")
if [ "$ours_status" -gt 1 ]; then
  echo "registry_scan.sh: fipsctl scan failed ($ours_status): $(tail -n 3 "$work/ours.out")" >&2
  exit 1
fi
from=$(($(wc -l <"$log") + 1))
bash "$work/peer.sh" >"$work/peer.out" 2>&1
peer_bytes=$(written "$from")
judged=$("$fipsctl" --json scan "docker://$ref" --insecure-registry "$REGISTRY" |
  python3 -c 'import json,sys; print(len(json.load(sys.stdin)["results"]))' || true)
count=$(ls "$bins" | wc -l)
printed=$(grep -c $'^\tpath\t' "$work/peer.out" || true)
if [ "$printed" -ne "$count" ]; then
  echo "registry_scan.sh: go version -m printed $printed builds for $count binaries" >&2
  exit 1
fi

hyperfine -N -i --warmup 2 --runs 15 --export-json "$work/hyperfine.json" \
  -n fipsctl "${ours[*]}" -n crane-export-go-version "bash $work/peer.sh" >"$work/hyperfine.log" 2>&1

python3 - "$work/hyperfine.json" "$out" "$ours_bytes" "$peer_bytes" "$count" "$judged" \
  "$(stat -c %s "$work/layer.tar.gz")" <<'PY'
import json, sys
runs, out, ours_bytes, peer_bytes, count, judged, layer = sys.argv[1:8]
results = {r["command"]: r for r in json.load(open(runs))["results"]}
row = lambda r: {"median_s": r["median"], "user_s": r["user"], "system_s": r["system"], "runs": len(r["times"])}
json.dump({
    "binaries": int(count),
    "judged_by_fipsctl": int(judged or 0),
    "layer_bytes": int(layer),
    "fipsctl": {**row(results["fipsctl"]), "bytes_from_registry": int(ours_bytes or 0)},
    "crane_export_go_version_m": {**row(results["crane-export-go-version"]), "bytes_from_registry": int(peer_bytes or 0)},
}, open(out, "w"), indent=1)
PY
