"""fips_policy: FIPS 140 compliance policy for Kubernetes provisioning.

The verdicts are fips-core's, the same as in Rust, C, Go and ``fipsctl``::

    import fips_policy

    request = fips_policy.ClusterRequest.from_args([
        "dkp", "create", "cluster", "aws", "--cluster-name", "myFipsCluster",
        "--ami=ami-03dcaa75d45aca36f", "--kubernetes-version=1.22.8+fips.0",
        "--kubernetes-image-repository=docker.io/mesosphere",
        "--etcd-image-repository=docker.io/mesosphere", "--etcd-version=3.4.13+fips.0",
    ])
    report = fips_policy.validate(request)
    assert report.compliant

    scanned = fips_policy.scan(["/usr/local/bin/kube-apiserver", "etcd-image.tar"])
    for result in scanned.results:
        print(result.path, result.crypto_module, result.compliant)

Every result is a class with attributes, ``to_dict()`` (the serde JSON shape that
``fipsctl --json`` prints), equality, pickling and a ``repr`` that shows its fields; the
truth of a verdict is the verdict (``bool(report)`` is ``report.compliant``).

Errors are exceptions under ``FipsError``: ``ParseError`` (also a ``ValueError``) for
versions, tags, image references, requests and manifests; ``PolicyError``; ``RootError``
(also an ``OSError``, with ``errno`` and ``filename``) for unreadable probe roots;
``ScanError`` (also an ``OSError``) for no path, scanned paths that cannot be read and
malformed image archives; ``SelfTestError`` when the crypto
self-test failed, after which no verdict is ever given. Each carries ``kind`` and
``variant``. A path the caller named (a policy file, a probe root, a path to scan) that
cannot be opened is ``FileError`` (also an ``OSError``, with ``errno`` and ``filename``)
whichever call named it; a missing one is ``MissingFileError``, also a
``FileNotFoundError``. Wrong argument types raise ``TypeError``.
"""

from fips_policy._fips_policy import (
    AuditReport,
    ClusterReport,
    ClusterRequest,
    Code,
    Component,
    Evidence,
    FileError,
    Finding,
    FipsError,
    GoBuildInfo,
    GoModule,
    HostOs,
    HostReport,
    HostSignals,
    ImageRef,
    ImageRepository,
    KatResult,
    MissingFileError,
    ObjectFinding,
    ObjectRef,
    OsRelease,
    ParseError,
    Policy,
    PolicyError,
    PulledImage,
    RegistryRead,
    RegistryScanReport,
    Report,
    RootError,
    ScanError,
    ScanReport,
    ScanResult,
    SelfTestError,
    SelfTestReport,
    Severity,
    TransitionReport,
    Version,
    __version__,
    audit,
    check_transition,
    codes,
    fips_module,
    module_name,
    parse_os_release,
    probe_host,
    pulled_images,
    scan,
    scan_registry,
    selftest,
    validate,
)

__all__ = [
    "AuditReport",
    "ClusterReport",
    "ClusterRequest",
    "Code",
    "Component",
    "Evidence",
    "FileError",
    "Finding",
    "FipsError",
    "GoBuildInfo",
    "GoModule",
    "HostOs",
    "HostReport",
    "HostSignals",
    "ImageRef",
    "ImageRepository",
    "KatResult",
    "MissingFileError",
    "ObjectFinding",
    "ObjectRef",
    "OsRelease",
    "ParseError",
    "Policy",
    "PolicyError",
    "PulledImage",
    "RegistryRead",
    "RegistryScanReport",
    "Report",
    "RootError",
    "ScanError",
    "ScanReport",
    "ScanResult",
    "SelfTestError",
    "SelfTestReport",
    "Severity",
    "TransitionReport",
    "Version",
    "__version__",
    "audit",
    "check_transition",
    "codes",
    "fips_module",
    "module_name",
    "parse_os_release",
    "probe_host",
    "pulled_images",
    "scan",
    "scan_registry",
    "selftest",
    "validate",
]
