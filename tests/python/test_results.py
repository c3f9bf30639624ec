"""Every result is a class with attributes, one shape each (issue 14, items 5 and 6):
``to_dict()`` is the serde JSON shape, ``repr`` shows the fields Python-style, results
compare equal by value and pickle, and the truth of a verdict is the verdict."""

from __future__ import annotations

import errno
import os
import pickle
import shutil
import sys
from pathlib import Path

import pytest

import fips_policy as fp
from vectors import TOP

CLUSTER = TOP / "tests" / "manifests" / "fips-aws" / "cluster.yaml"
DOCUMENTED = [
    "dkp", "create", "cluster", "aws", "--cluster-name", "myFipsCluster",
    "--ami=ami-03dcaa75d45aca36f", "--kubernetes-version=1.22.8+fips.0",
    "--kubernetes-image-repository=docker.io/mesosphere",
    "--etcd-image-repository=docker.io/mesosphere", "--etcd-version=3.4.13+fips.0",
]  # fmt: skip


def non_compliant_results():
    """One failing verdict of each kind, with the attribute that holds the verdict."""
    request = fp.ClusterRequest(provider="aws", kubernetes_version="1.22.8")
    return [
        (fp.validate(request), "compliant"),
        (fp.check_transition("1.22.8", "1.22.8+fips.0"), "allowed"),
        (fp.probe_host(TOP / "tests" / "roots" / "ubuntu2004"), "compliant"),
        (fp.audit(CLUSTER.read_text().replace("v1.22.8+fips.0", "v1.22.8")), "compliant"),
    ]


def test_bool_of_a_verdict_is_the_verdict():
    # The old truth: an object is True, and a scan report's truth was its length.
    for report, verdict in non_compliant_results():
        assert getattr(report, verdict) is False
        assert bool(report) is False, f"{type(report).__name__} is truthy though not {verdict}"
        assert not report
    good = fp.validate(fp.ClusterRequest.from_args(DOCUMENTED))
    assert good.compliant and bool(good) is True
    assert bool(fp.selftest()) is True and bool(fp.selftest().kats[0]) is True


def test_scan_report_truth_is_compliance_not_length(tmp_path):
    # An empty directory under a policy that requires the validated module: no result, and
    # a scan-level error finding (this build runs the non-validated AWS-LC).
    strict = fp.Policy.from_toml("extend_default = true\nrequire_fips_module = true\n")
    report = fp.scan([tmp_path], policy=strict)
    if fp.fips_module():
        pytest.skip("the validated module satisfies require_fips_module")
    assert len(report) == 0 and not report.compliant
    # 0 results: the old truth (its length) was False for the wrong reason; a report with
    # results but not compliant was True. Now truth is the verdict either way.
    assert bool(report) is False


def test_repr_shows_the_fields_python_style():
    report = fp.validate(fp.ClusterRequest(provider="aws", kubernetes_version="1.22.8"))
    text = repr(report)
    assert text.startswith("Report(compliant=False, findings=[Finding(code='FIPS-K8S-NOT-FIPS-BUILD', ")
    assert "severity=<Severity.ERROR: 'error'>" in text
    good = fp.validate(fp.ClusterRequest.from_args(DOCUMENTED))
    assert repr(good) == "Report(compliant=True, findings=[])"
    assert repr(fp.Severity.WARNING) == "<Severity.WARNING: 'warning'>"
    assert repr(fp.Component.ETCD) == "<Component.ETCD: 'etcd'>"
    assert repr(fp.Code("FIPS-K8S-NOT-FIPS-BUILD")) == "Code('FIPS-K8S-NOT-FIPS-BUILD')"
    assert repr(fp.ImageRepository("mesosphere")) == "ImageRepository('docker.io/mesosphere')"
    host = fp.probe_host(TOP / "tests" / "roots" / "rhel84-fips")
    assert repr(host.os) == (
        "HostOs(id='rhel', name='Red Hat Enterprise Linux', version_id='8.4', version='8.4', "
        "pretty_name='Red Hat Enterprise Linux 8.4 (Ootpa)')"
    )


def every_result():
    """Each kind of result, built when its test runs (not at collection)."""
    request = lambda: fp.ClusterRequest.from_args(DOCUMENTED)  # noqa: E731
    host = lambda: fp.probe_host(TOP / "tests" / "roots" / "rhel84-fips")  # noqa: E731
    audited = lambda: fp.audit(CLUSTER.read_text().replace("v1.22.8+fips.0", "v1.22.8"))  # noqa: E731
    makers = {
        "Report": lambda: fp.validate(fp.ClusterRequest(provider="aws")),
        "Finding": lambda: fp.validate(fp.ClusterRequest(provider="aws")).findings[0],
        "TransitionReport": lambda: fp.check_transition("1.22.8", "1.22.8+fips.0"),
        "HostReport": host,
        "HostOs": lambda: host().os,
        "HostSignals": lambda: host().signals,
        "SelfTestReport": fp.selftest,
        "KatResult": lambda: fp.selftest().kats[0],
        "ScanReport": lambda: fp.scan([sys.executable]),
        "ScanResult": lambda: fp.scan([sys.executable]).results[0],
        "AuditReport": audited,
        "ClusterReport": lambda: audited().clusters[0],
        "ObjectFinding": lambda: audited().clusters[0].findings[0],
        "ObjectRef": lambda: audited().clusters[0].objects[0],
        "PulledImage": lambda: fp.pulled_images(request())[0],
        "ImageRepository": lambda: fp.ImageRepository("mesosphere"),
        "ImageRef": lambda: fp.ImageRef.parse("nginx"),
        "Version": lambda: fp.Version("1.22.8+fips.0"),
        "Severity": lambda: fp.Severity.ERROR,
        "Component": lambda: fp.Component.ETCD,
        "Code": lambda: fp.Code("FIPS-K8S-NOT-FIPS-BUILD"),
    }
    return [pytest.param(make, id=name) for name, make in makers.items()]


