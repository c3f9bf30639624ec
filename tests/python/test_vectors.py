"""Every conformance vector through the Python API: the same verdicts as Rust.

Mirrors ``fips-core/tests/vectors.rs`` check for check; a disagreement is a bug in the
binding, never "expected".
"""

from __future__ import annotations

import errno
import json
import platform

import pytest

import fips_policy as fp
from vectors import TOP, load

VECTORS = load()


def cases(kind: str):
    return [pytest.param(v, id=v["id"]) for v in VECTORS[kind]]


def test_every_core_kind_has_vectors():
    for kind in ("versions", "tags", "images", "requests", "transitions", "osrelease", "hosts", "errors"):
        assert VECTORS[kind], f"no {kind} vectors found"
    assert len(VECTORS["versions"]) >= 30
    assert len(VECTORS["requests"]) >= 30


def rust_debug(text: str):
    """Rust's ``{:?}`` of a string, for the plain printable ASCII case (else None)."""
    if all(" " <= c <= "~" and c not in "\"\\" for c in text):
        return f'"{text}"'
    return None


# -- versions ----------------------------------------------------------------------------


@pytest.mark.parametrize("v", cases("versions"))
def test_versions(v):
    e = v["expect"]
    try:
        version = fp.Version(v["input"])
    except fp.ParseError as err:
        assert not e["valid"], f"{v['input']!r} should parse: {err}"
        assert err.kind == "version"
        quoted = rust_debug(v["input"])
        if quoted is not None:
            assert quoted in str(err), "the message names the input"
        with pytest.raises(fp.ParseError):
            fp.Version.parse(v["input"])
        return
    assert e["valid"], f"{v['input']!r} parsed but should not: {version!r}"
    assert str(version) == e["version"]
    assert version.is_fips is e["fips"]
    assert version.fips_build == e["fips_build"]
    for component, want in (("kubernetes", e["kubernetes_tag"]), ("etcd", e["etcd_tag"])):
        try:
            got = version.tag(component)
        except fp.ParseError as err:
            assert err.kind == "tag" and err.variant == "invalid-tag"
            got = None
        assert got == want, component
    # The canonical text parses to the same version, and parse() is the constructor.
    assert fp.Version(str(version)) == version
    assert fp.Version.parse(v["input"]) == version
    for component, tag in (("kubernetes", e["kubernetes_tag"]), ("etcd", e["etcd_tag"])):
        assert version.to_dict(component) == {
            "input": v["input"],
            "version": e["version"],
            "fips": e["fips"],
            "fips_build": e["fips_build"],
            "tag": tag,
            "component": component,
        }


# -- tags --------------------------------------------------------------------------------


@pytest.mark.parametrize("v", cases("tags"))
def test_tags(v):
    e = v["expect"]
    try:
        version = fp.Version.from_tag(v["tag"])
    except fp.ParseError as err:
        assert not e["valid"], f"{v['tag']!r} should convert: {err}"
        assert err.kind == "tag"
        assert err.variant == e["error"]
        return
    assert e["valid"], f"{v['tag']!r} converted but should not: {version!r}"
    assert str(version) == e["version"]


# -- images ------------------------------------------------------------------------------


@pytest.mark.parametrize("v", cases("images"))
def test_images(v):
    e = v["expect"]
    try:
        image = fp.ImageRef.parse(v["input"])
    except fp.ParseError as err:
        assert not e["valid"], f"{v['input']!r} should parse: {err}"
        assert err.kind == "image"
        return
    assert e["valid"], f"{v['input']!r} parsed but should not: {image!r}"
    want = {k: e.get(k) for k in ("registry", "repository", "tag", "digest", "reference")}
    got = {k: getattr(image, k) for k in want}
    assert got == want
    assert image.to_dict() == want
    assert str(image) == e["reference"]
    assert fp.ImageRef.parse(image.reference) == image, "the normal form is stable"


# -- requests ----------------------------------------------------------------------------


def check_verdict(expect: dict, ok: bool, findings) -> None:
    assert expect["valid"], "expected an error, got a verdict"
    want_ok = expect["compliant"] if expect.get("compliant") is not None else expect["allowed"]
    codes = [f.code for f in findings]
    assert ok is want_ok, codes
    assert codes == expect["codes"]
    for code, remediation in expect.get("remediations", {}).items():
        matching = [f for f in findings if f.code == code]
        assert matching, f"no {code}"
        assert matching[0].remediation == remediation, code


def check_error(expect: dict, err: fp.FipsError) -> None:
    assert not expect["valid"], f"unexpected error: {err}"
    assert err.kind == expect["error_kind"], str(err)


