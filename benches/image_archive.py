#!/usr/bin/env python3
"""Writes a `docker save`-style image archive of at least a given size for the memory bench.

    benches/image_archive.py <dir of Go binaries> <out.tar> [<MiB, default 1088>]

The archive holds one image: a gzip layer with the real Go binaries (as `docker save` of an
OCI image stores compressed blobs) under `usr/local/bin/`, then uncompressed filler layers
(a few large files of incompressible bytes and many small text files) up to the size asked,
with `manifest.json` and a config whose `rootfs.diff_ids` are the SHA-256 of each layer's
tar stream, as `docker load` and the scanner check them. Prints one JSON object: the
archive's size, its layers and how many binaries it holds.
"""

import gzip
import hashlib
import io
import json
import os
import sys
import tarfile
import tempfile

CHUNK = 1 << 20
FILLER_LAYER = 256 << 20
SMALL_FILES = 2000


def add_bytes(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))


class Filler(io.RawIOBase):
    """`size` incompressible bytes: one random MiB, each copy with its own counter."""

    def __init__(self, size, block):
        self.left, self.block, self.n = size, block, 0

    def readable(self):
        return True

    def readinto(self, buf):
        if self.left == 0:
            return 0
        chunk = self.n.to_bytes(8, "little") + self.block[8:]
        want = min(len(buf), len(chunk), self.left)
        buf[:want] = chunk[:want]
        self.left -= want
        self.n += 1
        return want


def write_layer(path, fill):
    with open(path, "wb") as f, tarfile.open(fileobj=f, mode="w", format=tarfile.PAX_FORMAT) as t:
        fill(t)


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


def main():
    bins, out = sys.argv[1], sys.argv[2]
    want = (int(sys.argv[3]) if len(sys.argv) > 3 else 1088) << 20
    block = os.urandom(CHUNK)
    names = sorted(n for n in os.listdir(bins) if os.path.isfile(os.path.join(bins, n)))
    tmp = tempfile.mkdtemp(prefix="fips-bench-image-", dir=os.path.dirname(os.path.abspath(out)))
    layers = []  # (file in the archive, path on disk, diff id)

    def binaries(t):
        for name in names:
            t.add(os.path.join(bins, name), arcname=f"usr/local/bin/{name}")

    raw = os.path.join(tmp, "bin.tar")
    write_layer(raw, binaries)
    diff = sha256_file(raw)
    gz = os.path.join(tmp, "bin.tar.gz")
    with open(raw, "rb") as src, gzip.open(gz, "wb", compresslevel=1) as dst:
        while chunk := src.read(CHUNK):
            dst.write(chunk)
    os.unlink(raw)
    layers.append(("bin/layer.tar", gz, diff))
    total = os.path.getsize(gz)

    i = 0
    while total < want:
        i += 1
        size = min(FILLER_LAYER, want - total + CHUNK)

        def filler(t, i=i, size=size):
            for k in range(SMALL_FILES // 4):
                add_bytes(t, f"usr/share/filler{i}/doc/{k}.txt", f"filler {i} {k}\n".encode() * 8)
            for k in range(4):
                info = tarfile.TarInfo(f"opt/filler{i}/blob{k}.bin")
                info.size = size // 4
                info.mode = 0o644
                t.addfile(info, io.BufferedReader(Filler(info.size, block), CHUNK))

        path = os.path.join(tmp, f"filler{i}.tar")
        write_layer(path, filler)
        layers.append((f"filler{i}/layer.tar", path, sha256_file(path)))
        total += os.path.getsize(path)

    config = json.dumps(
        {
            "architecture": "amd64",
            "os": "linux",
            "rootfs": {"type": "layers", "diff_ids": [f"sha256:{d}" for _, _, d in layers]},
        }
    ).encode()
    config_name = hashlib.sha256(config).hexdigest() + ".json"
    manifest = json.dumps(
        [
            {
                "Config": config_name,
                "RepoTags": ["example.invalid/fips-bench:v1"],
                "Layers": [name for name, _, _ in layers],
            }
        ]
    ).encode()
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as t:
        add_bytes(t, config_name, config)
        for name, path, _ in layers:
            t.add(path, arcname=name)
            os.unlink(path)
        add_bytes(t, "manifest.json", manifest)
    os.rmdir(tmp)
    json.dump(
        {"bytes": os.path.getsize(out), "layers": len(layers), "binaries": len(names)},
        sys.stdout,
    )
    print()


if __name__ == "__main__":
    main()
