#!/usr/bin/env python3
"""Side-by-side timings of fips_policy against its Python peers; prints JSON to stdout.

    python benches/python_bench.py [--repeat N] [--min-time SECONDS]

Measured on the same inputs:
- versions: ``fips_policy.Version(s)`` (and with ``.tag()``) against
  ``packaging.version.Version(s)`` and ``semver.Version.parse(s)``, and on plain release
  versions (``1.22.8``, ``v1.22.8``) against packaging alone;
- os-release: ``fips_policy.parse_os_release(text)`` against CPython's
  ``platform._parse_os_release(lines)`` (the parser behind
  ``platform.freedesktop_os_release``, CPython 3.10+);
- the cost of one call into the native module (``_noop()``) against a pure-Python no-op.

Each figure is the median, over ``--repeat`` rounds, of the time per call in nanoseconds;
each round times fips_policy and its peers one after the other, and ``ratio`` is the median
of the rounds' own ratios of fips_policy's time to the peer's (below 1: fips_policy is
faster).
A peer that is not installed is reported as skipped with the install command
(``pip install packaging==26.3 semver==3.1.2``), never silently left out.
Uses only ``timeit``; no benchmark framework.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import timeit
from typing import Any, Callable, Dict, List, Optional

import fips_policy
from fips_policy import _fips_policy

# Versions valid in all three grammars (semver 2.0, PEP 440, Kubernetes): the product
# documentation's FIPS builds, a later vendor build, upstream ones, and a pre-release.
VERSIONS = ["1.22.8+fips.0", "3.4.13+fips.0", "1.23.7+fips.0", "1.22.8", "3.4.13-0", "1.0.0-alpha.1+build.5"]
# Plain release versions, with and without Kubernetes' `v`: where packaging has its fast
# path (PEP 440 allows the leading `v`; python-semver does not, so it is not a peer here).
PLAIN_VERSIONS = ["1.22.8", "v1.22.8"]

# RHEL 8.4's /etc/os-release.
OS_RELEASE = """\
NAME="Red Hat Enterprise Linux"
VERSION="8.4 (Ootpa)"
ID="rhel"
ID_LIKE="fedora"
VERSION_ID="8.4"
PLATFORM_ID="platform:el8"
PRETTY_NAME="Red Hat Enterprise Linux 8.4 (Ootpa)"
ANSI_COLOR="0;31"
CPE_NAME="cpe:/o:redhat:enterprise_linux:8.4:GA"
HOME_URL="https://www.redhat.com/"
DOCUMENTATION_URL="https://access.redhat.com/documentation/red_hat_enterprise_linux/8/"
BUG_REPORT_URL="https://bugzilla.redhat.com/"

REDHAT_BUGZILLA_PRODUCT="Red Hat Enterprise Linux 8"
REDHAT_BUGZILLA_PRODUCT_VERSION=8.4
REDHAT_SUPPORT_PRODUCT="Red Hat Enterprise Linux"
REDHAT_SUPPORT_PRODUCT_VERSION="8.4"
"""


def loops_per_run(timer: timeit.Timer, min_time: float) -> int:
    """How many calls of the timer's function make one timed run last at least `min_time`."""
    number = 1
    while timer.timeit(number) < min_time:
        number *= 2
    return number


def peer(name: str) -> Optional[Any]:
    """The module `name`, or None when it is not installed."""
    try:
        return __import__(name)
    except ImportError:
        return None


