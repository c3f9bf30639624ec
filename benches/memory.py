#!/usr/bin/env python3
"""Peak resident memory (ru_maxrss of each process, as GNU time reports it) and wall time of whole
`fipsctl` processes, in one run: `fipsctl scan` of a generated image archive of at least
1 GiB (`image_archive.py`: the real Go binaries of `scan.sh` plus filler layers) and
`fipsctl validate` of the documentation's example command.

    benches/memory.py <fipsctl> <dir of Go binaries> <work dir>  > memory.json

Each command runs MEMORY_RUNS times (default 5); the archive (MEMORY_ARCHIVE_MIB, default
1088: over 1 GiB) is deleted afterwards. Exit
status 0 (compliant) and 1 (not compliant) are verdicts; anything else is a failure.
"""

import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TIME = "/usr/bin/time"  # GNU time (Debian: apt-get install time)


def measure(name, argv, runs, work):
    """Runs `argv` `runs` times under GNU time; peak RSS in KiB and wall seconds of each.

    Not `os.wait4` from here: Linux carries the parent's resident high-water mark into a
    child across exec (and Python's subprocess spawns with vfork), so every child would
    report at least this Python's size. GNU time forks a small process first.
    """
    rss, wall, codes = [], [], set()
    report = os.path.join(work, "time.out")
    for _ in range(runs):
        p = subprocess.run(
            [TIME, "-f", "%M %e %x", "-o", report, *argv],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=False,
        )
        with open(report) as f:
            last = f.read().split("\n")
        # GNU time writes "Command exited with non-zero status N" before its line.
        fields = [line for line in last if line.strip()][-1].split()
        kib, seconds, code = int(fields[0]), float(fields[1]), int(fields[2])
        if code not in (0, 1) or p.returncode not in (0, 1):
            err = p.stderr.decode(errors="replace").strip()[:2000]
            sys.exit(f"memory.py: {name}: exit status {code}: {err}")
        codes.add(code)
        rss.append(kib)
        wall.append(seconds)
    return {
        "name": name,
        "command": " ".join(argv),
        "runs": runs,
        "exit_codes": sorted(codes),
        "peak_rss_kib_max": max(rss),
        "peak_rss_kib_median": statistics.median(rss),
        "wall_s_median": statistics.median(wall),
    }


def main():
    fipsctl, bins, work = sys.argv[1], sys.argv[2], sys.argv[3]
    if not os.access(TIME, os.X_OK):
        sys.exit(f"memory.py: {TIME} (GNU time) is not installed (apt-get install -y time)")
    runs = int(os.environ.get("MEMORY_RUNS", "5"))
    os.makedirs(work, exist_ok=True)
    archive = os.path.join(work, "image.tar")
    made = subprocess.run(
        [sys.executable, os.path.join(HERE, "image_archive.py"), bins, archive,
         os.environ.get("MEMORY_ARCHIVE_MIB", "1088")],
        check=True,
        capture_output=True,
        text=True,
    )
    info = json.loads(made.stdout)
    with open(os.path.join(HERE, "example-command.txt")) as f:
        example = f.read().split("\n")
    example = [w for w in example if w]
    try:
        rows = [
            measure("fipsctl scan (image archive)", [fipsctl, "scan", archive], runs, work),
            measure("fipsctl validate (example command)", [fipsctl, "validate", "--", *example], runs, work),
        ]
    finally:
        os.unlink(archive)
    json.dump({"archive": info, "rows": rows}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
