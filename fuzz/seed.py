#!/usr/bin/env python3
"""Seed each fuzz target's corpus from the conformance vectors.

    fuzz/seed.py [TARGET...]

writes the inputs the vectors in tests/vectors/*.json hold (and the files they name) into
fuzz/corpus/<target>/, one file per distinct input, named by its SHA-1 as libFuzzer names
the inputs it finds. The corpora are generated, never committed (.gitignore: /fuzz/corpus/).
Standard library only.
"""

import gzip
import hashlib
import io
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

TOP = Path(__file__).resolve().parent.parent
VECTORS = TOP / "tests" / "vectors"
CORPUS = TOP / "fuzz" / "corpus"

# The create-cluster flags a JSON request has a field for (ClusterRequest's serde shape).
JSON_FIELDS = {
    "--cluster-name": "cluster_name",
    "--kubernetes-version": "kubernetes_version",
    "--kubernetes-image-repository": "kubernetes_image_repository",
    "--etcd-version": "etcd_version",
    "--etcd-image-repository": "etcd_image_repository",
    "--ami": "ami",
    "--provider": "provider",
}
VERSION_FLAGS = ("--kubernetes-version", "--etcd-version")
REPOSITORY_FLAGS = ("--kubernetes-image-repository", "--etcd-image-repository")


def vectors(name):
    data = json.loads((VECTORS / name).read_text(encoding="utf-8"))
    if data["count"] != len(data["vectors"]):
        raise SystemExit(f"{name}: count {data['count']} != {len(data['vectors'])} vectors")
    return data["vectors"]


def flag_values(args):
    """(flag, value) pairs of an argv, in `--flag=value` and `--flag value` forms."""
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if not arg.startswith("--"):
            continue
        if "=" in arg:
            flag, value = arg.split("=", 1)
            yield flag, value
        elif i < len(args) and not args[i].startswith("--"):
            yield arg, args[i]
            i += 1


def request_args():
    return [v["args"] for v in vectors("requests.json") if "args" in v]


def seeds_version():
    for v in vectors("versions.json"):
        yield v["input"]
    for v in vectors("transitions.json"):
        yield v["current"]
        yield v["desired"]
    for v in vectors("tags.json"):
        if v["expect"].get("valid"):
            yield v["expect"]["version"]
    for args in request_args():
        for flag, value in flag_values(args):
            if flag in VERSION_FLAGS:
                yield value


def seeds_tag():
    for v in vectors("tags.json"):
        yield v["tag"]
    for v in vectors("versions.json"):
        expect = v["expect"]
        if expect.get("valid"):
            for key in ("kubernetes_tag", "etcd_tag"):
                if expect.get(key):
                    yield expect[key]
    for v in vectors("images.json"):
        if v["expect"].get("valid") and v["expect"].get("tag"):
            yield v["expect"]["tag"]


def seeds_image_ref():
    for v in vectors("images.json"):
        yield v["input"]
        if v["expect"].get("valid"):
            yield v["expect"]["reference"]


def seeds_image_repository():
    for v in vectors("images.json"):
        yield v["input"]
        expect = v["expect"]
        if expect.get("valid"):
            yield expect["registry"] + "/" + expect["repository"].rsplit("/", 1)[0]
    for args in request_args():
        for flag, value in flag_values(args):
            if flag in REPOSITORY_FLAGS:
                yield value


def seeds_os_release():
    for v in vectors("osrelease.json"):
        yield v["text"]
    for v in vectors("osrelease-distros.json"):
        yield (TOP / v["root"] / v["path"]).read_bytes()
    roots = TOP / "tests" / "roots"
    for path in sorted(roots.rglob("*release")):
        if path.is_file() and not path.is_symlink():
            yield path.read_bytes()


def seeds_request_json():
    for v in vectors("requests.json"):
        if "json" in v:
            yield json.dumps(v["json"])
    for args in request_args():
        request = {}
        for flag, value in flag_values(args):
            if flag in JSON_FIELDS:
                request[JSON_FIELDS[flag]] = value
            elif flag in ("--os", "--ami-base-os") and "-" in value:
                os_id, version = value.rsplit("-", 1)
                request["os"] = {"id": os_id, "version": version}
        words = [a for a in args if not a.startswith("-")]
        if "cluster" in words[:-1]:
            request.setdefault("provider", words[words.index("cluster") + 1])
        yield json.dumps(request)


def seeds_request_args():
    for args in request_args():
        yield "\0".join(args)


