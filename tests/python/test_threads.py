"""Many threads at once get the very verdicts one thread gets.

Every class is frozen and holds plain Rust data; the self-test runs once per process behind
a lock; host probing and the self-test release the GIL while they work.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor

import fips_policy as fp
from vectors import TOP, load

THREADS = 32
ROUNDS = 20


def work():
    """One pass over a slice of every kind of call; returns comparable results."""
    vectors = load()
    out = []
    for v in vectors["requests"]:
        try:
            if "args" in v:
                request = fp.ClusterRequest.from_args(v["args"])
            else:
                request = fp.ClusterRequest.from_json(json.dumps(v["json"]))
            out.append(fp.validate(request).to_dict())
        except fp.FipsError as err:
            out.append((err.kind, str(err)))
    for v in vectors["transitions"]:
        try:
            out.append(fp.check_transition(v["current"], v["desired"]).to_dict())
        except fp.FipsError as err:
            out.append((err.kind, str(err)))
    for v in vectors["hosts"]:
        try:
            out.append(fp.probe_host(TOP / v["root"]).to_dict())
        except fp.FipsError as err:
            out.append((err.kind, str(err)))
    for v in vectors["versions"]:
        try:
            version = fp.Version(v["input"])
            out.append((str(version), version.fips_build, hash(version)))
        except fp.ParseError as err:
            out.append(str(err))
    out.append(fp.selftest().to_dict()["passed"])
    return out


def test_many_threads_agree_with_one():
    expected = work()
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(lambda _: work(), range(THREADS * ROUNDS // 4)))
    for got in results:
        assert got == expected


def test_shared_objects_across_threads():
    version = fp.Version("1.22.8+fips.0")
    policy = fp.Policy.from_file(TOP / "examples" / "policy.toml")
    request = fp.ClusterRequest(kubernetes_version=version, etcd_version="3.4.13+fips.0")

    def use(_):
        return (
            version.tag("etcd"),
            tuple(fp.validate(request, policy).codes()),
            fp.check_transition(version, version, policy).allowed,
        )

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = set(pool.map(use, range(THREADS * ROUNDS)))
    assert len(results) == 1


def test_first_verdicts_race_the_selftest():
    """In a fresh process, many threads ask for a verdict at the same moment: the lazy
    self-test runs once and every thread gets the same answer."""
    script = textwrap.dedent(
        """
        import threading, fips_policy as fp
        n = 32
        barrier = threading.Barrier(n)
        out = []
        def run():
            barrier.wait()
            r = fp.validate(fp.ClusterRequest(provider="aws"))
            out.append((r.compliant, tuple(r.codes()), fp.selftest().passed))
        threads = [threading.Thread(target=run) for _ in range(n)]
        for t in threads: t.start()
        for t in threads: t.join()
        assert len(out) == n and len(set(out)) == 1, out
        print(out[0])
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "True)" in done.stdout
