"""Hostile and mistaken input: every call raises an exception, nothing crashes the interpreter.

Wrong types raise TypeError; a lone surrogate cannot be UTF-8 and raises UnicodeEncodeError
(a ValueError) before fips-core sees it; huge input gets fips-core's bounded errors.
"""

from __future__ import annotations

import gc

import pytest

import fips_policy as fp

# Every entry point that takes one text argument.
TEXT_CALLS = {
    "Version": fp.Version,
    "Version.parse": fp.Version.parse,
    "Version.from_tag": fp.Version.from_tag,
    "ImageRef.parse": fp.ImageRef.parse,
    "Policy.from_toml": fp.Policy.from_toml,
    "ClusterRequest.from_json": fp.ClusterRequest.from_json,
    "OsRelease.parse": fp.OsRelease.parse,
    "parse_os_release": fp.parse_os_release,
    "check_transition(current)": lambda s: fp.check_transition(s, "1.22.8+fips.0"),
    "check_transition(desired)": lambda s: fp.check_transition("1.22.8+fips.0", s),
    "Version.tag": lambda s: fp.Version("1.22.8").tag(s),
    "Policy.supports_kubernetes": lambda s: fp.Policy.default().supports_kubernetes(s),
    "ClusterRequest(kubernetes_version)": lambda s: fp.ClusterRequest(kubernetes_version=s),
    "ClusterRequest(provider)": lambda s: fp.ClusterRequest(provider=s),
    "ClusterRequest(os)": lambda s: fp.ClusterRequest(os=s),
}

NOT_TEXT = [None, b"1.22.8+fips.0", bytearray(b"1.22.8"), 1, 1.5, ["1.22.8"], object()]


@pytest.mark.parametrize("name", list(TEXT_CALLS))
@pytest.mark.parametrize("value", NOT_TEXT, ids=lambda v: type(v).__name__)
def test_wrong_types_raise_type_error(name, value):
    call = TEXT_CALLS[name]
    if value is None and name.startswith("ClusterRequest("):
        call(value)  # a keyword given as None is a keyword left out
        return
    with pytest.raises(TypeError):
        call(value)


@pytest.mark.parametrize("call", TEXT_CALLS.values(), ids=list(TEXT_CALLS))
@pytest.mark.parametrize("text", ["\ud800", "1.22.8+fips.0\udc80", "ID=\udfff\n"])
def test_lone_surrogates_raise_unicode_errors(call, text):
    with pytest.raises(UnicodeEncodeError):
        call(text)


@pytest.mark.parametrize(
    "call",
    [
        lambda: fp.validate(None),  # type: ignore[arg-type]
        lambda: fp.validate("dkp create cluster aws"),  # type: ignore[arg-type]
        lambda: fp.validate(fp.ClusterRequest(), "policy.toml"),  # type: ignore[arg-type]
        lambda: fp.validate(fp.ClusterRequest(), policy={}),  # type: ignore[arg-type]
        lambda: fp.check_transition("1.22.8", "1.22.8", policy=1),  # type: ignore[arg-type]
        lambda: fp.probe_host(None),  # type: ignore[arg-type]
        lambda: fp.probe_host(5),  # type: ignore[arg-type]
        lambda: fp.probe_host("/", policy="x"),  # type: ignore[arg-type]
        lambda: fp.Policy.from_file(None),  # type: ignore[arg-type]
        lambda: fp.ClusterRequest.from_args(None),  # type: ignore[arg-type]
        lambda: fp.ClusterRequest.from_args("dkp create cluster aws"),
        lambda: fp.ClusterRequest.from_args([b"--ami"]),  # type: ignore[list-item]
        lambda: fp.ClusterRequest.from_args([None]),  # type: ignore[list-item]
        lambda: fp.ClusterRequest.from_args(5),  # type: ignore[arg-type]
        lambda: fp.ClusterRequest("aws"),  # type: ignore[misc]
        lambda: fp.ClusterRequest(region="us-east-1"),  # type: ignore[call-arg]
        lambda: fp.ClusterRequest(other_flags="--dry-run"),
        lambda: fp.ClusterRequest(other_flags=[("--a", 1)]),  # type: ignore[list-item]
        lambda: fp.ClusterRequest(other_args="x"),
        lambda: fp.Version(),  # type: ignore[call-arg]
        lambda: fp.Version("1.0.0", "1.0.0"),  # type: ignore[call-arg]
        lambda: fp.Finding(),  # type: ignore[call-arg]
        lambda: fp.Report(),  # type: ignore[call-arg]
        lambda: fp.OsRelease.parse("ID=x").get(None),  # type: ignore[arg-type]
        lambda: fp.Policy.default().supports_os("rhel", 8.4),  # type: ignore[arg-type]
    ],
)
def test_wrong_arguments_raise_type_error(call):
    with pytest.raises(TypeError):
        call()