def seeds_policy_toml():
    yield (TOP / "fips-core" / "src" / "default_policy.toml").read_bytes()
    yield (TOP / "examples" / "policy.toml").read_bytes()
    for path in sorted((TOP / "tests" / "policies").glob("*.toml")):
        yield path.read_bytes()


def seeds_manifest():
    for path in sorted((TOP / "tests" / "manifests").rglob("*.yaml")):
        yield path.read_bytes()
    for v in vectors("audit.json"):
        if "text" in v:
            yield v["text"]


# debug/buildinfo (Go 1.18+ layout): the 14-byte magic, pointer size, flags (2: strings
# inline), padding to 32 bytes, then the version and the framed module information, each a
# uvarint length and bytes. The framing is 16 bytes on each side, the 17th from the end `\n`.
BUILDINFO_MAGIC = b"\xff Go buildinf:"
BORING_MODINFO = (
    "path\texample.com/apiserver\n"
    "mod\texample.com/apiserver\t(devel)\t\n"
    "dep\tgolang.org/x/crypto\tv0.31.0\th1:ihbySMvVjLAeSH1IbfcRTkD/iNscyz8rGzjF/E5hV6U=\n"
    "=>\t../crypto\t(devel)\t\n"
    "build\t-compiler=gc\n"
    "build\tCGO_ENABLED=1\n"
    "build\tGOEXPERIMENT=boringcrypto\n"
    'build\t-ldflags="-s -w"\n'
)
FIPS140_MODINFO = (
    "path\texample.com/etcd\n"
    "mod\texample.com/etcd\t(devel)\t\n"
    "build\tGOFIPS140=v1.0.0\n"
    "build\tDefaultGODEBUG=fips140=on\n"
)


