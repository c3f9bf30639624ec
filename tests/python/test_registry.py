"""`fips_policy.scan_registry`: an image read straight from a real registry, judged as
`fipsctl --json scan docker://REF` judges it, with the same JSON (issue 17, item 1).

The registry is CNCF distribution's, on loopback (scripts/registry-harness); the image is
pushed with `crane append`, its one layer holding the GOEXPERIMENT=boringcrypto scan subject
(tests/scan/subjects.json, built by scripts/build-scan-subjects) at
usr/local/bin/kube-apiserver. The embedded policy accepts only boringcrypto for kube-apiserver
(docs/scan.md), so the image is compliant. The manifest digest is the SHA-256 of the manifest
bytes (OCI image spec, descriptor.md), which `crane digest` prints.

Without the registry binaries (scripts/registry-harness build) these tests skip, except under
CI=true, where that is a failure. The same-JSON check runs fipsctl: $FIPSCTL (scripts/test-python
builds it), else target/debug/fipsctl.
"""

from __future__ import annotations

import json
import os
import pathlib
import pickle
import subprocess
import tarfile

import pytest

import fips_policy as fp
from subjects import build_subjects, prebuilt_subjects
from vectors import TOP

HARNESS = TOP / "scripts" / "registry-harness"


def missing(what: str) -> None:
    message = f"{what}; run scripts/registry-harness build"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (CI=true: the registry tests are required)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module")
def subjects(tmp_path_factory) -> pathlib.Path:
    return prebuilt_subjects() or build_subjects(tmp_path_factory.mktemp("registry-subjects"))


@pytest.fixture(scope="module")
def registry(tmp_path_factory, subjects):
    """{"host", "image", "digest", "crane"}: a registry holding the boringcrypto image."""
    paths = dict(
        line.split("=", 1)
        for line in subprocess.run(
            [str(HARNESS), "paths"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    if not all(os.access(paths[k], os.X_OK) for k in ("REGISTRY_BIN", "CRANE")):
        missing(f"no registry binaries at {paths['REGISTRY_BIN']} and {paths['CRANE']}")
    work = tmp_path_factory.mktemp("registry")
    up = subprocess.run(
        [str(HARNESS), "up", str(work / "harness"), "--owner-pid", str(os.getpid())],
        capture_output=True,
        text=True,
    )
    assert up.returncode == 0, f"registry-harness up failed:\n{up.stderr}"
    try:
        env = dict(
            line.split("=", 1) for line in (work / "harness" / "env").read_text().splitlines()
        )
        host, crane = env["REGISTRY"], env["CRANE"]
        layer = work / "layer.tar"
        with tarfile.open(layer, "w") as tar:
            tar.add(subjects / "boringcrypto", arcname="usr/local/bin/kube-apiserver")
        image = f"{host}/fips/boring:v1"
        subprocess.run(
            [crane, "append", "--insecure", "-f", str(layer), "-t", image],
            check=True,
            capture_output=True,
        )
        digest = subprocess.run(
            [crane, "digest", "--insecure", image], check=True, capture_output=True, text=True
        ).stdout.strip()
        yield {"host": host, "image": image, "digest": digest}
    finally:
        subprocess.run([str(HARNESS), "down", str(work / "harness")], capture_output=True)


def fipsctl() -> str:
    given = os.environ.get("FIPSCTL")
    if given:
        return given
    built = TOP / "target" / "debug" / "fipsctl"
    if built.is_file():
        return str(built)
    if os.environ.get("CI") == "true":
        pytest.fail("no fipsctl: set FIPSCTL (scripts/test-python builds it)", pytrace=False)
    pytest.skip("no fipsctl to compare with: set FIPSCTL or cargo build -p fips-cli")


def test_scan_registry_judges_the_pushed_image_as_fipsctl_does(registry):
    report = fp.scan_registry(
        f"docker://{registry['image']}", insecure_registries=[registry["host"]]
    )
    assert isinstance(report, fp.RegistryScanReport)
    assert report and report.compliant and report.report.compliant
    assert isinstance(report.report, fp.ScanReport)
    [result] = report.report.results
    assert result.crypto_module == "boringcrypto"
    read = report.registry
    assert isinstance(read, fp.RegistryRead)
    assert read.digest == registry["digest"]
    assert (read.reference, read.read, read.mirror) == (registry["image"], registry["image"], None)
    # Not an index: what was scanned is the image itself (RegistryImage::platforms).
    assert read.platforms == [registry["image"]]
    cli = subprocess.run(
        [
            fipsctl(),
            "--json",
            "scan",
            f"docker://{registry['image']}",
            "--insecure-registry",
            registry["host"],
        ],
        capture_output=True,
        text=True,
    )
    assert cli.returncode == 0, cli.stderr
    assert report.to_dict() == json.loads(cli.stdout)
    assert read.to_dict() == json.loads(cli.stdout)["registry"]
    back = pickle.loads(pickle.dumps(report))
    assert back == report and back.to_dict() == report.to_dict()
    assert pickle.loads(pickle.dumps(read)) == read


def test_a_missing_tag_raises_scan_error_naming_it(registry):
    reference = f"{registry['host']}/fips/boring:absent"
    with pytest.raises(fp.ScanError) as caught:
        fp.scan_registry(reference, insecure_registries=[registry["host"]])
    assert caught.value.kind == "scan"
    assert reference in str(caught.value) and "404" in str(caught.value)


def test_bad_arguments_are_refused_naming_them(registry):
    image, insecure = registry["image"], [registry["host"]]
    with pytest.raises(ValueError, match="platform"):
        fp.scan_registry(image, platform="linux", insecure_registries=insecure)
    with pytest.raises(ValueError, match="all_platforms"):
        fp.scan_registry(image, platform="linux/amd64", all_platforms=True)
    with pytest.raises(ValueError, match="connect_timeout"):
        fp.scan_registry(image, connect_timeout=0, insecure_registries=insecure)
    with pytest.raises(TypeError):
        fp.scan_registry(image, insecure_registries=registry["host"])  # a str, not a list


def test_https_is_the_default(registry):
    # Without insecure_registries the plain-HTTP registry is spoken to over TLS, and fails:
    # never a silent fall back to plain HTTP.
    with pytest.raises(fp.ScanError):
        fp.scan_registry(registry["image"], connect_timeout=5, read_timeout=5)
