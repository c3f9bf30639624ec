"""The Python API mirrors Rust: values, verdicts, dict shapes, exceptions and their messages.

Expected values come from the product documentation (the FIPS builds table and the example
`dkp create cluster aws` command), semver 2.0, os-release(5), and, for messages, the exact
text the Rust tests of fips-core freeze ("messages are Rust's").
"""

from __future__ import annotations

import json
import pickle

import pytest

import fips_policy as fp
from vectors import TOP

# Product documentation, FIPS 140-2 Compliance: the example create-cluster command.
DOC_ARGS = [
    "dkp", "create", "cluster", "aws", "--cluster-name", "myFipsCluster",
    "--ami=ami-03dcaa75d45aca36f", "--kubernetes-version=1.22.8+fips.0",
    "--kubernetes-image-repository=docker.io/mesosphere",
    "--etcd-image-repository=docker.io/mesosphere", "--etcd-version=3.4.13+fips.0",
]  # fmt: skip

# The registry of codes, frozen in fips-core (codes.rs, `registry_is_frozen`).
CODES = [
    "FIPS-K8S-NOT-FIPS-BUILD",
    "FIPS-ETCD-NOT-FIPS-BUILD",
    "FIPS-K8S-BUILD-UNSUPPORTED",
    "FIPS-ETCD-BUILD-UNSUPPORTED",
    "FIPS-BUILD-PAIR-UNSUPPORTED",
    "FIPS-K8S-REPOSITORY-NOT-FIPS",
    "FIPS-ETCD-REPOSITORY-NOT-FIPS",
    "FIPS-MIXED-ETCD-NOT-FIPS",
    "FIPS-MIXED-K8S-NOT-FIPS",
    "FIPS-AWS-AMI-MISSING",
    "FIPS-OS-UNSUPPORTED",
    "FIPS-CRYPTO-MODULE-NOT-VALIDATED",
    "FIPS-TRANSITION-ENABLE-REFUSED",
    "FIPS-TRANSITION-DISABLE-REFUSED",
    "FIPS-TRANSITION-DOWNGRADE",
    "FIPS-TRANSITION-TARGET-UNSUPPORTED",
    "FIPS-HOST-OS-UNKNOWN",
    "FIPS-HOST-OS-UNSUPPORTED",
    "FIPS-HOST-FIPS-MODE-OFF",
    "FIPS-HOST-NOT-PREPARED",
    "FIPS-HOST-INCONSISTENT",
    "FIPS-HOST-BOOT-CONFIG-UNREADABLE",
    "FIPS-SCAN-STANDARD-CRYPTO",
    "FIPS-SCAN-MODULE-NOT-ACCEPTED",
    "FIPS-SCAN-GOFIPS140-UNPINNED",
    "FIPS-SCAN-STRIPPED",
    "FIPS-SCAN-NOT-GO",
    "FIPS-SCAN-UNREADABLE",
    "FIPS-PROVIDER-UNSUPPORTED",
    "FIPS-SCAN-NOTHING-JUDGED",
    "FIPS-SCAN-CONTRADICTORY-EVIDENCE",
    "FIPS-CLUSTER-WORKERS-BUILD-MISMATCH",
    "FIPS-CLUSTER-AMI-LOOKUP",
    "FIPS-CLUSTER-TOPOLOGY-REPOSITORY-UNKNOWN",
    "FIPS-VERSION-TKR-NAME",
    "FIPS-CLUSTER-ETCD-TAG-INVALID",
    "FIPS-CLUSTER-ETCD-EXTERNAL",
    "FIPS-CLUSTER-CONTROL-PLANE-MISSING",
    "FIPS-SCAN-DIR-UNREADABLE",
    "FIPS-REQUEST-FLAG-MISSPELT",
    "FIPS-NAMESPACE-FIPS-REQUIRED",
    "FIPS-SCAN-OPENSSL-FIPS-PROVIDER-MISSING",
    "FIPS-SCAN-IMAGE-COMPONENT-MISSING",
]


# -- the package -------------------------------------------------------------------------


def test_all_is_the_public_surface():
    from fips_policy import _fips_policy

    assert sorted(fp.__all__) == sorted(set(fp.__all__)), "no duplicates"
    for name in fp.__all__:
        assert hasattr(fp, name), name
    native = {n for n in _fips_policy.__all__ if not n.startswith("_") or n == "__version__"}
    assert native == set(fp.__all__)
    assert fp.__version__ == "0.1.0"


def test_codes_is_the_frozen_registry():
    assert fp.codes() == CODES