def test_surrogates_in_argv_and_paths():
    with pytest.raises(UnicodeEncodeError):
        fp.ClusterRequest.from_args(["dkp", "\ud800"])
    # A path is an OS string: a surrogate-escaped byte names a file that does not exist.
    with pytest.raises(FileNotFoundError):
        fp.probe_host("/nonexistent-\udcff")
    with pytest.raises(FileNotFoundError):
        fp.Policy.from_file("/nonexistent-\udcff.toml")


def test_nul_in_a_path_is_an_error_not_a_crash():
    with pytest.raises(fp.FileError):
        fp.probe_host("/tmp/a\0b")
    with pytest.raises(fp.FileError):
        fp.Policy.from_file("/tmp/a\0b.toml")


def test_unbounded_files_are_refused():
    # /dev/zero never ends: it is refused as not a regular file, never read to its end.
    with pytest.raises(fp.FileError) as err:
        fp.Policy.from_file("/dev/zero")
    assert (err.value.kind, err.value.variant) == ("file", "not-a-file")


HUNDRED_MB = 100 * 1024 * 1024


@pytest.fixture(scope="module")
def huge():
    text = "1" * HUNDRED_MB
    yield text
    del text
    gc.collect()


def test_huge_version(huge):
    with pytest.raises(fp.ParseError) as err:
        fp.Version(huge)
    assert err.value.kind == "version"
    with pytest.raises(fp.ParseError):
        fp.check_transition(huge, "1.22.8")
    with pytest.raises(fp.ParseError) as err:
        fp.ClusterRequest(kubernetes_version=huge)
    assert err.value.kind == "request"


def test_huge_tag_and_image(huge):
    with pytest.raises(fp.ParseError) as err:
        fp.Version.from_tag(huge)
    assert err.value.variant == "invalid-tag"
    with pytest.raises(fp.ParseError) as err:
        fp.ImageRef.parse(huge)
    assert err.value.kind == "image"


def test_huge_request_json_is_refused_by_its_bound(huge):
    with pytest.raises(fp.ParseError) as err:
        fp.ClusterRequest.from_json(huge)
    assert err.value.variant == "json"
    assert "more than the 1048576 a request may have" in str(err.value)


def test_huge_argv_and_os_release(huge):
    request = fp.ClusterRequest.from_args(["dkp", "create", "cluster", "aws", huge])
    assert request.provider == "aws" and len(request.other_args[0]) == HUNDRED_MB
    # One 100 MB line that is not an assignment: ignored, as systemd does.
    assert fp.parse_os_release(huge) == {}
    assert fp.OsRelease.parse(huge).ignored_lines == [1]


def test_huge_policy_text(huge):
    with pytest.raises(fp.PolicyError):
        fp.Policy.from_toml(huge)


def test_interpreter_survives():
    # After every test above, the module still answers.
    assert fp.Version("1.22.8+fips.0").is_fips
    assert fp.selftest().passed
