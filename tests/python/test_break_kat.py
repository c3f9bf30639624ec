"""Fail closed: when a Known-Answer Test fails, no verdict is ever given.

`scripts/test-python` builds a second wheel with the test-only `break-kat` feature and runs
this file with `FIPS_BREAK_KAT=SHA-256` (a power-on test, run before the first verdict) and
with `FIPS_BREAK_KAT=ECDSA-P256-PCT` (a conditional test, run before the first use of
randomness, which no verdict needs; `selftest()` runs it): once the broken test has run, every
verdict must raise `SelfTestError`. In the ordinary build (no `FIPS_BREAK_KAT` in the
environment of the test run), the same variable must be ignored: nothing can switch a KAT off
on purpose.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

import fips_policy as fp
from vectors import TOP

BROKEN = os.environ.get("FIPS_BREAK_KAT")
CONDITIONAL = {"AWS-LC-SELF-TEST", "RNG-HEALTH", "ECDSA-P256-PCT", "ECDSA-P384-PCT"}

DOC_ARGS = [
    "dkp", "create", "cluster", "aws", "--cluster-name", "myFipsCluster",
    "--ami=ami-03dcaa75d45aca36f", "--kubernetes-version=1.22.8+fips.0",
    "--kubernetes-image-repository=docker.io/mesosphere",
    "--etcd-image-repository=docker.io/mesosphere", "--etcd-version=3.4.13+fips.0",
]  # fmt: skip

VERDICTS = {
    "validate": lambda: fp.validate(fp.ClusterRequest.from_args(DOC_ARGS)),
    "validate(policy)": lambda: fp.validate(
        fp.ClusterRequest.from_args(DOC_ARGS), fp.Policy.from_file(TOP / "examples" / "policy.toml")
    ),
    "validate(keywords)": lambda: fp.validate(fp.ClusterRequest()),
    "check_transition": lambda: fp.check_transition("1.22.8+fips.0", "1.22.8+fips.0"),
    "check_transition(refused)": lambda: fp.check_transition("1.22.8", "1.22.8+fips.0"),
    "probe_host(rhel84-fips)": lambda: fp.probe_host(TOP / "tests" / "roots" / "rhel84-fips"),
    "probe_host(/)": lambda: fp.probe_host(),
    # An ELF file this run surely has (the interpreter), a directory and a missing path: the
    # self-test is checked before any path is read, so even that raises SelfTestError.
    "scan(file)": lambda: fp.scan(sys.executable),
    "scan(list)": lambda: fp.scan([sys.executable, TOP / "tests" / "scan"]),
    "scan(missing)": lambda: fp.scan(TOP / "tests" / "scan" / "no-such-file"),
}


@pytest.mark.skipif(not BROKEN, reason="only in the break-kat build, with FIPS_BREAK_KAT set")
def test_the_first_verdict_follows_the_broken_tests_phase():
    # A fresh process, whose first call is a verdict: a broken power-on test refuses it; a
    # broken conditional test has not run yet (no verdict uses randomness) until selftest().
    script = textwrap.dedent(
        f"""
        import fips_policy as fp
        request = fp.ClusterRequest.from_args({DOC_ARGS!r})
        if {BROKEN in CONDITIONAL!r}:
            assert fp.validate(request).compliant
        else:
            try:
                fp.validate(request)
            except fp.SelfTestError as e:
                assert "KAT {BROKEN}: " in str(e), str(e)
            else:
                raise AssertionError("a verdict was given with {BROKEN} broken")
        assert [k.name for k in fp.selftest().kats if not k.passed] == [{BROKEN!r}]
        try:
            fp.validate(request)
        except fp.SelfTestError:
            print("refused")
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "refused"


@pytest.mark.skipif(not BROKEN, reason="only in the break-kat build, with FIPS_BREAK_KAT set")
@pytest.mark.parametrize("name", list(VERDICTS))
def test_every_verdict_raises_selftest_error(name):
    fp.selftest()  # runs the conditional tests too: a broken one enters the error state here
    for _ in range(2):  # and keeps raising: the failure is cached, never retried into a pass
        with pytest.raises(fp.SelfTestError) as err:
            VERDICTS[name]()
        assert err.value.kind == "selftest"
        assert isinstance(err.value, fp.FipsError)
        assert str(err.value).startswith(f"crypto self-test failed: KAT {BROKEN}: ")
        assert str(err.value).endswith("; no verdict is given (fail closed)")


@pytest.mark.skipif(not BROKEN, reason="only in the break-kat build, with FIPS_BREAK_KAT set")
def test_selftest_report_names_the_broken_kat():
    report = fp.selftest()
    assert not report.passed
    failed = [k.name for k in report.kats if not k.passed]
    assert failed == [BROKEN]
    assert report.to_dict()["passed"] is False
    # Parsing is not a verdict and still works.
    assert fp.Version("1.22.8+fips.0").is_fips


@pytest.mark.skipif(bool(BROKEN), reason="the ordinary build only")
def test_ordinary_build_ignores_fips_break_kat():
    script = textwrap.dedent(
        f"""
        import fips_policy as fp
        assert fp.selftest().passed, fp.selftest().to_dict()
        assert fp.validate(fp.ClusterRequest.from_args({DOC_ARGS!r})).compliant
        assert fp.scan({sys.executable!r}).compliant
        print("ignored")
        """
    )
    env = {**os.environ, "FIPS_BREAK_KAT": "SHA-256"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ignored"