# -- exceptions --------------------------------------------------------------------------


def test_exception_hierarchy():
    assert issubclass(fp.FipsError, Exception)
    assert issubclass(fp.ParseError, fp.FipsError) and issubclass(fp.ParseError, ValueError)
    assert issubclass(fp.PolicyError, fp.FipsError)
    assert issubclass(fp.RootError, fp.FipsError) and issubclass(fp.RootError, OSError)
    assert issubclass(fp.SelfTestError, fp.FipsError)
    assert issubclass(fp.FileError, fp.FipsError) and issubclass(fp.FileError, OSError)
    assert issubclass(fp.MissingFileError, fp.FileError)
    assert issubclass(fp.MissingFileError, FileNotFoundError)
    assert not issubclass(fp.PolicyError, ValueError)
    classes = (fp.FipsError, fp.ParseError, fp.PolicyError, fp.RootError, fp.SelfTestError)
    for cls in (*classes, fp.FileError, fp.MissingFileError):
        assert cls.__module__ == "fips_policy"
        assert cls.__doc__


def test_messages_are_rusts():
    # fips-core version.rs `error_messages_name_input_and_problem`.
    with pytest.raises(fp.ParseError) as err:
        fp.Version("1.22")
    assert str(err.value) == (
        'invalid version "1.22": the patch number is missing (1.22 has only MAJOR.MINOR); '
        "expected MAJOR.MINOR.PATCH[-PRE][+BUILD] such as 1.22.8+fips.0"
    )
    assert (err.value.kind, err.value.variant) == ("version", "syntax")
    with pytest.raises(fp.ParseError) as err:
        fp.Version("  ")
    assert str(err.value) == (
        'invalid version "  ": empty; expected MAJOR.MINOR.PATCH such as 1.22.8+fips.0'
    )
    assert err.value.variant == "empty"
    # fips-core request.rs `duplicate_judged_flag_with_another_value_is_refused`.
    with pytest.raises(fp.ParseError) as err:
        fp.ClusterRequest.from_args(["--etcd-version=3.4.13+fips.0", "--etcd-version", "3.4.13"])
    assert str(err.value) == (
        'flag --etcd-version given twice ("3.4.13+fips.0" and "3.4.13"); give it once'
    )
    assert (err.value.kind, err.value.variant) == ("request", "duplicate-flag")
    # fips-core request.rs `missing_value_names_the_flag`.
    with pytest.raises(fp.ParseError) as err:
        fp.ClusterRequest.from_args(["--etcd-version=3.4.13", "--kubernetes-version"])
    assert str(err.value) == (
        "flag --kubernetes-version needs a value, e.g. --kubernetes-version=<value>"
    )
    # fips-core version.rs, `TagError::UnknownComponent`.
    with pytest.raises(fp.ParseError) as err:
        fp.Version("1.22.8").tag("openshift")  # type: ignore[arg-type]
    assert str(err.value) == 'unknown component "openshift": expected "kubernetes" or "etcd"'
    assert (err.value.kind, err.value.variant) == ("tag", "unknown-component")


# -- versions ----------------------------------------------------------------------------


def test_version_basics():
    # Product documentation: --kubernetes-version 1.22.8+fips.0; kubeadm tags it v1.22.8_fips.0.
    v = fp.Version(" v1.22.8+fips.0 ")
    assert str(v) == "1.22.8+fips.0"
    assert repr(v) == "Version('1.22.8+fips.0')"
    assert v.fips_build == 0 and v.is_fips
    assert v.tag() == v.tag("kubernetes") == "v1.22.8_fips.0"
    # The vendor's FIPS etcd image: docker.io/mesosphere/etcd:v3.4.13_fips.0.
    assert fp.Version("3.4.13+fips.0").tag("etcd") == "v3.4.13_fips.0"
    # Upstream etcd tags have no v: registry.k8s.io/etcd:3.4.13-0.
    assert fp.Version("3.4.13-0").tag("etcd") == "3.4.13-0"
    assert fp.Version.from_tag("v3.4.13_fips.0") == fp.Version("3.4.13+fips.0")
    assert fp.Version.parse("1.22.8") == fp.Version("v1.22.8")
    assert fp.Version("1.22.8+vmware.1").fips_build is None


