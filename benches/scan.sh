#!/usr/bin/env bash
# Binary scan, whole process each: `fipsctl scan <dir>` against `go version -m <dir>` over
# the same directory of real Go binaries, built here with the machine's Go (standard
# crypto, BoringCrypto, Go's native FIPS 140-3 module, a stripped one) plus the
# toolchain's own gofmt. Times by hyperfine; bytes read per binary by strace (the read and
# pread64 calls on the scanned files; `-y` names each descriptor's file).
#
#   benches/scan.sh <fipsctl> <work dir> <out.json>
#
# Exits 3 when a tool is missing or fipsctl has no `scan` verb, with the reason on stderr,
# so that the caller reports the row as not run.
set -euo pipefail

fipsctl=${1:?usage: scan.sh <fipsctl> <work dir> <out.json>}
work=${2:?usage: scan.sh <fipsctl> <work dir> <out.json>}
out=${3:?usage: scan.sh <fipsctl> <work dir> <out.json>}
here=$(cd "$(dirname "$0")" && pwd)

for tool in go hyperfine strace python3; do
  if ! command -v "$tool" >/dev/null; then
    echo "scan.sh: $tool is not installed" >&2
    exit 3
  fi
done
if ! "$fipsctl" scan --help >/dev/null 2>&1; then
  echo "scan.sh: this fipsctl has no scan verb (the scanner is not on this checkout yet)" >&2
  exit 3
fi

rm -rf "$work"
mkdir -p "$work/src" "$work/bin"
cat >"$work/src/go.mod" <<'EOF'
module example.invalid/scanbench

go 1.24
EOF
mkdir -p "$work/src/hello" "$work/src/tlsclient"
cat >"$work/src/hello/main.go" <<'EOF'
package main

import "fmt"

func main() { fmt.Println("hello") }
EOF
cat >"$work/src/tlsclient/main.go" <<'EOF'
package main

import (
	"crypto/tls"
	"fmt"
	"net/http"
	"os"
)

func main() {
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS12}}}
	if len(os.Args) > 1 {
		resp, err := client.Get(os.Args[1])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println(resp.Status)
	}
}
EOF
build() { # name, env..., then -- go build flags
  local name=$1
  shift
  local envs=()
  while [ "$1" != -- ]; do
    envs+=("$1")
    shift
  done
  shift
  (cd "$work/src" && env "${envs[@]}" GOFLAGS=-mod=mod go build -o "$work/bin/$name" "$@")
}
build hello CGO_ENABLED=0 -- ./hello
build tls-std CGO_ENABLED=0 -- ./tlsclient
build tls-std-stripped CGO_ENABLED=0 -- -ldflags='-s -w' ./tlsclient
build tls-boringcrypto CGO_ENABLED=1 GOEXPERIMENT=boringcrypto -- ./tlsclient
build tls-fips140 CGO_ENABLED=0 GOFIPS140=latest -- ./tlsclient
cp "$(go env GOROOT)/bin/gofmt" "$work/bin/gofmt"

hyperfine --shell=none --style=none --warmup 5 --runs "${SCAN_RUNS:-30}" -i \
  --export-json "$work/hyperfine.json" \
  --command-name "fipsctl scan" "$fipsctl scan $work/bin" \
  --command-name "go version -m" "go version -m $work/bin" >/dev/null

# Bytes read from the scanned files, whole process each.
strace -f -y -qq -e trace=read,pread64,readv,preadv -o "$work/fipsctl.strace" \
  "$fipsctl" scan "$work/bin" >/dev/null || true
strace -f -y -qq -e trace=read,pread64,readv,preadv -o "$work/go.strace" \
  go version -m "$work/bin" >/dev/null || true
"$fipsctl" --json scan "$work/bin" >"$work/fipsctl-scan.json" || true

python3 "$here/scan_report.py" "$work/bin" "$work/hyperfine.json" \
  "$work/fipsctl.strace" "$work/go.strace" "$work/fipsctl-scan.json" >"$out"
