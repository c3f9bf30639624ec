#!/usr/bin/env python3
"""Seed each fuzz target's corpus from the conformance vectors.

    fuzz/seed.py [TARGET...]

writes the inputs the vectors in tests/vectors/*.json hold (and the files they name) into
fuzz/corpus/<target>/, one file per distinct input, named by its SHA-1 as libFuzzer names
the inputs it finds. The corpora are generated, never committed (.gitignore: /fuzz/corpus/).
Standard library only.
"""

import hashlib
import json
import sys
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


TARGETS = {
    "version": seeds_version,
    "tag": seeds_tag,
    "image_ref": seeds_image_ref,
    "image_repository": seeds_image_repository,
    "os_release": seeds_os_release,
    "request_json": seeds_request_json,
    "request_args": seeds_request_args,
    "policy_toml": seeds_policy_toml,
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
