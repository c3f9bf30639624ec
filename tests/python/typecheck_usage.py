"""Not a test module: scripts/test-python runs `mypy --strict` over this file, so the
shipped stubs must type the documented uses (and reject none of them)."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Optional

import fips_policy
from fips_policy import ClusterRequest, FipsError, ParseError, Policy, Version


def documented_uses(root: Path) -> List[str]:
    v: Version = Version("v1.22.8+fips.0")
    build: Optional[int] = v.fips_build
    tags = [v.tag(), v.tag("etcd"), str(Version.from_tag("v3.4.13_fips.0"))]
    newer: bool = Version.parse("1.23.7+fips.0") > v
    unique = {v, Version("1.22.8+fips.0")}
    request = ClusterRequest.from_args(["dkp", "create", "cluster", "aws", "--ami=ami-03dcaa75d45aca36f"])
    keywords = ClusterRequest(provider="aws", kubernetes_version=v, etcd_version="3.4.13+fips.0", os="rhel-8.4")
    policy = Policy.from_file(root / "examples" / "policy.toml")
    report = fips_policy.validate(request, policy)
    codes: List[str] = [f.code for f in report.findings] + report.codes() + fips_policy.codes()
    transition = fips_policy.check_transition("1.22.8", v, Policy.default())
    host = fips_policy.probe_host(root / "tests" / "roots" / "rhel84-fips")
    mode: Optional[bool] = host.fips_mode
    fields: Dict[str, str] = fips_policy.parse_os_release("ID=rhel\n")
    image = fips_policy.ImageRef.parse("docker.io/mesosphere/etcd:v3.4.13_fips.0")
    tag: Optional[str] = image.tag
    try:
        Version("1.22")
    except ParseError as err:
        kind: str = err.kind
        tags.append(kind)
    except FipsError:
        pass
    ok = [report.compliant, transition.allowed, host.compliant, fips_policy.selftest().passed]
    return tags + codes + [str(build), str(newer), str(len(unique)), str(mode), str(ok), str(tag)] + list(fields) + [
        keywords.to_json(),
        str(request.to_dict()),
    ]


def scan_usage() -> list[str]:
    """Scanning binaries and images."""
    report = fips_policy.scan(["/bin/true"])
    ok: bool = report.compliant
    codes: list[str] = report.codes()
    return codes + [str(ok), str(report.to_dict())]
