"""`fips_policy.scan`: real Go binaries, built here with the machine's Go, judged by the
crypto module they link, the same as `fipsctl --json scan` judges them.

Subjects: the shared ones of tests/scan/subjects.json, built by scripts/build-scan-subjects
(every subject is checked against its listed verdict), and copies of two of them:

- a standard build, once under a name the policy does not know (`hello`) and once named
  `kube-proxy`, a component;
- a `GOEXPERIMENT=boringcrypto` build named `kube-apiserver`.

Expected verdicts come from public facts: the product documentation ("core Kubernetes
components are compiled using a version of Go, called goboring, which uses a FIPS-certified
cryptographic module"), Go's documentation of `GOEXPERIMENT=boringcrypto` (Go+BoringCrypto on
linux/amd64 and arm64 with cgo; the toolchain's version then reads `X:boringcrypto`), what
`go version -m -json` prints for each file, and the finding table of docs/scan.md (the
embedded policy's components and accepted modules). Go and a C compiler (for cgo) are
required: without them these tests fail, they do not skip.
"""

from __future__ import annotations

import errno
import json
import os
import pathlib
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

import fips_policy as fp
from subjects import build_subjects, prebuilt_subjects
from vectors import TOP

GO_SOURCES = TOP / "tests" / "scan" / "go"


