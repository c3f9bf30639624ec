"""The Python reader of ``tests/vectors/*.json`` (format: ``tests/vectors/README.md``).

It is as strict as the Rust reader (``tests/vectors/loader.rs``): an unknown kind, an
unknown or missing field, a wrong type, a duplicate id or a ``count`` that differs from
the number of vectors fails loudly, so a truncated or mistyped file never passes quietly.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Tuple

TOP = Path(__file__).resolve().parents[2]
VECTORS = TOP / "tests" / "vectors"


class VectorFileError(Exception):
    """A vector file that does not follow the format."""


# A field spec: name -> (types allowed, required). `None` in the types allows JSON null.
Spec = Dict[str, Tuple[tuple, bool]]

STR = (str,)
OPT_STR = (str, type(None))
BOOL = (bool,)
OPT_BOOL = (bool, type(None))
OPT_INT = (int, type(None))
LIST = (list,)
DICT = (dict,)

COMMON: Spec = {
    "id": (STR, True),
    "source": (STR, True),
    "comment": (OPT_STR, False),
    "expect": (DICT, True),
}

VERDICT_EXPECT: Spec = {
    "valid": (BOOL, True),
    "compliant": (OPT_BOOL, False),
    "allowed": (OPT_BOOL, False),
    "codes": (LIST, False),
    "remediations": (DICT, False),
    "error_kind": (OPT_STR, False),
}

# kind -> (input fields, expect fields)
KINDS: Dict[str, Tuple[Spec, Spec]] = {
    # Run by test_vectors.py `test_audit`, as fips-core/tests/audit_vectors.rs runs them.
    "audit": (
        {"manifests": (LIST, False), "text": (STR, False), "old": (LIST, False), "policy": (STR, False)},
        {
            "valid": (BOOL, True),
            "compliant": (OPT_BOOL, False),
            "clusters": (OPT_INT, False),
            "findings": (LIST, False),
            "error_kind": (OPT_STR, False),
        },
    ),
    "versions": (
        {"input": (STR, True)},
        {
            "valid": (BOOL, True),
            "version": (OPT_STR, False),
            "fips": (OPT_BOOL, False),
            "fips_build": (OPT_INT, False),
            "kubernetes_tag": (OPT_STR, False),
            "etcd_tag": (OPT_STR, False),
        },
    ),
    "tags": (
        {"tag": (STR, True)},
        {"valid": (BOOL, True), "version": (OPT_STR, False), "error": (OPT_STR, False)},
    ),
    "images": (
        {"input": (STR, True)},
        {
            "valid": (BOOL, True),
            "registry": (OPT_STR, False),
            "repository": (OPT_STR, False),
            "tag": (OPT_STR, False),
            "digest": (OPT_STR, False),
            "reference": (OPT_STR, False),
        },
    ),
    "requests": (
        {"args": (LIST, False), "json": (DICT, False), "policy": (OPT_STR, False)},
        VERDICT_EXPECT,
    ),
    "transitions": ({"current": (STR, True), "desired": (STR, True)}, VERDICT_EXPECT),
    "osrelease": (
        {"text": (OPT_STR, False), "root": (OPT_STR, False), "path": (OPT_STR, False)},
        {"fields": (DICT, True), "id": (OPT_STR, False), "ignored_lines": (LIST, False)},
    ),
    "hosts": (
        {"root": (STR, True)},
        {
            "valid": (BOOL, True),
            "os": ((dict, type(None)), False),
            "os_supported": (OPT_BOOL, False),
            "fips_mode": (OPT_BOOL, False),
            "fips_prepared": (OPT_BOOL, False),
            "compliant": (OPT_BOOL, False),
            "codes": (LIST, False),
            "error_kind": (OPT_STR, False),
        },
    ),
    "distros": (
        {"root": (STR, True)},
        {"id": (OPT_STR, False), "version": (OPT_STR, False), "supported": (BOOL, True)},
    ),
    "errors": (
        {"call": (STR, True), "input": (LIST, True)},
        {"kind": (STR, True), "variant": (STR, True)},
    ),
}

# The calls an ``errors`` vector may name (README: "Kinds").
ERROR_CALLS = (
    "version",
    "tag",
    "image",
    "request-args",
    "request-json",
    "transition",
    "policy-toml",
    "policy-file",
    "host",
    "scan",
)

FILE: Spec = {
    "schema": ((int,), True),
    "kind": (STR, True),
    "description": (STR, True),
    "count": ((int,), True),
    "vectors": (LIST, True),
}

HOST_OS: Spec = {"id": (STR, True), "version": (OPT_STR, False)}


def check_fields(where: str, obj: Any, spec: Spec) -> None:
    """Refuses unknown fields, missing required ones and wrong types."""
    if not isinstance(obj, dict):
        raise VectorFileError(f"{where}: expected an object, got {type(obj).__name__}")
    unknown = sorted(set(obj) - set(spec))
    if unknown:
        raise VectorFileError(f"{where}: unknown field(s) {unknown}")
    for name, (types, required) in spec.items():
        if name not in obj:
            if required:
                raise VectorFileError(f"{where}: missing field {name!r}")
            continue
        value = obj[name]
        # bool is an int in Python: never accept one for the other.
        if isinstance(value, bool) and bool not in types:
            raise VectorFileError(f"{where}: {name} must not be a boolean")
        if not isinstance(value, types):
            raise VectorFileError(f"{where}: {name} has type {type(value).__name__}")


def check_str_list(where: str, value: Any, item: type = str) -> None:
    if not all(isinstance(x, item) and not isinstance(x, bool) for x in value):
        raise VectorFileError(f"{where}: every item must be a {item.__name__}")


def read_file(path: Path) -> Tuple[str, List[dict]]:
    """Reads and checks one vector file: its kind and its vectors."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise VectorFileError(f"{path.name}: not JSON: {e}") from e
    check_fields(path.name, data, FILE)
    if data["schema"] != 1:
        raise VectorFileError(f"{path.name}: unknown schema {data['schema']}")
    kind = data["kind"]
    if kind not in KINDS:
        raise VectorFileError(f"{path.name}: unknown vector kind {kind!r}")
    if not data["description"]:
        raise VectorFileError(f"{path.name}: no description")
    vectors = data["vectors"]
    if data["count"] != len(vectors):
        raise VectorFileError(
            f"{path.name}: count says {data['count']} but there are {len(vectors)} vectors"
        )
    inputs, expect = KINDS[kind]
    seen = set()
    for i, v in enumerate(vectors):
        where = f"{path.name}: vectors[{i}]"
        check_fields(where, v, {**COMMON, **inputs})
        check_fields(f"{where} ({v['id']}).expect", v["expect"], expect)
        if v["id"] in seen:
            raise VectorFileError(f"{path.name}: duplicate id {v['id']}")
        seen.add(v["id"])
        check_kind(f"{path.name}: {v['id']}", kind, v)
    return kind, vectors