@pytest.mark.parametrize("make", every_result())
def test_every_result_pickles_and_compares_by_value(make):
    value = make()
    back = pickle.loads(pickle.dumps(value))
    assert type(back) is type(value)
    assert back == value and not (back != value)
    assert repr(back) == repr(value)
    if hasattr(value, "to_dict"):
        assert back.to_dict() == value.to_dict()


def test_scan_results_are_typed_and_codes_match_findings():
    report = fp.scan([sys.executable, Path(sys.executable).parent])
    result = report.results[0]
    assert isinstance(result, fp.ScanResult) and isinstance(result.path, str)
    assert all(isinstance(f, fp.Finding) for f in report.findings)
    # codes() is the codes of all_findings(): each result's, then the scan's own.
    everything = [f for r in report.results for f in r.findings] + report.findings
    assert report.all_findings() == everything
    assert report.codes() == [f.code for f in report.all_findings()]
    assert report.to_dict()["results"] == [r.to_dict() for r in report.results]
    d = result.to_dict()
    assert (d["path"], d["format"], d["crypto_module"]) == (result.path, result.format, result.crypto_module)
    assert d["evidence"] == [e.to_dict() for e in result.evidence]


def test_code_area_summary_and_severity_component():
    code = fp.Code("FIPS-K8S-NOT-FIPS-BUILD")
    assert code == "FIPS-K8S-NOT-FIPS-BUILD" and str(code) == "FIPS-K8S-NOT-FIPS-BUILD"
    assert code.area and code.summary
    assert [str(c) for c in fp.Code.all()] == fp.codes()
    with pytest.raises(ValueError):
        fp.Code("FIPS-NO-SUCH-CODE")
    assert fp.Severity("error") is fp.Severity.ERROR or fp.Severity("error") == fp.Severity.ERROR
    assert fp.Severity.INFO < fp.Severity.WARNING < fp.Severity.ERROR
    assert fp.Severity.ERROR == "error" and hash(fp.Severity.ERROR) == hash("error")
    assert fp.Version("1.22.8+fips.0").tag(fp.Component.ETCD) == "v1.22.8_fips.0"
    assert fp.Component("etcd") == fp.Component.ETCD == "etcd"


def test_image_repository_and_pulled_images():
    repo = fp.ImageRepository("mesosphere")
    assert (repo.registry, repo.path, str(repo)) == ("docker.io", "mesosphere", "docker.io/mesosphere")
    assert repo == fp.ImageRepository.parse("docker.io/mesosphere/") and len({repo, fp.ImageRepository("index.docker.io/mesosphere")}) == 1
    with pytest.raises(fp.ParseError):
        fp.ImageRepository("docker.io/x@sha256:" + "0" * 64)
    images = fp.pulled_images(fp.ClusterRequest.from_args(DOCUMENTED))
    assert [str(i.image) for i in images][:2] == [
        "docker.io/mesosphere/kube-apiserver:v1.22.8_fips.0",
        "docker.io/mesosphere/kube-controller-manager:v1.22.8_fips.0",
    ]
    assert images[0].fips and images[0].name == "kube-apiserver"


def test_paths_are_any_iterable_of_str_bytes_or_pathlike():
    path = Path(sys.executable)
    want = fp.scan([str(path)]).to_dict()
    assert fp.scan(p for p in [path]).to_dict() == want  # a generator
    assert fp.scan({str(path)}).to_dict() == want  # a set
    assert fp.scan([os.fsencode(path)]).to_dict() == want  # bytes
    assert fp.scan(os.fsencode(path)).to_dict() == want
    root = TOP / "tests" / "roots" / "rhel84-fips"
    assert fp.probe_host(os.fsencode(root)).to_dict()["os"] == fp.probe_host(root).to_dict()["os"]
    assert fp.Policy.from_file(os.fsencode(TOP / "examples" / "policy.toml")).to_dict()
    with pytest.raises(TypeError, match=r"^paths: expected a str, bytes, os.PathLike or an iterable of them, got int$"):
        fp.scan(5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^paths\[1\]: expected a str, bytes or os.PathLike, got int$"):
        fp.scan([path, 5])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"expected a str, bytes or os.PathLike, got NoneType"):
        fp.probe_host(None)  # type: ignore[arg-type]