def require(tool: str, install: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.fail(
            f"`{tool}` is required to build the scan test subjects and was not found on PATH; "
            f"install it ({install}) and run the tests again",
            pytrace=False,
        )
    return path


SUBJECTS_LIST = TOP / "tests" / "scan" / "subjects.json"


@pytest.fixture(scope="module")
def shared_subjects(tmp_path_factory):
    """The directory of the shared scan subjects (tests/scan/subjects.json), built once per
    test run by scripts/build-scan-subjects: FIPS_SCAN_SUBJECTS when that build completed
    there, else a fresh directory of this module."""
    shared = prebuilt_subjects()
    if shared:
        return shared
    require("go", "https://go.dev/dl/, Go 1.24 or later")
    require("gcc", "apt-get install gcc")  # BoringCrypto is linked through cgo
    return build_subjects(tmp_path_factory.mktemp("scan-subjects"))


@pytest.fixture(scope="module")
def subjects(shared_subjects, tmp_path_factory):
    """{name: path}: `hello` and `kube-proxy` (standard), `kube-apiserver` (boringcrypto)."""
    top = tmp_path_factory.mktemp("scan-named")
    for d in ("std", "component", "fips"):
        (top / d).mkdir()
    shutil.copy2(shared_subjects / "standard", top / "std" / "hello")
    shutil.copy2(shared_subjects / "standard", top / "component" / "kube-proxy")
    shutil.copy2(shared_subjects / "boringcrypto", top / "fips" / "kube-apiserver")
    return {
        "hello": top / "std" / "hello",
        "kube-proxy": top / "component" / "kube-proxy",
        "kube-apiserver": top / "fips" / "kube-apiserver",
        "top": top,
    }


def test_every_shared_subject_gets_its_listed_verdict(shared_subjects):
    listed = json.loads(SUBJECTS_LIST.read_text())
    assert listed["count"] == len(listed["vectors"])
    built = (shared_subjects / "built.txt").read_text().split()
    names = ", ".join(json.dumps(v["id"]) for v in listed["vectors"])
    policy = fp.Policy.from_toml(
        f'[scan]\naccepted_modules = ["boringcrypto"]\ncomponents = [{names}]\n'
    )
    for v in listed["vectors"]:
        if v["id"] not in built:
            assert "requires" in v["build"], f"{v['id']} was not built"
            continue
        r = only(fp.scan(shared_subjects / v["id"], policy))
        want = v["expect"]
        assert r.format == want["format"], v["id"]
        assert r.crypto_module == want["crypto_module"], (v["id"], r.evidence)
        assert r.fips_only is want["fips_only"], v["id"]
        assert r.stripped is want["stripped"], v["id"]
        assert [[f.code, f.severity] for f in r.findings] == want["codes"], v["id"]
        assert r.compliant is all(s != "error" for _, s in want["codes"]), v["id"]


@pytest.fixture(scope="module")
def fipsctl():
    """The `fipsctl` of this checkout, built (or found up to date) by cargo."""
    cargo = require("cargo", "https://rustup.rs")
    done = subprocess.run(
        [cargo, "build", "--quiet", "--locked", "-p", "fips-cli", "--message-format=json"],
        cwd=TOP,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, f"cargo build -p fips-cli failed:\n{done.stderr}"
    for line in done.stdout.splitlines():
        message = json.loads(line)
        if message.get("reason") == "compiler-artifact" and message.get("executable"):
            if message["target"]["name"] == "fipsctl":
                return message["executable"]
    pytest.fail("cargo build -p fips-cli did not report the fipsctl executable", pytrace=False)


def go_version_m_json(path: pathlib.Path) -> dict:
    done = subprocess.run(
        [require("go", "https://go.dev/dl/"), "version", "-m", "-json", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "GOTOOLCHAIN": "local"},
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def only(report: fp.ScanReport) -> fp.ScanResult:
    assert len(report) == 1, report.results
    return report.results[0]


# -- verdicts against how each binary was built ---------------------------------------------


def test_boringcrypto_kube_apiserver_is_compliant(subjects):
    report = fp.scan(subjects["kube-apiserver"])
    r = only(report)
    assert r.path == str(subjects["kube-apiserver"])
    assert r.format == "go"
    assert r.crypto_module == "boringcrypto"
    assert r.component is True
    assert r.stripped is False
    assert "boringcrypto" in {e.signal for e in r.evidence}
    assert r.findings == []
    assert r.compliant is True
    assert report.compliant is True
    assert report.codes() == []
    assert report.findings == []
    assert 0 < r.bytes_read < subjects["kube-apiserver"].stat().st_size


def test_standard_build_of_a_component_is_not_compliant(subjects):
    report = fp.scan(str(subjects["kube-proxy"]))
    r = only(report)
    assert (r.format, r.crypto_module, r.component) == ("go", "standard", True)
    assert [(f.code, f.severity) for f in r.findings] == [
        ("FIPS-SCAN-STANDARD-CRYPTO", "error")
    ]
    assert r.compliant is False
    assert report.compliant is False
    assert report.codes() == ["FIPS-SCAN-STANDARD-CRYPTO"]


def test_standard_build_of_another_binary_is_only_info(subjects):
    report = fp.scan(subjects["hello"])
    r = only(report)
    assert (r.format, r.crypto_module, r.component) == ("go", "standard", False)
    assert [(f.code, f.severity) for f in r.findings] == [
        ("FIPS-SCAN-STANDARD-CRYPTO", "info")
    ]
    assert report.compliant is True


def test_build_information_is_what_go_version_m_prints(subjects):
    for name, experiment in (("hello", None), ("kube-apiserver", "boringcrypto")):
        r = only(fp.scan(subjects[name]))
        go = go_version_m_json(subjects[name])
        assert r.go_version == go["GoVersion"], name
        assert r.package == go["Path"], name
        assert list(r.settings.items()) == [
            (s["Key"], s.get("Value", "")) for s in go["Settings"]
        ], name
        assert r.settings.get("GOEXPERIMENT") == experiment, name
        assert ("X:boringcrypto" in r.go_version) is (experiment is not None), name
        # GoBuildInfo.go_version_m: the text `go version -m` prints, line for line.
        info = r.build_info
        assert info is not None and info.go_version == r.go_version
        done = subprocess.run(
            [require("go", "https://go.dev/dl/"), "version", "-m", str(subjects[name])],
            capture_output=True,
            text=True,
            env={**os.environ, "GOTOOLCHAIN": "local"},
        )
        assert done.returncode == 0, done.stderr
        assert info.go_version_m(str(subjects[name])) == done.stdout, name


def test_policy_is_used(subjects):
    # docs/scan.md: standard crypto in a component is a warning when the policy accepts it.
    policy = fp.Policy.from_toml(
        '[scan]\naccepted_modules = ["boringcrypto", "standard"]\n'
        'components = ["kube-apiserver", "kube-proxy"]\n'
    )
    report = fp.scan(subjects["kube-proxy"], policy)
    r = only(report)
    assert [(f.code, f.severity) for f in r.findings] == [
        ("FIPS-SCAN-STANDARD-CRYPTO", "warning")
    ]
    assert report.compliant is True
    # A policy that names kube-apiserver only: kube-proxy is then just another binary.
    apiserver = fp.Policy.from_toml('[scan]\ncomponents = ["kube-apiserver"]\n')
    report = fp.scan(subjects["kube-proxy"], policy=apiserver)
    assert only(report).component is False
    # A policy that names no component would judge nothing: it is refused (issue 12, item 1).
    with pytest.raises(fp.PolicyError) as err:
        fp.Policy.from_toml("[scan]\ncomponents = []\n")
    assert err.value.variant == "invalid"
    assert str(err.value).startswith("invalid policy: scan.components: ")


def test_a_directory_and_a_list_of_paths(subjects):
    top = subjects["top"]
    whole = fp.scan(top)
    assert sorted(r.path for r in whole.results) == sorted(
        str(subjects[n]) for n in ("hello", "kube-proxy", "kube-apiserver")
    )
    assert whole.compliant is False  # kube-proxy
    paths = [subjects["kube-apiserver"], str(subjects["hello"]), subjects["kube-proxy"]]
    for given in (paths, tuple(paths)):
        report = fp.scan(given)
        assert [r.path for r in report.results] == [str(p) for p in paths]
        modules = [r.crypto_module for r in report.results]
        assert modules == ["boringcrypto", "standard", "standard"]
        assert report.codes() == ["FIPS-SCAN-STANDARD-CRYPTO", "FIPS-SCAN-STANDARD-CRYPTO"]
        assert report.compliant is False
    compliant = fp.scan([subjects["kube-apiserver"], subjects["hello"]])
    assert compliant.compliant is True
    # Python-style: the fields, each as its own repr.
    assert repr(compliant).startswith("ScanReport(compliant=True, results=[ScanResult(path=")
    assert repr(compliant).endswith("], findings=[])")
    assert "crypto_module='boringcrypto'" in repr(compliant.results[0])


# -- the same verdict as fipsctl ------------------------------------------------------------


@pytest.mark.parametrize(
    "names",
    [["kube-apiserver"], ["kube-proxy"], ["hello", "kube-apiserver", "kube-proxy"], ["top"]],
)
def test_to_dict_is_fipsctl_json(subjects, fipsctl, names):
    paths = [str(subjects[n]) for n in names]
    report = fp.scan(paths)
    done = subprocess.run([fipsctl, "--json", "scan", *paths], capture_output=True, text=True)
    assert done.returncode == (0 if report.compliant else 1), done.stderr
    cli = json.loads(done.stdout)
    assert report.to_dict() == cli
    assert [r.to_dict() for r in report.results] == cli["results"]
    assert set(cli) == {"results", "findings", "compliant"}


# -- errors ---------------------------------------------------------------------------------


def test_missing_path_raises_file_not_found(tmp_path):
    missing = tmp_path / "no-such-binary"
    for given in (missing, [missing], [str(tmp_path), str(missing)]):
        with pytest.raises(FileNotFoundError) as err:
            fp.scan(given)
        assert isinstance(err.value, fp.FileError) and isinstance(err.value, fp.FipsError)
        assert (err.value.kind, err.value.variant) == ("file", "not-found")
        assert (err.value.errno, err.value.filename) == (errno.ENOENT, str(missing))
        # ENOENT's text (POSIX strerror), after the path as given.
        assert str(err.value) == f"cannot read {missing}: No such file or directory (os error 2)"


def test_a_fifo_is_not_a_file(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(fp.FileError) as err:
        fp.scan(fifo)
    assert (err.value.kind, err.value.variant) == ("file", "not-a-file")
    assert str(err.value) == (
        f"cannot read {fifo}: expected a regular file, a directory or an image archive, "
        "found a fifo"
    )


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (42, "paths: expected a str, bytes, os.PathLike or an iterable of them, got int"),
        (None, "paths: expected a str, bytes, os.PathLike or an iterable of them, got NoneType"),
        ({"a": 1}, "paths: expected a str, bytes, os.PathLike or an iterable of them, got dict"),
        (["/bin/sh", 42], "paths[1]: expected a str, bytes or os.PathLike, got int"),
        (("/bin/sh", None), "paths[1]: expected a str, bytes or os.PathLike, got NoneType"),
    ],
)
def test_wrong_types_raise_type_error(given, message):
    with pytest.raises(TypeError) as err:
        fp.scan(given)
    assert str(err.value) == message


def test_wrong_policy_type_raises_type_error():
    with pytest.raises(TypeError):
        fp.scan(sys.executable, "policy.toml")  # type: ignore[arg-type]


def test_no_paths_is_fips_cores_scan_error():
    # Issue 13: one answer in every language, decided in fips-core (errors.json: scan-no-paths).
    for given in ([], ()):
        with pytest.raises(fp.ScanError) as err:
            fp.scan(given)
        assert (err.value.kind, err.value.variant) == ("scan", "no-paths")
        assert str(err.value) == (
            "no path to scan: name at least one file, directory, OCI image layout or image archive"
        )


# -- threads --------------------------------------------------------------------------------


def test_many_threads_get_the_same_verdict(subjects):
    paths = [subjects["kube-apiserver"], subjects["kube-proxy"], subjects["hello"]]
    expected = fp.scan(paths).to_dict()
    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda _: fp.scan(paths).to_dict(), range(32)))
    assert all(g == expected for g in got)
