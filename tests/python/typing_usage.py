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


def registry_usage(host: str) -> List[object]:
    """Scanning an image straight from its registry (never called: mypy checks the types)."""
    scanned = fips_policy.scan_registry(
        f"docker://{host}/fips/boring:v1",
        None,
        platform="linux/amd64",
        insecure_registries=[host],
        ca_certificates=[Path("/ca.pem")],
        docker_config="/root/.docker/config.json",
        connect_timeout=5.0,
        read_timeout=30,
    )
    report: fips_policy.ScanReport = scanned.report
    read: fips_policy.RegistryRead = scanned.registry
    mirror: Optional[str] = read.mirror
    out: List[object] = [scanned.compliant, bool(scanned), scanned.to_dict(), report.codes()]
    return out + [read.reference, read.read, mirror, read.digest, read.platforms, read.to_dict()]


def every_attribute(root: Path) -> List[object]:
    """Touches every attribute of every result class, with the type the stubs promise, so
    that mypy --strict proves the stubs name each one (and none is Dict[str, Any])."""
    out: List[object] = []
    request = ClusterRequest.from_args(["--kubernetes-version=1.22.8+fips.0", "--os", "rhel-8.4"])
    again = ClusterRequest(os={"id": "rhel", "version": "8.4"}, other_flags=[{"flag": "--x", "value": None}])
    out += [request.provider, request.cluster_name, request.kubernetes_version, request.ami]
    out += [request.kubernetes_image_repository, request.etcd_version, request.etcd_image_repository]
    out += [request.os, request.other_flags, request.other_args, again.to_dict()]

    report: fips_policy.Report = fips_policy.validate(request)
    truth: bool = bool(report)
    finding: fips_policy.Finding = report.findings[0]
    severity: fips_policy.Severity = finding.severity
    worse: bool = severity >= fips_policy.Severity.WARNING
    out += [report.compliant, truth, worse, finding.code, finding.field, finding.message, finding.remediation]
    code = fips_policy.Code(finding.code)
    out += [code.value, code.area, code.summary, fips_policy.Code.all(), severity.value]

    transition = fips_policy.check_transition("1.22.8", "1.22.8+fips.0")
    current: Version = transition.current
    out += [transition.allowed, current, transition.desired, transition.findings, transition.codes()]

    host = fips_policy.probe_host(root / "tests" / "roots" / "rhel84-fips")
    os_info: Optional[fips_policy.HostOs] = host.os
    if os_info is not None:
        version_id: Optional[str] = os_info.version_id
        out += [os_info.id, os_info.name, version_id, os_info.version, os_info.pretty_name]
    signals: fips_policy.HostSignals = host.signals
    out += [signals.fips_enabled, signals.cmdline_fips, signals.system_fips, signals.crypto_policy_config]
    out += [signals.crypto_policy_current, signals.grub_cmdline_fips, signals.bls_entries_fips]
    out += [host.root, host.os_supported, host.fips_prepared, host.compliant, host.findings, host.codes()]

    selftest = fips_policy.selftest()
    kat: fips_policy.KatResult = selftest.kats[0]
    nanoseconds: int = kat.duration_ns
    out += [selftest.passed, selftest.fips_module, selftest.module, kat.name, kat.source, kat.passed, kat.error]
    out.append(nanoseconds)

    scanned = fips_policy.scan(p for p in [root / "target"])
    out += [scanned.compliant, scanned.findings, scanned.all_findings(), scanned.codes(), len(scanned)]
    for result in scanned.results:
        module: str = result.crypto_module
        settings: Dict[str, str] = result.settings
        out += [result.path, result.format, result.go_version, result.package, result.main, result.deps]
        out += [module, settings, result.fips_only, result.component, result.stripped, result.needed]
        out += [result.findings, result.compliant, result.bytes_read, result.codes()]
        for evidence in result.evidence:
            out += [evidence.source, evidence.marker, evidence.signal]
        info = result.build_info
        if info is not None:
            text: str = info.go_version_m(result.path)
            out += [text, info.go_version, info.package, info.settings]
            modules: List[fips_policy.GoModule] = info.deps + ([info.main] if info.main else [])
            for m in modules:
                replaced: Optional[fips_policy.GoModule] = m.replace
                out += [m.path, m.version, m.sum, replaced]

    audited = fips_policy.audit("kind: ConfigMap\napiVersion: v1\nmetadata: {name: x}\n", old=[{"kind": "x"}])
    out += [audited.compliant, audited.ignored, audited.codes(), bool(audited)]
    for cluster in audited.clusters:
        out += [cluster.namespace, cluster.name, cluster.compliant, cluster.codes()]
        for ref in cluster.objects:
            out += [ref.api_version, ref.kind, ref.namespace, ref.name]
        for object_finding in cluster.findings:
            where: Optional[fips_policy.ObjectRef] = object_finding.object
            plain: fips_policy.Finding = object_finding.finding
            out += [where, plain, object_finding.code, object_finding.severity, object_finding.field]
            out += [object_finding.message, object_finding.remediation]

    for image in fips_policy.pulled_images(request, Policy.default()):
        pulled: fips_policy.ImageRef = image.image
        out += [image.name, pulled, image.fips, image.note]
    repository = fips_policy.ImageRepository("mesosphere")
    out += [repository.registry, repository.path, fips_policy.ImageRepository.parse("docker.io/x")]
    etcd_tag: str = Version("3.4.13+fips.0").tag(fips_policy.Component.ETCD)
    same: bool = Version("1.22.8") == "1.22.8"
    out += [etcd_tag, same, fips_policy.Component("etcd").value]
    try:
        Policy.from_file(b"/nonexistent.toml")
    except FileNotFoundError as err:
        out.append(err.filename)
    try:
        fips_policy.probe_host(root / "tests" / "roots" / "trap-loop")
    except fips_policy.RootError as err:
        number: Optional[int] = err.errno
        out += [number, err.filename]
    return out