def test_version_equality_and_hash_keep_build_metadata():
    # DESIGN: v1.22.8+fips.0 and 1.22.8+fips.0 are the same; +fips.0 is significant.
    a, b, c = fp.Version("v1.22.8+fips.0"), fp.Version("1.22.8+fips.0"), fp.Version("1.22.8")
    assert a == b and hash(a) == hash(b)
    assert a != c
    assert len({a, b, c}) == 2
    assert {a: 1}[b] == 1
    # A str is parsed, never silently unequal: the same version in any spelling.
    assert a == "1.22.8+fips.0" and a == " v1.22.8+fips.0 " and a != "1.22.8"
    assert a > "1.22.7" and c < "1.22.9"
    assert hash(b) == hash("1.22.8+fips.0"), "a version hashes as its str()"
    with pytest.raises(fp.ParseError):
        a == "not a version"  # noqa: B015
    with pytest.raises(TypeError):
        a < 1  # type: ignore[operator]  # noqa: B015
    assert (a == 1) is False


def test_version_ordering_follows_semver_precedence():
    # semver 2.0 section 11: 1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0-beta < 1.0.0 < 2.0.0.
    texts = ["2.0.0", "1.0.0", "1.0.0-beta", "1.0.0-alpha.1", "1.0.0-alpha"]
    ordered = sorted(fp.Version(t) for t in texts)
    assert [str(v) for v in ordered] == ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-beta", "1.0.0", "2.0.0"]
    assert fp.Version("1.22.8+fips.0") < fp.Version("1.23.7+fips.0")
    assert fp.Version("1.23.7+fips.0") >= fp.Version("1.22.8+fips.0")
    # Build metadata is significant: the two builds are ordered, never equal.
    x, y = fp.Version("1.22.8"), fp.Version("1.22.8+fips.0")
    assert (x < y) != (y < x)


def test_version_to_dict_is_fipsctl_version_json():
    # fips-core version.rs, `VersionInfo` doctest.
    assert fp.Version("v1.22.8+fips.0").to_dict() == {
        "input": "v1.22.8+fips.0",
        "version": "1.22.8+fips.0",
        "fips": True,
        "fips_build": 0,
        "tag": "v1.22.8_fips.0",
        "component": "kubernetes",
    }
    assert fp.Version("3.4.13+fips.0").to_dict("etcd")["component"] == "etcd"


def test_version_pickles_and_is_immutable():
    v = fp.Version("v1.22.8+fips.0")
    assert pickle.loads(pickle.dumps(v)) == v
    with pytest.raises(AttributeError):
        v.fips_build = 3  # type: ignore[misc]
    with pytest.raises(TypeError):

        class Sub(fp.Version):  # type: ignore[misc]
            pass


# -- images ------------------------------------------------------------------------------


def test_image_ref():
    # The vendor's FIPS image, as the documentation names it.
    image = fp.ImageRef.parse("mesosphere/kube-apiserver:v1.22.8_fips.0")
    assert image.registry == "docker.io"
    assert image.repository == "mesosphere/kube-apiserver"
    assert image.tag == "v1.22.8_fips.0" and image.digest is None
    assert image.name == "docker.io/mesosphere/kube-apiserver"
    assert image.reference == str(image) == "docker.io/mesosphere/kube-apiserver:v1.22.8_fips.0"
    assert image.to_dict() == {
        "registry": "docker.io",
        "repository": "mesosphere/kube-apiserver",
        "tag": "v1.22.8_fips.0",
        "digest": None,
        "reference": "docker.io/mesosphere/kube-apiserver:v1.22.8_fips.0",
    }
    # distribution/reference: index.docker.io is docker.io; single names get library/.
    assert fp.ImageRef.parse("index.docker.io/library/nginx") == fp.ImageRef.parse("nginx")
    assert len({fp.ImageRef.parse("nginx"), fp.ImageRef.parse("docker.io/library/nginx")}) == 1
    with pytest.raises(fp.ParseError) as err:
        fp.ImageRef.parse("docker.io/Mesosphere/etcd")  # repository names are lower case
    assert err.value.kind == "image"


# -- policies ----------------------------------------------------------------------------


def test_default_policy_is_the_documented_table():
    policy = fp.Policy.default().to_dict()
    assert [
        (b["kubernetes"]["version"], b["kubernetes"]["repository"], b["etcd"]["version"], b["etcd"]["repository"])
        for b in policy["builds"]
    ] == [("1.22.8+fips.0", "docker.io/mesosphere", "3.4.13+fips.0", "docker.io/mesosphere")]
    assert [(o["id"], o["versions"]) for o in policy["operating_systems"]] == [
        ("rhel", ["7.9", "8.2", "8.4"]),
        ("centos", ["7.9"]),
    ]
    assert policy["mirrors"] == [] and policy["require_fips_module"] is False
    default = fp.Policy.default()
    assert default.supports_kubernetes("v1.22.8+fips.0")
    assert default.supports_etcd(fp.Version("3.4.13+fips.0"))
    assert not default.supports_kubernetes("1.22.8")
    assert default.supports_os("rhel", "8.4", "Red Hat Enterprise Linux")
    # Scientific Linux 7 says ID="rhel" but is not RHEL.
    assert not default.supports_os("rhel", "7.9", "Scientific Linux")
    assert fp.Policy.from_toml(fp.Policy.default_toml()).to_dict() == policy


