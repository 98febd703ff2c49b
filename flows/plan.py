"""Find input files and group them into shards of tens of MB."""

from __future__ import annotations

import posixpath
from dataclasses import asdict, dataclass

import xxhash

from flows.io.storage import fs_path

SHARD_BYTES = 32 << 20
COMPRESSED = (".gz", ".zst", ".xz", ".bz2")
CHUNK = 8 << 20


@dataclass
class InputFile:
    url: str  # what to open: a local path or an fsspec URL
    rel: str  # the document source prefix: relative to its INPUT root, '/' separators
    size: int
    fingerprint: str  # content hash, so reruns notice edits that keep size and mtime


@dataclass
class Shard:
    index: int
    key: str  # content address of the map output: inputs, recipe and version
    files: list[InputFile]

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "Shard":
        return cls(d["index"], d["key"], [InputFile(**f) for f in d["files"]])


def fingerprint(url: str) -> str:
    fs, path = fs_path(url)
    h = xxhash.xxh3_128()
    with fs.open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _walk(root: str) -> list[tuple[str, str, int]]:
    """(url, rel, size) of every non-hidden file under ``root``; a file root stands for itself."""
    fs, path = fs_path(root)
    proto = root.split("://")[0] + "://" if "://" in root else ""
    if not fs.exists(path):
        raise FileNotFoundError(f"input not found: {root}")
    if not fs.isdir(path):
        return [(root, posixpath.basename(path.rstrip("/")), fs.size(path))]
    out = []
    for p, info in fs.find(path, detail=True).items():
        rel = posixpath.relpath(p, path.rstrip("/"))
        if any(part.startswith((".", "_")) for part in rel.split("/")):
            continue
        url = p if not proto or p.startswith(proto) else proto + p
        out.append((url, rel, int(info.get("size") or 0)))
    return out


def discover(inputs: list[str]) -> list[InputFile]:
    """Every file under the INPUT roots, sorted by source; several roots prefix it with the root's name."""
    files = []
    for root in inputs:
        name = posixpath.basename(fs_path(root)[1].rstrip("/"))
        for url, rel, size in _walk(root):
            rel = f"{name}/{rel}" if len(inputs) > 1 and rel != name else rel
            files.append(InputFile(url, rel, size, ""))
    files.sort(key=lambda f: f.rel)
    seen = set()
    for f in files:
        if f.rel in seen:
            raise ValueError(f"two inputs give the same source {f.rel!r}; pass distinct folders")
        seen.add(f.rel)
        f.fingerprint = fingerprint(f.url)
    return files


def weight(f: InputFile) -> int:
    return f.size * 4 if f.rel.endswith(COMPRESSED) else f.size


def plan_shards(files: list[InputFile], salt: str, shard_bytes: int = SHARD_BYTES) -> list[Shard]:
    """Pack files, in source order, into shards of about ``shard_bytes`` of text each."""
    groups: list[list[InputFile]] = []
    size = shard_bytes
    for f in files:
        if size >= shard_bytes:
            groups.append([])
            size = 0
        groups[-1].append(f)
        size += weight(f)
    shards = []
    for i, g in enumerate(groups):
        h = xxhash.xxh3_128(salt.encode())
        for f in g:
            h.update(f"\0{f.rel}\0{f.fingerprint}".encode())
        shards.append(Shard(i, h.hexdigest(), g))
    return shards