def policy_for(path):
    return fp.Policy.from_file(TOP / path) if path is not None else None


@pytest.mark.parametrize("v", cases("requests"))
def test_requests(v):
    policy = policy_for(v.get("policy"))
    try:
        if "args" in v:
            request = fp.ClusterRequest.from_args(v["args"])
        else:
            request = fp.ClusterRequest.from_json(json.dumps(v["json"]))
        report = fp.validate(request, policy)
    except fp.FipsError as err:
        check_error(v["expect"], err)
        return
    check_verdict(v["expect"], report.compliant, report.findings)
    assert report.codes() == v["expect"]["codes"]
    as_dict = report.to_dict()
    assert as_dict["compliant"] is report.compliant
    assert as_dict["findings"] == [f.to_dict() for f in report.findings]
    # The request's JSON form reads back to the same request and the same verdict.
    again = fp.ClusterRequest.from_json(request.to_json())
    assert again.to_dict() == request.to_dict()
    assert fp.validate(again, policy).to_dict() == as_dict


# -- transitions -------------------------------------------------------------------------


@pytest.mark.parametrize("v", cases("transitions"))
def test_transitions(v):
    try:
        report = fp.check_transition(v["current"], v["desired"])
    except fp.FipsError as err:
        check_error(v["expect"], err)
        return
    check_verdict(v["expect"], report.allowed, report.findings)
    # Version objects and text give the same verdict.
    parsed = fp.check_transition(fp.Version(v["current"]), fp.Version(v["desired"]), None)
    assert parsed.to_dict() == report.to_dict()
    assert report.current == fp.Version(v["current"])
    assert report.desired == fp.Version(v["desired"])


# -- os-release --------------------------------------------------------------------------

OS_RELEASE_DEFAULTS = {"NAME": "Linux", "ID": "linux", "PRETTY_NAME": "Linux"}


@pytest.mark.parametrize("v", cases("osrelease"))
def test_osrelease(v):
    e = v["expect"]
    if v.get("text") is not None:
        text = v["text"]
    else:
        text = (TOP / v["root"] / v["path"]).read_text(encoding="utf-8")
    parsed = fp.OsRelease.parse(text)
    fields = fp.parse_os_release(text)
    assert fields == parsed.fields
    if v.get("text") is None:
        # File vectors carry CPython's result, which adds os-release(5)'s defaults.
        fields = {**OS_RELEASE_DEFAULTS, **fields}
    assert fields == e["fields"]
    if e.get("id") is not None:
        assert parsed.id == e["id"]
    if "ignored_lines" in e:
        assert parsed.ignored_lines == e["ignored_lines"]
    assert parsed.to_dict() == {"fields": parsed.fields, "ignored_lines": parsed.ignored_lines, "id": parsed.id}


@pytest.mark.skipif(
    not hasattr(platform, "_parse_os_release"), reason="CPython 3.10+ has _parse_os_release"
)
@pytest.mark.parametrize(
    "v", [c for c in cases("osrelease") if c.values[0].get("text") is None] or [None]
)
def test_osrelease_files_agree_with_cpython(v):
    """Issue 8: fips-core's parser with the os-release(5) defaults is CPython's, file by file."""
    if v is None:
        pytest.skip("no osrelease vectors read from files yet")
    lines = (TOP / v["root"] / v["path"]).read_text(encoding="utf-8").splitlines()
    cpython = platform._parse_os_release(lines)  # type: ignore[attr-defined]
    ours = {**OS_RELEASE_DEFAULTS, **fp.parse_os_release("\n".join(lines))}
    assert ours == cpython


# -- hosts and distributions -------------------------------------------------------------


@pytest.mark.parametrize("v", cases("hosts"))
def test_hosts(v):
    e = v["expect"]
    try:
        host = fp.probe_host(str(TOP / v["root"]))
    except fp.FipsError as err:
        assert not e["valid"], f"unexpected error: {err}"
        assert err.kind == e["error_kind"], str(err)
        # A root that cannot be opened is kind file (FileError), one inside it RootError.
        assert isinstance(err, fp.FileError if err.kind == "file" else fp.RootError)
        assert isinstance(err, OSError)
        return
    assert e["valid"], f"probed but should not: {host.to_dict()}"
    os_info = host.os
    got_os = None if os_info is None else {"id": os_info.id, "version": os_info.version}
    want_os = None if e["os"] is None else {"version": None, **e["os"]}
    assert got_os == want_os
    assert host.os_supported is e["os_supported"]
    assert host.fips_mode is e["fips_mode"]
    assert host.fips_prepared is e["fips_prepared"]
    assert host.compliant is e["compliant"], host.to_dict()["findings"]
    assert host.codes() == e["codes"]
    assert [f.code for f in host.findings] == e["codes"]
    assert host.to_dict()["findings"] == [f.to_dict() for f in host.findings]
    # A pathlib.Path is accepted as well as a str.
    assert fp.probe_host(TOP / v["root"]).to_dict() == host.to_dict()