def test_errors_say_python_words():
    with pytest.raises(TypeError) as err:
        fp.ClusterRequest.from_args("dkp create cluster aws")  # type: ignore[arg-type]
    assert str(err.value) == "argv: expected a list of str (one per word), got one str; split it first, e.g. with shlex.split"
    with pytest.raises(TypeError, match=r"^argv\[1\]: expected a str, got int$"):
        fp.ClusterRequest.from_args(["dkp", 1])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"^other_args: expected a list of str"):
        fp.ClusterRequest(other_args="x")  # type: ignore[arg-type]
    for call in (
        lambda: fp.ClusterRequest.from_args("x"),  # type: ignore[arg-type]
        lambda: fp.ClusterRequest(other_flags=[("--a", 1)]),  # type: ignore[list-item]
        lambda: fp.scan(5),  # type: ignore[arg-type]
    ):
        with pytest.raises(TypeError) as err:
            call()
        assert "Vec" not in str(err.value) and "extract" not in str(err.value), str(err.value)


def test_cluster_request_round_trips_through_keywords():
    request = fp.ClusterRequest.from_args([*DOCUMENTED, "--os", "rhel-8.4", "--region=us-west-2", "--dry-run"])
    assert fp.ClusterRequest(**request.to_dict()).to_dict() == request.to_dict()
    again = fp.ClusterRequest(os=request.os, other_flags=request.other_flags)
    assert again.os == request.os == "rhel-8.4"
    assert fp.ClusterRequest(os={"id": "rhel", "version": "8.4"}).os == "rhel-8.4"
    with pytest.raises(TypeError, match=r"^os: expected"):
        fp.ClusterRequest(os=8.4)  # type: ignore[arg-type]


def test_root_error_is_the_os_error_open_would_raise():
    with pytest.raises(fp.RootError) as err:
        fp.probe_host(TOP / "tests" / "roots" / "trap-loop")
    assert isinstance(err.value, OSError)
    assert err.value.errno == errno.ELOOP and err.value.filename
    assert (err.value.kind, err.value.variant) == ("root", "symlink-loop")


def test_scan_error_of_a_missing_blob_is_file_not_found(tmp_path):
    # An OCI image layout (image-spec image-layout.md) whose index names a blob that is not
    # there: reading it fails as reading a missing file does.
    layout = tmp_path / "layout"
    shutil.copytree(TOP / "tests" / "vectors" / "inputs" / "oci-layout-index-not-json", layout)
    digest = "sha256:" + "a" * 64
    (layout / "index.json").write_text(
        '{"schemaVersion": 2, "manifests": [{"mediaType": '
        '"application/vnd.oci.image.manifest.v1+json", "digest": "%s", "size": 2}]}' % digest
    )
    with pytest.raises(fp.FipsError) as err:
        fp.scan([layout])
    if isinstance(err.value, fp.ScanError) and err.value.variant == "io":
        assert isinstance(err.value, FileNotFoundError)
        assert err.value.errno == errno.ENOENT and err.value.filename
    else:
        assert isinstance(err.value, OSError) and err.value.filename


def test_audit_takes_text_a_dict_or_dicts():
    import json

    text = CLUSTER.read_text()
    by_text = fp.audit(text)
    assert by_text.compliant and isinstance(by_text.clusters[0], fp.ClusterReport)
    try:
        import yaml  # type: ignore[import-untyped]
    except ImportError:
        yaml = None
    # JSON objects, as a list of dicts and one by one.
    objects = [json.loads(json.dumps(o)) for o in (yaml.safe_load_all(text) if yaml else [])]
    if objects:
        assert fp.audit(objects) == by_text
    one = {
        "apiVersion": "controlplane.cluster.x-k8s.io/v1beta1",
        "kind": "KubeadmControlPlane",
        "metadata": {"name": "cp", "namespace": "default", "labels": {"cluster.x-k8s.io/cluster-name": "c"}},
        "spec": {"version": "v1.22.8"},
    }
    report = fp.audit(one)
    assert not report and "FIPS-K8S-NOT-FIPS-BUILD" in report.codes()
    assert fp.audit([one]) == report == fp.audit(json.dumps(one))
    finding = report.clusters[0].findings[0]
    assert finding.object is not None and finding.object.kind == "KubeadmControlPlane"
    assert finding.to_dict()["object"] == finding.object.to_dict()
    with pytest.raises(fp.ParseError) as err:
        fp.audit("kind: [unclosed")
    assert err.value.kind == "manifest" and isinstance(err.value, ValueError)
    with pytest.raises(TypeError, match=r"^objects: expected YAML or JSON text, a dict or an iterable of dicts, got int$"):
        fp.audit(5)  # type: ignore[arg-type]
    # An update: FIPS turned off on an existing cluster is refused.
    off = fp.audit(text.replace("v1.22.8+fips.0", "v1.22.8"), old=text)
    assert "FIPS-TRANSITION-DISABLE-REFUSED" in off.codes()