def check_kind(where: str, kind: str, v: dict) -> None:
    """What a field spec cannot say: item types and which inputs go together."""
    e = v["expect"]
    for name in ("codes", "ignored_lines"):
        if name in e:
            check_str_list(f"{where}: {name}", e[name], int if name == "ignored_lines" else str)
    for name in ("remediations", "fields"):
        if name in e:
            check_str_list(f"{where}: {name}", list(e[name].values()))
    if kind == "requests":
        if ("args" in v) == ("json" in v):
            raise VectorFileError(f"{where}: give exactly one of args and json")
        if "args" in v:
            check_str_list(f"{where}: args", v["args"])
    if kind == "osrelease":
        text, root, path = v.get("text"), v.get("root"), v.get("path")
        by_text = text is not None and root is None and path is None
        by_file = text is None and root is not None and path is not None
        if not (by_text or by_file):
            raise VectorFileError(f"{where}: give text, or root and path")
    if kind == "errors":
        check_str_list(f"{where}: input", v["input"])
        if v["call"] not in ERROR_CALLS:
            raise VectorFileError(f"{where}: unknown call {v['call']!r}")
    if kind == "hosts" and e.get("os") is not None:
        check_fields(f"{where}: expect.os", e["os"], HOST_OS)


def load(directory: Path = VECTORS) -> Dict[str, List[dict]]:
    """Every ``*.json`` vector file under ``directory``, merged by kind."""
    files = sorted(directory.glob("*.json"))
    if not files:
        raise VectorFileError(f"no vector files in {directory}")
    out: Dict[str, List[dict]] = {kind: [] for kind in KINDS}
    for path in files:
        kind, vectors = read_file(path)
        out[kind].extend(vectors)
    return out
