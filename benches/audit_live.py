#!/usr/bin/env python3
"""`fipsctl audit` of the generated 1,000-cluster stream as whole processes, offline (`-f`)
and live (`--kubeconfig`, every namespace, paginated), in one run: wall time and peak RSS
(GNU time, as `memory.py` measures), objects per second. Beside the live audit, its two
baselines, also whole processes on the same server in the same run:

- `read_live` (fips-kube/examples/read_live.rs): the same client, pages and parse as the
  live audit, without the self-test and the verdicts: live audit / read_live is what the
  verdicts cost on top of fetching and parsing (issue 15's "audit within 2x of the parse");
- `kubectl get KINDS -A -o json`: the peer users reach for, fetching the same objects.

    benches/audit_live.py <fipsctl> <read_live> <kubectl> <stream.yaml> <kubeconfig> <work dir> <create ns>  > audit-live.json

The stream is the one `fips-core/benches/audit.rs` generates (written with
FIPS_AUDIT_BENCH_WRITE) and `scripts/bench audit` has created on the harness API server
(`kubectl create -f`, which took <create ns> nanoseconds).
Before anything is timed, both audits must say compliant for every cluster of the stream and
name the same clusters: a figure of a wrong answer is not a figure. Each audit runs
AUDIT_RUNS times (default 3).
"""

import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from memory import measure  # noqa: E402  (GNU time, peak RSS of the child alone)


def report(argv):
    p = subprocess.run(argv, capture_output=True, check=False)
    if p.returncode != 0:
        sys.exit(f"audit_live.py: {' '.join(argv)}: exit status {p.returncode}: "
                 f"{p.stderr.decode(errors='replace').strip()[:2000]}")
    return json.loads(p.stdout)


def main():
    fipsctl, read_live, kubectl, stream, kubeconfig, work, create_ns = sys.argv[1:8]
    runs = int(os.environ.get("AUDIT_RUNS", "3"))
    text = open(stream, encoding="utf-8").read()
    objects = sum(1 for line in text.splitlines() if line.startswith("kind:"))
    offline_argv = [fipsctl, "--json", "audit", "-f", stream]
    live_argv = [fipsctl, "--json", "audit", "--kubeconfig", kubeconfig, "-A"]
    answers = {}
    for name, argv in (("offline", offline_argv), ("live", live_argv)):
        r = report(argv)
        names = sorted(c["name"] for c in r["clusters"])
        if not r["compliant"] or not all(c["compliant"] for c in r["clusters"]):
            sys.exit(f"audit_live.py: the {name} audit is not compliant")
        answers[name] = names
    if answers["offline"] != answers["live"]:
        sys.exit("audit_live.py: the offline and live audits name different clusters")
    read_argv = [read_live, kubeconfig]
    listed = json.loads(subprocess.run(read_argv, capture_output=True, check=True).stdout)
    if listed["objects"] != objects:
        sys.exit(f"audit_live.py: read_live read {listed['objects']} objects, the stream has {objects}")
    kinds = sorted({line.split(":", 1)[1].strip().lower() for line in text.splitlines()
                    if line.startswith("kind:")})
    kubectl_argv = [kubectl, "--kubeconfig", kubeconfig, "get", ",".join(kinds), "-A", "-o", "json"]
    got = json.loads(subprocess.run(kubectl_argv, capture_output=True, check=True).stdout)
    if len(got["items"]) != objects:
        sys.exit(f"audit_live.py: kubectl got {len(got['items'])} objects, the stream has {objects}")
    rows = []
    for name, argv in (("offline", offline_argv), ("live", live_argv), ("read_live", read_argv),
                       ("kubectl", kubectl_argv)):
        label = {"read_live": "read_live (list and parse only)",
                 "kubectl": "kubectl get -A -o json"}.get(name, f"fipsctl audit ({name})")
        row = measure(label, argv, runs, work)
        row["objects_per_s"] = objects / row["wall_s_median"] if row["wall_s_median"] else None
        rows.append(row)
    json.dump({
        "clusters": len(answers["live"]),
        "objects": objects,
        "yaml_bytes": len(text.encode()),
        "create_s": int(create_ns) / 1e9,
        "pages": listed["pages"],
        "rows": rows,
    }, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
