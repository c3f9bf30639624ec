"""The vector reader fails loudly on a file that does not follow the format."""

from __future__ import annotations

import json

import pytest

from vectors import VECTORS, VectorFileError, load, read_file

GOOD = {
    "schema": 1,
    "kind": "tags",
    "description": "reader self-test",
    "count": 1,
    "vectors": [
        {
            "id": "tag-fips",
            "source": "vendor image docker.io/mesosphere/etcd:v3.4.13_fips.0",
            "tag": "v3.4.13_fips.0",
            "expect": {"valid": True, "version": "3.4.13+fips.0"},
        }
    ],
}


def write(tmp_path, data, name="x.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def mutated(change):
    data = json.loads(json.dumps(GOOD))
    change(data)
    return data


def test_good_file_reads(tmp_path):
    kind, vectors = read_file(write(tmp_path, GOOD))
    assert kind == "tags" and [v["id"] for v in vectors] == ["tag-fips"]
    assert load(tmp_path)["tags"] == vectors


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d.update(kind="scans"), "unknown vector kind"),
        (lambda d: d.update(count=2), "count says 2"),
        (lambda d: d.update(schema=2), "unknown schema"),
        (lambda d: d.update(extra=1), "unknown field"),
        (lambda d: d.pop("description"), "missing field 'description'"),
        (lambda d: d["vectors"][0].update(tagg="x"), "unknown field"),
        (lambda d: d["vectors"][0].pop("source"), "missing field 'source'"),
        (lambda d: d["vectors"][0]["expect"].update(versoin="1.0.0"), "unknown field"),
        (lambda d: d["vectors"][0]["expect"].update(valid="yes"), "valid has type str"),
        (lambda d: d["vectors"][0].update(tag=3), "tag has type int"),
        (lambda d: (d["vectors"].append(d["vectors"][0]), d.update(count=2)), "duplicate id"),
    ],
)
def test_bad_files_fail(tmp_path, change, message):
    with pytest.raises(VectorFileError, match=message):
        read_file(write(tmp_path, mutated(change)))


def test_truncated_file_fails(tmp_path):
    path = tmp_path / "x.json"
    path.write_text(json.dumps(GOOD)[:-20], encoding="utf-8")
    with pytest.raises(VectorFileError, match="not JSON"):
        read_file(path)


def test_empty_directory_fails(tmp_path):
    with pytest.raises(VectorFileError, match="no vector files"):
        load(tmp_path)


def test_the_repository_vectors_read():
    vectors = load(VECTORS)
    assert sum(len(v) for v in vectors.values()) >= 200