@pytest.mark.parametrize("v", cases("distros") or [None])
def test_distros(v):
    if v is None:
        pytest.skip("no distros vectors yet")
    host = fp.probe_host(TOP / v["root"])
    e = v["expect"]
    assert (host.os.id if host.os else None) == e.get("id")
    assert (host.os.version if host.os else None) == e.get("version")
    assert host.os_supported is e["supported"]


# -- errors ------------------------------------------------------------------------------


def one(v: dict) -> str:
    assert len(v["input"]) == 1, f"{v['call']} takes one input"
    return v["input"][0]


def run_call(v: dict) -> None:
    """The Python call an ``errors.json`` vector names."""
    call = v["call"]
    if call == "version":
        fp.Version(one(v))
    elif call == "tag":
        fp.Version.from_tag(one(v))
    elif call == "image":
        fp.ImageRef.parse(one(v))
    elif call == "request-args":
        fp.validate(fp.ClusterRequest.from_args(v["input"]))
    elif call == "request-json":
        fp.validate(fp.ClusterRequest.from_json(one(v)))
    elif call == "transition":
        current, desired = v["input"]
        fp.check_transition(current, desired)
    elif call == "policy-toml":
        fp.Policy.from_toml(one(v))
    elif call == "policy-file":
        fp.Policy.from_file(TOP / one(v))
    elif call == "host":
        fp.probe_host(TOP / one(v))
    elif call == "scan":
        fp.scan([TOP / p for p in v["input"]])
    else:
        raise AssertionError(f"unknown call {call!r}")


@pytest.mark.parametrize("v", cases("errors"))
def test_errors(v):
    with pytest.raises(fp.FipsError) as err:
        run_call(v)
    e = v["expect"]
    assert (err.value.kind, err.value.variant) == (e["kind"], e["variant"]), str(err.value)
    assert str(err.value), "a message"
    if e["kind"] == "file":
        # A named path that cannot be opened is an OSError naming it, as open() raises it.
        assert isinstance(err.value, fp.FileError) and isinstance(err.value, OSError)
        assert err.value.filename == str(TOP / one(v))
        if e["variant"] == "not-found":
            assert isinstance(err.value, FileNotFoundError)
            assert err.value.errno == errno.ENOENT


# -- audit -------------------------------------------------------------------------------


def audit_vector(v: dict) -> fp.AuditReport:
    """``fips-core/tests/audit_vectors.rs`` ``run``: the manifests (or text), the old
    objects for an update, and the policy the vector names."""
    policy = fp.Policy.from_file(TOP / v["policy"]) if "policy" in v else None
    read = lambda paths: "\n---\n".join((TOP / p).read_text(encoding="utf-8") for p in paths)  # noqa: E731
    new = read(v["manifests"]) if "manifests" in v else v["text"]
    old = read(v["old"]) if "old" in v else None
    return fp.audit(new, policy=policy, old=old)


def test_audit_vectors_are_all_run():
    # audit_vectors.rs asserts at least 25; a truncated file fails here too.
    assert len(VECTORS["audit"]) >= 25


@pytest.mark.parametrize("v", cases("audit"))
def test_audit(v):
    e = v["expect"]
    try:
        report = audit_vector(v)
    except fp.FipsError as err:
        assert not e["valid"], f"{v['id']}: unexpected error {err}"
        assert err.kind == e["error_kind"], str(err)
        return
    assert e["valid"], f"{v['id']}: expected an error, got {report!r}"
    # audit_loader.rs `check_report`, on the typed report.
    assert report.compliant is e.get("compliant"), repr(report)
    assert bool(report) is report.compliant
    if e.get("clusters") is not None:
        assert len(report.clusters) == e["clusters"], repr(report)
    got = [
        (f.code, f.object.kind if f.object else "", f.field, f.remediation)
        for c in report.clusters
        for f in c.findings
    ]
    want = e.get("findings", [])
    assert len(got) == len(want), got
    for (code, kind, field, remediation), w in zip(got, want):
        assert (code, kind, field) == (w["code"], w["kind"], w["field"]), got
        if w.get("remediation") is not None:
            assert remediation == w["remediation"]
    # The typed report is the serde shape, and reads back.
    assert report.to_dict() == json.loads(json.dumps(report.to_dict()))
    assert report.codes() == [code for code, *_ in got]
