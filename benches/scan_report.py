"""Summarises benches/scan.sh: medians from hyperfine, bytes read per binary from strace.

usage: scan_report.py <bin dir> <hyperfine.json> <fipsctl.strace> <go.strace> <fipsctl-scan.json>
Prints one JSON object on stdout.
"""

import json
import os
import re
import sys
from collections import defaultdict

# `1234 read(3</path>, "..."..., 4096) = 4096`, possibly split by strace -f into
# `1234 read(3</path>, <unfinished ...>` and `1234 <... read resumed>...) = 4096`.
START = re.compile(r"^(\d+)\s+(read|pread64|readv|preadv)\((\d+)<([^>]*)>")
RESUMED = re.compile(r"^(\d+)\s+<\.\.\. (read|pread64|readv|preadv) resumed>")
RESULT = re.compile(r"\)\s+=\s+(-?\d+)")


def bytes_read(strace_path, files):
    """Bytes each scanned file gave to read-family calls, by path."""
    per_file = defaultdict(int)
    pending = {}
    with open(strace_path, encoding="utf-8", errors="replace") as f:
        for line in f:
            start = START.match(line)
            if start:
                pid, _, _, path = start.groups()
                if line.rstrip().endswith("<unfinished ...>"):
                    pending[pid] = path
                    continue
            else:
                resumed = RESUMED.match(line)
                if not resumed:
                    continue
                pid = resumed.group(1)
                path = pending.pop(pid, None)
                if path is None:
                    continue
            result = RESULT.search(line)
            if result and int(result.group(1)) > 0 and path in files:
                per_file[path] += int(result.group(1))
    return {path: per_file.get(path, 0) for path in files}


def fipsctl_reported(scan_json_path, files):
    """`bytes_read` per file as fipsctl's JSON reports it, when it does."""
    try:
        with open(scan_json_path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        return None
    found = {}

    def walk(node):
        if isinstance(node, dict):
            path = node.get("path")
            if isinstance(path, str) and "bytes_read" in node:
                found[os.path.realpath(path)] = node["bytes_read"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data)
    if not found:
        return None
    return {path: found.get(path) for path in files}


def main():
    bin_dir, hyperfine_json, fipsctl_strace, go_strace, scan_json = sys.argv[1:6]
    files = sorted(
        os.path.realpath(os.path.join(bin_dir, name)) for name in os.listdir(bin_dir)
    )
    sizes = {path: os.path.getsize(path) for path in files}
    with open(hyperfine_json, encoding="utf-8") as f:
        runs = {r["command"]: r for r in json.load(f)["results"]}
    ours = bytes_read(fipsctl_strace, files)
    theirs = bytes_read(go_strace, files)
    reported = fipsctl_reported(scan_json, files)
    summary = {
        "files": [
            {
                "name": os.path.basename(path),
                "size": sizes[path],
                "fipsctl_bytes_read_strace": ours[path],
                "fipsctl_bytes_read_reported": None if reported is None else reported[path],
                "go_version_bytes_read_strace": theirs[path],
            }
            for path in files
        ],
        "fipsctl_median_s": runs["fipsctl scan"]["median"],
        "go_version_median_s": runs["go version -m"]["median"],
        # Mean user + system CPU per process: on a shared machine wall time carries the
        # scheduler's waits, CPU time does not.
        "fipsctl_cpu_s": runs["fipsctl scan"]["user"] + runs["fipsctl scan"]["system"],
        "go_version_cpu_s": runs["go version -m"]["user"] + runs["go version -m"]["system"],
        "fipsctl_exit_codes": sorted(set(runs["fipsctl scan"].get("exit_codes", []))),
        "go_version_exit_codes": sorted(set(runs["go version -m"].get("exit_codes", []))),
        "runs": len(runs["fipsctl scan"]["times"]),
    }
    json.dump(summary, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