def compare(
    ours: Callable[[], Any],
    peers: Dict[str, Optional[Callable[[], Any]]],
    skipped: Dict[str, str],
    calls: int,
    args: argparse.Namespace,
) -> Dict[str, Any]:
    """fips_policy's time per call against each installed peer's, in ns, and their ratio.

    The runs are interleaved: each of the `--repeat` rounds times fips_policy and then every
    peer, so that a slow stretch of a shared machine falls on both sides of a ratio instead of
    on one of them. Each time is the median over the rounds; each ratio is the median of the
    rounds' own ratios.
    """
    timed = {"fips_policy": ours, **{name: fn for name, fn in peers.items() if fn is not None}}
    timers = {name: timeit.Timer(fn) for name, fn in timed.items()}
    numbers = {name: loops_per_run(timer, args.min_time) for name, timer in timers.items()}
    per_call: Dict[str, List[float]] = {name: [] for name in timed}
    for _ in range(args.repeat):
        for name, timer in timers.items():
            per_call[name].append(timer.timeit(numbers[name]) / numbers[name] / calls * 1e9)
    ours_runs = per_call["fips_policy"]
    out: Dict[str, Any] = {"fips_policy_ns": round(statistics.median(ours_runs), 1), "peers": {}}
    for name, fn in peers.items():
        if fn is None:
            out["peers"][name] = {"skipped": skipped[name]}
            continue
        ratio = statistics.median(o / p for o, p in zip(ours_runs, per_call[name]))
        out["peers"][name] = {"ns": round(statistics.median(per_call[name]), 1), "ratio": round(ratio, 3)}
    return out


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="timed runs per figure (median)")
    parser.add_argument("--min-time", type=float, default=0.05, help="seconds per timed run")
    args = parser.parse_args(argv)

    packaging_version = None
    try:
        from packaging import version as packaging_version
    except ImportError:
        pass
    semver = peer("semver")
    skipped = {
        "packaging": "packaging is not installed (pip install packaging==26.3)",
        "semver": "semver is not installed (pip install semver==3.1.2)",
        "cpython_platform": "platform._parse_os_release needs CPython 3.10+",
    }

    # Every peer must agree that the inputs are versions before anything is timed.
    for s in VERSIONS:
        fips_policy.Version(s)
        if packaging_version is not None:
            packaging_version.Version(s)
        if semver is not None:
            semver.Version.parse(s)

    n = len(VERSIONS)
    benchmarks: Dict[str, Any] = {}
    benchmarks["version_parse"] = compare(
        lambda: [fips_policy.Version(s) for s in VERSIONS],
        {
            "packaging": (lambda: [packaging_version.Version(s) for s in VERSIONS])
            if packaging_version is not None
            else None,
            "semver": (lambda: [semver.Version.parse(s) for s in VERSIONS]) if semver is not None else None,
        },
        skipped,
        n,
        args,
    )
    for s in PLAIN_VERSIONS:
        fips_policy.Version(s)
        if packaging_version is not None:
            packaging_version.Version(s)
    benchmarks["version_parse_plain"] = compare(
        lambda: [fips_policy.Version(s) for s in PLAIN_VERSIONS],
        {
            "packaging": (lambda: [packaging_version.Version(s) for s in PLAIN_VERSIONS])
            if packaging_version is not None
            else None,
        },
        skipped,
        len(PLAIN_VERSIONS),
        args,
    )
    benchmarks["version_parse_and_tag"] = compare(
        lambda: [fips_policy.Version(s).tag() for s in VERSIONS],
        {
            # The peers have no image tags: their parse alone, against our parse plus tag.
            "packaging": (lambda: [packaging_version.Version(s) for s in VERSIONS])
            if packaging_version is not None
            else None,
            "semver": (lambda: [semver.Version.parse(s) for s in VERSIONS]) if semver is not None else None,
        },
        skipped,
        n,
        args,
    )

    cpython_parse = getattr(platform, "_parse_os_release", None)
    lines = OS_RELEASE.splitlines()
    if cpython_parse is not None:
        defaults = {"NAME": "Linux", "ID": "linux", "PRETTY_NAME": "Linux"}
        assert {**defaults, **fips_policy.parse_os_release(OS_RELEASE)} == cpython_parse(lines)
    benchmarks["parse_os_release"] = compare(
        lambda: fips_policy.parse_os_release(OS_RELEASE),
        {"cpython_platform": (lambda: cpython_parse(lines)) if cpython_parse is not None else None},
        skipped,
        1,
        args,
    )

    def py_noop() -> None:
        pass

    benchmarks["call_overhead"] = compare(_fips_policy._noop, {"pure_python": py_noop}, skipped, 1, args)

    report = {
        "tool": "benches/python_bench.py",
        "unit": "ns per call (median of runs)",
        "ratio": "fips_policy time / peer time; below 1 means fips_policy is faster",
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "machine": platform.machine(),
        "fips_policy": fips_policy.__version__,
        "crypto_module": fips_policy.module_name(),
        "peers": {
            "packaging": getattr(sys.modules.get("packaging"), "__version__", None),
            "semver": getattr(semver, "__version__", None),
        },
        "repeat": args.repeat,
        "inputs": {"versions": VERSIONS, "plain_versions": PLAIN_VERSIONS, "os_release_bytes": len(OS_RELEASE.encode())},
        "benchmarks": benchmarks,
    }
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
