#!/usr/bin/env bash
# Times `fipsctl validate` of the product documentation's example command as a whole
# process (exec, self-test, parse, verdict, output, exit), beside `fipsctl codes` (the same
# binary, no self-test) and /bin/true (the floor of any process), with hyperfine (Debian:
# apt-get install hyperfine).
#
#   benches/whole_process.sh <fipsctl> <out.json>
#
# Writes hyperfine's JSON export (times in seconds; `median` per command). Exits 3 when
# hyperfine is missing, so that the caller can report the row as not run.
set -euo pipefail

fipsctl=${1:?usage: whole_process.sh <fipsctl> <out.json>}
out=${2:?usage: whole_process.sh <fipsctl> <out.json>}

if ! command -v hyperfine >/dev/null; then
  echo "whole_process.sh: hyperfine is not installed (apt-get install -y hyperfine)" >&2
  exit 3
fi

# The documentation's example command, one word a line (the policy bench reads it too).
mapfile -t example <"$(dirname "$0")/example-command.txt"

# The example must be judged compliant (exit 0); a failure here is a broken build, not a time.
"$fipsctl" validate -- "${example[@]}" >/dev/null

hyperfine --shell=none --style=none --warmup 20 --runs "${WHOLE_PROCESS_RUNS:-200}" \
  --export-json "$out" \
  --command-name "fipsctl validate (example command)" \
  "$fipsctl validate -- ${example[*]}" \
  --command-name "fipsctl codes (fipsctl without the self-test)" \
  "$fipsctl codes" \
  --command-name "/bin/true (process floor)" \
  "/bin/true" >/dev/null