def test_policy_files_and_errors(tmp_path):
    example = fp.Policy.from_file(TOP / "examples" / "policy.toml")
    assert example.supports_kubernetes("1.21.6+fips.0")
    assert fp.Policy.from_file(str(TOP / "examples" / "policy.toml")).to_dict() == example.to_dict()
    with pytest.raises(fp.PolicyError) as err:
        fp.Policy.from_toml("extend_default = true\nbuilds_typo = []\n")
    assert (err.value.kind, err.value.variant) == ("policy", "toml")
    assert "builds_typo" in str(err.value) and "line 2" in str(err.value)
    with pytest.raises(fp.PolicyError) as err:
        fp.Policy.from_toml(
            '[[builds]]\nkubernetes = { version = "1.22.8", repository = "docker.io/mesosphere" }\n'
            'etcd = { version = "3.4.13+fips.0", repository = "docker.io/mesosphere" }\n'
        )
    assert err.value.variant == "invalid"
    assert str(err.value).startswith("invalid policy: builds[0].kubernetes.version: ")
    # A missing policy file is an OSError, the same error as any missing named path.
    with pytest.raises(FileNotFoundError) as err:
        fp.Policy.from_file(tmp_path / "missing.toml")
    assert (err.value.kind, err.value.variant) == ("file", "not-found")
    assert err.value.filename == str(tmp_path / "missing.toml")
    with pytest.raises(fp.FileError) as err:
        fp.Policy.from_file(tmp_path)  # a directory
    assert err.value.variant == "not-a-file"


def test_mirror_policy_accepts_the_air_gapped_registry():
    # examples/policy.toml: registry.local/mesosphere mirrors docker.io/mesosphere.
    args = [a.replace("docker.io/mesosphere", "registry.local/mesosphere") for a in DOC_ARGS]
    request = fp.ClusterRequest.from_args(args)
    assert not fp.validate(request).compliant
    assert fp.validate(request, fp.Policy.from_file(TOP / "examples" / "policy.toml")).compliant


# -- requests and verdicts ---------------------------------------------------------------


def test_documented_request_is_compliant():
    request = fp.ClusterRequest.from_args(DOC_ARGS)
    assert request.provider == "aws"
    assert request.cluster_name == "myFipsCluster"
    assert request.kubernetes_version == fp.Version("1.22.8+fips.0")
    assert request.etcd_version == fp.Version("3.4.13+fips.0")
    assert request.kubernetes_image_repository == "docker.io/mesosphere"
    assert request.ami == "ami-03dcaa75d45aca36f"
    report = fp.validate(request)
    assert report.compliant and report.findings == [] and report.codes() == []
    assert report.to_dict() == {"compliant": True, "findings": []}
    assert fp.validate(request, fp.Policy.default()).to_dict() == report.to_dict()


def test_keyword_constructor_matches_the_command_line():
    by_keywords = fp.ClusterRequest(
        provider="aws",
        cluster_name="myFipsCluster",
        ami="ami-03dcaa75d45aca36f",
        kubernetes_version=fp.Version("1.22.8+fips.0"),
        kubernetes_image_repository="docker.io/mesosphere",
        etcd_image_repository="docker.io/mesosphere",
        etcd_version="3.4.13+fips.0",
    )
    assert by_keywords.to_dict() == fp.ClusterRequest.from_args(DOC_ARGS).to_dict()
    assert fp.validate(by_keywords).compliant
    request = fp.ClusterRequest(
        os="rhel-8.4", other_flags=[("--region", "us-west-2"), ("--dry-run", None)], other_args=["x"]
    )
    assert request.os == "rhel-8.4"
    assert request.to_dict()["os"] == {"id": "rhel", "version": "8.4"}
    assert request.other_flags == [("--region", "us-west-2"), ("--dry-run", None)]
    assert request.other_args == ["x"]
    assert fp.ClusterRequest.from_json(request.to_json()).to_dict() == request.to_dict()
    assert fp.ClusterRequest().to_dict() == json.loads(fp.ClusterRequest.from_json("{}").to_json())


