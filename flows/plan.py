"""Find input files and group them into shards of tens of MB."""

from __future__ import annotations

import errno
import os
import posixpath
import stat
from dataclasses import asdict, dataclass

import xxhash

from flows.io.storage import fs_path
from flows.split import split

SHARD_BYTES = 32 << 20
COMPRESSED = (".gz", ".zst", ".xz", ".bz2")
CHUNK = 8 << 20


@dataclass
class InputFile:
    url: str  # what to open: a local path or an fsspec URL
    rel: str  # the document source prefix: relative to its INPUT root, '/' separators
    size: int
    fingerprint: str  # content hash, so reruns notice edits that keep size and mtime
    error: str | None = None  # why the path cannot be read (broken_link, not_a_file…): errored, never opened
    span: list[int] | None = None  # a piece of a big file: [start, stop, first record] (see flows.split)


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


def _hidden(rel: str) -> bool:
    return any(part.startswith((".", "_")) for part in rel.split("/"))


def _walk(root: str, skip: set[str] = frozenset(), roots: tuple[str, ...] = ()) -> list[tuple[str, str, int, str | None]]:
    """(url, rel, size, error) of every non-hidden file under ``root``; a file root stands for itself."""
    fs, path = fs_path(root)
    if "://" not in root or root.startswith("file://"):
        return _walk_local(path, skip, roots or (os.path.realpath(path),))
    proto = root.split("://")[0] + "://"
    if not fs.exists(path):
        raise FileNotFoundError(f"input not found: {root}")
    if not fs.isdir(path):
        return [(root, posixpath.basename(path.rstrip("/")), fs.size(path), None)]
    out = []
    for p, info in fs.find(path, detail=True).items():
        rel = posixpath.relpath(p, path.rstrip("/"))
        if _hidden(rel):
            continue
        url = p if p.startswith(proto) else proto + p
        out.append((url, rel, int(info.get("size") or 0), None))
    return out


def _walk_local(path: str, skip: set[str], roots: tuple[str, ...]) -> list[tuple[str, str, int, str | None]]:
    """Local files, in name order. Only regular files are read. A link to a file is followed when its
    target lies inside an input root; links to folders are never followed (what they point to inside a
    root is read through its own path). Anything else is one errored input with its reason."""
    if not os.path.lexists(path):
        raise FileNotFoundError(f"input not found: {path}")
    if not os.path.isdir(path):
        return [(path, *_entry(path, os.path.basename(path.rstrip("/")), roots))]
    out = []
    base = path.rstrip("/") or "/"
    for folder, dirs, names in os.walk(base):
        links = [d for d in dirs if os.path.islink(os.path.join(folder, d))]
        dirs[:] = sorted(d for d in dirs if d not in links and not d.startswith((".", "_"))
                         and os.path.realpath(os.path.join(folder, d)) not in skip)
        for name in sorted(names + links):
            p = os.path.join(folder, name)
            if name.startswith((".", "_")):
                continue
            out.append((p, *_entry(p, os.path.relpath(p, base), roots)))
    return out


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _entry(p: str, rel: str, roots: tuple[str, ...]) -> tuple[str, int, str | None]:
    """(rel, size, error) of one local path; a name that is not UTF-8 is shown with escapes."""
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(rel).decode("utf-8", "backslashreplace"), 0, "bad_name"
    try:
        st = os.stat(p)
    except FileNotFoundError:
        return rel, 0, "broken_link"
    except OSError as e:
        return rel, 0, "link_loop" if e.errno == errno.ELOOP else "read_error"
    if os.path.islink(p):
        target = os.path.realpath(p)
        if stat.S_ISDIR(st.st_mode):
            return rel, 0, "link_loop" if _inside(os.path.dirname(os.path.abspath(p)), target) else "link_to_dir"
        if not any(_inside(target, r) for r in roots):
            return rel, 0, "link_outside"
    if not stat.S_ISREG(st.st_mode):
        return rel, 0, "not_a_file"
    return rel, st.st_size, None


def _local_real(url: str) -> str | None:
    return os.path.realpath(fs_path(url)[1]) if "://" not in url or url.startswith("file://") else None


def discover(inputs: list[str], out: str | None = None) -> list[InputFile]:
    """Every file under the INPUT roots, sorted by source; several roots prefix it with the root's name.
    The OUT folder is never read back, even when it lies inside an input."""
    files = []
    roots = tuple(r for r in map(_local_real, inputs) if r)
    skip = {_local_real(out)} if out and _local_real(out) else set()
    for root in inputs:
        name = posixpath.basename(fs_path(root)[1].rstrip("/"))
        for url, rel, size, error in _walk(root, skip, roots):
            rel = f"{name}/{rel}" if len(inputs) > 1 and rel != name else rel
            files.append(InputFile(url, rel, size, "", error))
    files.sort(key=lambda f: f.rel)
    seen = set()
    for f in files:
        if f.rel in seen:
            raise ValueError(f"two inputs give the same source {f.rel!r}; pass distinct folders")
        seen.add(f.rel)
        if f.error is None:
            try:
                f.fingerprint = fingerprint(f.url)
            except OSError:  # unreadable (permissions, a vanished file): errored when its shard reads it
                f.error = "read_error"
    return files


def weight(f: InputFile) -> int:
    return f.size * 4 if f.rel.endswith(COMPRESSED) else f.size


def plan_shards(files: list[InputFile], salt: str, shard_bytes: int = SHARD_BYTES, workers: int = 1,
                cut_dir: str | None = None) -> list[Shard]:
    """Pack files, in source order, into shards of about ``shard_bytes`` of text each. A big JSONL, Parquet
    or tar file is cut into pieces (an even share per worker), each a shard of its own; a compressed one is
    first decompressed into ``cut_dir`` (see flows.split)."""
    groups: list[list[InputFile]] = []
    size = shard_bytes
    for f in [piece for whole in files for piece in split(whole, shard_bytes, workers, cut_dir)]:
        if size >= shard_bytes or f.span is not None:
            groups.append([])
            size = 0
        groups[-1].append(f)
        size += shard_bytes if f.span is not None else weight(f)
    shards = []
    for i, g in enumerate(groups):
        h = xxhash.xxh3_128(salt.encode())
        for f in g:
            h.update(f"\0{f.rel}\0{f.fingerprint}".encode())
            if f.span is not None:
                h.update(f"\0{f.span}".encode())
        shards.append(Shard(i, h.hexdigest(), g))
    return shards