def uvarint(n):
    out = bytearray()
    while n >= 0x80:
        out.append(n & 0x7F | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def buildinfo(version, modinfo):
    framed = b"\0" * 16 + modinfo.encode() + b"\0" * 16
    header = BUILDINFO_MAGIC + bytes([8, 2]) + b"\0" * 16
    return header + uvarint(len(version)) + version.encode() + uvarint(len(framed)) + framed


def elf_seeds():
    """Small ELF files: tests/scan/c/hello.c built, stripped, and carrying Go build
    information and BoringCrypto's marker symbol (objcopy). Needs cc and objcopy; without
    them there are none, and the other seeds still start the fuzzer."""
    cc, objcopy = shutil.which("cc"), shutil.which("objcopy")
    if not cc or not objcopy:
        print("seed.py: no cc or objcopy: scanner targets start without ELF seeds", file=sys.stderr)
        return []
    seeds = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        hello = tmp / "hello"
        source = TOP / "tests" / "scan" / "c" / "hello.c"
        subprocess.run([cc, "-O1", "-o", hello, source], check=True)
        seeds.append(hello.read_bytes())
        stripped = tmp / "stripped"
        subprocess.run([objcopy, "--strip-all", hello, stripped], check=True)
        seeds.append(stripped.read_bytes())
        for name, version, modinfo, symbol in [
            ("boring", "go1.26.8 X:boringcrypto", BORING_MODINFO,
             "crypto/internal/boring/sig.BoringCrypto"),
            ("fips140", "go1.26.8", FIPS140_MODINFO,
             "crypto/internal/fips140/v1.0.0-c2097c7c/sha256.New"),
        ]:
            section = tmp / f"{name}.buildinfo"
            section.write_bytes(buildinfo(version, modinfo))
            go = tmp / name
            subprocess.run(
                [objcopy, "--add-section", f".go.buildinfo={section}",
                 "--add-symbol", f"{symbol}=.text:0,function,global", hello, go],
                check=True,
            )
            seeds.append(go.read_bytes())
            go_stripped = tmp / f"{name}-stripped"
            subprocess.run([objcopy, "--strip-all", go, go_stripped], check=True)
            seeds.append(go_stripped.read_bytes())
    return seeds


def tar_bytes(entries, compress=False):
    """A tar archive of (name, data) files; data None makes a directory."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data in entries:
            info = tarfile.TarInfo(name)
            info.mtime = 0
            if data is None:
                info.type = tarfile.DIRTYPE
                info.mode = 0o755
                tar.addfile(info)
            else:
                info.size = len(data)
                info.mode = 0o755
                tar.addfile(info, io.BytesIO(data))
    raw = buf.getvalue()
    return gzip.compress(raw, mtime=0) if compress else raw


def image_layers(elves):
    """Two layers in the manner of the OCI changeset rules: a later file replaces an earlier
    one, `.wh.` deletes, `.wh..wh..opq` empties a directory."""
    binary = elves[2] if len(elves) > 2 else b"\x7fELF" + b"\0" * 60
    other = elves[-1] if elves else b"#!/bin/sh\n"
    layer0 = tar_bytes([
        ("usr/bin/kube-apiserver", other),
        ("usr/bin/old", other),
        ("opt/x", b"#!/bin/sh\n"),
        ("etc/motd", b"not a binary\n"),
    ])
    layer1 = tar_bytes([
        ("usr/bin/kube-apiserver", binary),
        ("usr/bin/.wh.old", b""),
        ("opt/.wh..wh..opq", b""),
    ])
    return layer0, layer1


def sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def docker_save(layer0, layer1):
    config = b'{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}'
    manifest = json.dumps([{
        "Config": "config.json",
        "RepoTags": ["docker.io/mesosphere/kube-apiserver:v1.22.8_fips.0"],
        "Layers": ["l0/layer.tar", "l1/layer.tar"],
    }]).encode()
    return tar_bytes([
        ("manifest.json", manifest),
        ("config.json", config),
        ("l0/layer.tar", layer0),
        ("l1/layer.tar", layer1),
    ])


def oci_archive(layer0, layer1, gzip_second):
    second = gzip.compress(layer1, mtime=0) if gzip_second else layer1
    config = b'{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}'
    layer_type = "application/vnd.oci.image.layer.v1.tar"
    manifest = json.dumps({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": sha256(config), "size": len(config)},
        "layers": [
            {"mediaType": layer_type, "digest": sha256(layer0), "size": len(layer0)},
            {"mediaType": layer_type + ("+gzip" if gzip_second else ""),
             "digest": sha256(second), "size": len(second)},
        ],
    }).encode()
    index = json.dumps({
        "schemaVersion": 2,
        "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                       "digest": sha256(manifest), "size": len(manifest),
                       "annotations": {"org.opencontainers.image.ref.name": "v1"}}],
    }).encode()
    blob = lambda data: ("blobs/sha256/" + hashlib.sha256(data).hexdigest(), data)
    return tar_bytes([
        ("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'),
        ("index.json", index),
        ("blobs", None),
        ("blobs/sha256", None),
        blob(config), blob(manifest), blob(layer0), blob(second),
    ])


def seeds_scan_binary():
    yield b"#!/bin/sh\nexec /usr/bin/true\n"
    yield b"\x7fELF"
    yield from elf_seeds()


def seeds_scan_image():
    elves = [e for e in elf_seeds() if len(e) < 32 * 1024]
    layer0, layer1 = image_layers(elves)
    yield docker_save(layer0, layer1)
    yield oci_archive(layer0, layer1, gzip_second=False)
    yield oci_archive(layer0, layer1, gzip_second=True)
    yield tar_bytes([("manifest.json", b'[{"Config":"c.json","RepoTags":null,"Layers":["../../etc/passwd"]}]')])


def seeds_ffi():
    """One byte picking the export (the order of fuzz_targets/ffi.rs), then its string
    arguments separated by NUL."""
    def call(export, *args):
        return bytes([export]) + b"\0".join(a if isinstance(a, bytes) else a.encode() for a in args)

    for version in seeds_version():
        for component in ("kubernetes", "etcd"):
            yield call(0, version, component)
            yield call(1, version, component)
    for tag in seeds_tag():
        yield call(2, tag)
    for image in seeds_image_ref():
        yield call(3, image)
    for text in seeds_os_release():
        if b"\0" not in (text if isinstance(text, bytes) else text.encode()):
            yield call(4, text)
    for request in seeds_request_json():
        yield call(5, request)
    for args in request_args():
        yield call(6, *args)
    for policy in seeds_policy_toml():
        for args in request_args()[:3]:
            yield call(8, policy, *args)
    for v in vectors("transitions.json"):
        yield call(7, v["current"], v["desired"])
    for text in seeds_manifest():
        if b"\0" not in (text if isinstance(text, bytes) else text.encode()):
            yield call(9, text)
    def text_of(v, key):
        return b"\n---\n".join((TOP / path).read_bytes() for path in v[key])

    for v in vectors("audit.json"):
        if "old" in v and "manifests" in v:
            yield call(10, text_of(v, "old"), text_of(v, "manifests"))


# What the API server sends a validating webhook (admission.k8s.io/v1 AdmissionReview), for
# the kinds of fips_core::AUDITED_KINDS: whole FIPS, non-FIPS and partial FIPS objects on
# CREATE, FIPS turned off and on by UPDATE, and a DELETE.
def seeds_admission_review():
    def kcp(version, repository, etcd_tag="v3.4.13_fips.0"):
        return {
            "apiVersion": "controlplane.cluster.x-k8s.io/v1beta1",
            "kind": "KubeadmControlPlane",
            "metadata": {"name": "cp", "namespace": "team",
                         "labels": {"cluster.x-k8s.io/cluster-name": "c1"}},
            "spec": {"version": version, "kubeadmConfigSpec": {"clusterConfiguration": {
                "imageRepository": repository,
                "etcd": {"local": {"imageRepository": repository, "imageTag": etcd_tag}},
            }}},
        }

    def machine_deployment(version):
        return {
            "apiVersion": "cluster.x-k8s.io/v1beta1",
            "kind": "MachineDeployment",
            "metadata": {"name": "md-0", "namespace": "team"},
            "spec": {"clusterName": "c1", "template": {"spec": {
                "clusterName": "c1", "version": version,
                "infrastructureRef": {"kind": "AWSMachineTemplate", "name": "workers"},
            }}},
        }

    def topology_cluster(version):
        return {
            "apiVersion": "cluster.x-k8s.io/v1beta2",
            "kind": "Cluster",
            "metadata": {"name": "c1", "namespace": "team"},
            "spec": {"topology": {"classRef": {"name": "quick-start"}, "version": version,
                                  "variables": [
                                      {"name": "imageRepository", "value": "docker.io/mesosphere"},
                                      {"name": "etcdImageTag", "value": "v3.4.13_fips.0"}]}},
        }

    def review(operation, obj, old=None, version="v1beta1"):
        api, _, _ = (obj or old)["apiVersion"].partition("/")
        kind = (obj or old)["kind"]
        request = {
            "uid": "705ab4f5-6393-11e8-b7cc-42010a800002",
            "kind": {"group": api, "version": version, "kind": kind},
            "resource": {"group": api, "version": version, "resource": kind.lower() + "s"},
            "name": (obj or old)["metadata"]["name"],
            "namespace": "team",
            "operation": operation,
            "userInfo": {"username": "admin", "groups": ["system:masters"]},
            "object": obj,
            "oldObject": old,
            "dryRun": False,
        }
        return json.dumps({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
                           "request": request})

    fips = kcp("v1.22.8+fips.0", "docker.io/mesosphere")
    upstream = kcp("v1.22.8", "registry.k8s.io", "3.5.0-0")
    yield review("CREATE", fips)
    yield review("CREATE", upstream)
    yield review("CREATE", kcp("v1.22.8+fips.0", "registry.k8s.io"))
    yield review("UPDATE", upstream, fips)
    yield review("UPDATE", fips, upstream)
    yield review("UPDATE", kcp("v1.22.9+fips.0", "docker.io/mesosphere"), fips)
    yield review("DELETE", None, fips)
    yield review("CREATE", machine_deployment("v1.22.8+fips.0"))
    yield review("UPDATE", machine_deployment("v1.22.8"), machine_deployment("v1.22.8+fips.0"))
    yield review("CREATE", topology_cluster("v1.22.8+fips.0"), version="v1beta2")
    yield review("UPDATE", topology_cluster("v1.22.8"), topology_cluster("v1.22.8+fips.0"),
                 version="v1beta2")
    yield json.dumps({"apiVersion": "admission.k8s.io/v1beta1", "kind": "AdmissionReview"})
    yield b"{}"


TARGETS = {
    "version": seeds_version,
    "tag": seeds_tag,
    "image_ref": seeds_image_ref,
    "image_repository": seeds_image_repository,
    "os_release": seeds_os_release,
    "request_json": seeds_request_json,
    "request_args": seeds_request_args,
    "policy_toml": seeds_policy_toml,
    "scan_binary": seeds_scan_binary,
    "scan_image": seeds_scan_image,
    "ffi": seeds_ffi,
    "manifest": seeds_manifest,
    "admission_review": seeds_admission_review,
}


def seed(target):
    out = CORPUS / target
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    for item in TARGETS[target]():
        data = item.encode("utf-8") if isinstance(item, str) else item
        path = out / hashlib.sha1(data).hexdigest()
        if not path.exists():
            path.write_bytes(data)
            written += 1
    return written


def main(argv):
    targets = argv or list(TARGETS)
    unknown = [t for t in targets if t not in TARGETS]
    if unknown:
        known = ", ".join(TARGETS)
        raise SystemExit(f"seed.py: no seeds for {', '.join(unknown)}; targets: {known}")
    for target in targets:
        count = seed(target)
        print(f"seed {target}: {count} new inputs in fuzz/corpus/{target}/")


if __name__ == "__main__":
    main(sys.argv[1:])