def test_keyword_errors_name_the_field():
    with pytest.raises(fp.ParseError) as err:
        fp.ClusterRequest(kubernetes_version="1.22")
    assert str(err.value).startswith("invalid value for kubernetes_version: invalid version \"1.22\"")
    assert (err.value.kind, err.value.variant) == ("request", "invalid-value")
    with pytest.raises(fp.ParseError) as err:
        fp.ClusterRequest(ami="ami-nope")
    assert str(err.value).startswith("invalid value for ami: ")
    with pytest.raises(fp.ParseError) as err:
        fp.ClusterRequest(os="rhel")
    assert str(err.value).startswith("invalid value for os: ")
    with pytest.raises(fp.ParseError) as err:
        fp.ClusterRequest(etcd_image_repository="Docker.io//x")
    assert str(err.value).startswith("invalid value for etcd_image_repository: ")


def test_findings_carry_the_fixing_flag():
    args = [a.replace("1.22.8+fips.0", "1.22.8") for a in DOC_ARGS]
    report = fp.validate(fp.ClusterRequest.from_args(args))
    assert not report.compliant
    first = report.findings[0]
    assert (first.code, first.severity, first.field) == (
        "FIPS-K8S-NOT-FIPS-BUILD", "error", "--kubernetes-version"
    )
    assert first.remediation == "--kubernetes-version=1.22.8+fips.0"
    assert first.to_dict() == {
        "code": first.code,
        "severity": first.severity,
        "field": first.field,
        "message": first.message,
        "remediation": first.remediation,
    }
    assert first == report.findings[0]
    assert set(report.codes()) <= set(fp.codes())


def test_transition_refuses_enabling_fips():
    # Product documentation: FIPS mode cannot be applied to an existing cluster.
    report = fp.check_transition("1.22.8", "1.22.8+fips.0")
    assert not report.allowed
    assert report.codes() == ["FIPS-TRANSITION-ENABLE-REFUSED"]
    assert set(report.to_dict()) == {"allowed", "current", "desired", "findings"}
    assert report.to_dict()["current"] == "1.22.8"
    assert report.current == fp.Version("1.22.8") and report.desired.is_fips
    same = fp.check_transition("1.22.8+fips.0", fp.Version("v1.22.8+fips.0"), fp.Policy.default())
    assert same.allowed and same.findings == []
    with pytest.raises(fp.ParseError) as err:
        fp.check_transition("1.22", "1.22.8")
    assert err.value.kind == "version"


def test_host_probe_shapes():
    host = fp.probe_host(TOP / "tests" / "roots" / "rhel84-fips")
    d = host.to_dict()
    assert set(d) == {
        "root", "os", "os_supported", "fips_mode", "fips_prepared", "signals", "compliant", "findings"
    }  # fmt: skip
    assert host.os is not None and host.os.to_dict() == d["os"]
    assert host.signals.to_dict() == d["signals"]
    assert (host.os.id, host.os.version, host.signals.fips_enabled) == ("rhel", "8.4", True)
    assert host.root == d["root"]
    assert fp.probe_host().root == "/"
    with pytest.raises(FileNotFoundError) as err:
        fp.probe_host(TOP / "tests" / "roots" / "no-such-root")
    assert (err.value.kind, err.value.variant) == ("file", "not-found")


def test_selftest_report():
    report = fp.selftest()
    assert report.passed
    assert report.fips_module is fp.fips_module()
    assert report.module == fp.module_name()
    assert report.kats and all(k.passed and k.error is None for k in report.kats)
    assert {"name", "source", "passed", "duration_ns"} <= set(report.kats[0].to_dict())
    assert report.to_dict()["kats"] == [k.to_dict() for k in report.kats]
    assert set(report.to_dict()) == {"passed", "fips_module", "module", "kats"}


def test_os_release_defaults_and_quoting():
    # os-release(5): ID defaults to "linux", NAME and PRETTY_NAME to "Linux".
    empty = fp.OsRelease.parse("")
    assert (empty.id, empty.name, empty.pretty_name) == ("linux", "Linux", "Linux")
    assert empty.fields == {} and fp.parse_os_release("") == {}
    # os-release(5): values may be quoted; a backslash escapes `"` inside double quotes.
    os = fp.OsRelease.parse('NAME="Red \\"Hat\\""\nID=rhel\nnot an assignment\n')
    assert os.get("NAME") == 'Red "Hat"' and os.get("VERSION_ID") is None
    assert os.ignored_lines == [3]
