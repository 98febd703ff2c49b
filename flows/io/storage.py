"""Files on local disk or any fsspec URL, written atomically."""

from __future__ import annotations

import glob
import json
import os
import posixpath
import signal
import uuid
from collections import Counter
from contextlib import contextmanager, suppress
from typing import Any, Iterator

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq


def fs_path(url: str) -> tuple[fsspec.AbstractFileSystem, str]:
    # No cached listings: Dask workers outlive runs, and a listing cached in one would miss or resurrect
    # objects that other processes wrote or removed since.
    fs, path = fsspec.core.url_to_fs(url, use_listings_cache=False)
    return fs, path


def is_local(url: str) -> bool:
    return isinstance(fs_path(url)[0], fsspec.implementations.local.LocalFileSystem)


def join(base: str, *parts: str) -> str:
    return "/".join([base.rstrip("/"), *parts])


def exists(url: str) -> bool:
    fs, path = fs_path(url)
    return fs.exists(path)


def temp_path(path: str) -> str:
    """A dot-named sibling of the local ``path`` to write into; what killed writers of it left goes first."""
    folder, name = os.path.split(path)
    os.makedirs(folder or ".", exist_ok=True)
    for old in glob.glob(os.path.join(glob.escape(folder), f".tmp-{'?' * 32}-{glob.escape(name)}")):
        with suppress(FileNotFoundError):
            os.remove(old)
    return os.path.join(folder, f".tmp-{uuid.uuid4().hex}-{name}")


@contextmanager
def atomic_open(url: str, mode: str = "wb") -> Iterator[Any]:
    """Write ``url`` so readers see the whole file or nothing.

    Locally: a dot-named temp file in the same folder, then ``os.replace``. Object stores publish an object
    only when its upload completes, so there the final key is written directly.
    """
    fs, path = fs_path(url)
    if not is_local(url):
        f = fs.open(path, mode)
        try:
            yield f
            kill_point(f"write:{posixpath.basename(path)}")
        except BaseException:
            discard(f)
            raise
        f.close()
        return
    tmp = temp_path(path)
    try:
        with open(tmp, mode, encoding=None if "b" in mode else "utf-8") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        kill_point(f"write:{os.path.basename(path)}")
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def discard(f: Any) -> None:
    """Drop an unfinished upload: closing it would publish what was written so far."""
    if hasattr(f, "discard"):
        f.discard()  # s3fs aborts the multipart upload; a small object was never sent
        f.closed = True
    else:
        f.close()


_passed: Counter = Counter()


def kill_point(name: str) -> None:
    """Test hook: ``QINGXI_TEST_KILL_AT=name`` or ``name@n`` SIGKILLs this process the n-th time it gets here.

    The resume tests stop a real run at a known moment with it, e.g. ``write:manifest.json`` just before
    the manifest's temp file is renamed. Unset, it does nothing.
    """
    point, _, n = os.environ.get("QINGXI_TEST_KILL_AT", "").partition("@")
    if point != name:
        return
    _passed[name] += 1
    if _passed[name] == int(n or 1):
        os.kill(os.getpid(), signal.SIGKILL)


def write_json(url: str, obj: Any) -> None:
    with atomic_open(url, "w" if is_local(url) else "wb") as f:
        blob = json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True)
        f.write(blob if is_local(url) else blob.encode("utf-8"))


def read_json(url: str) -> Any:
    fs, path = fs_path(url)
    with fs.open(path, "rb") as f:
        return json.loads(f.read().decode("utf-8"))


def write_table(url: str, table: pa.Table, row_group_rows: int = 10_000) -> None:
    """One Parquet file, zstd, written atomically."""
    with atomic_open(url) as f:
        pq.write_table(table, f, compression="zstd", row_group_size=row_group_rows)


def read_table(url: str, columns: list[str] | None = None) -> pa.Table:
    fs, path = fs_path(url)
    with fs.open(path, "rb") as f:
        return pq.read_table(f, columns=columns)


def read_schema(url: str) -> pa.Schema:
    """A Parquet file's schema, from its footer alone."""
    fs, path = fs_path(url)
    with fs.open(path, "rb") as f:
        return pq.read_schema(f)


def list_files(url: str, pattern: str) -> list[str]:
    fs, path = fs_path(url)
    if not fs.exists(path):
        return []
    proto = url.split("://")[0] + "://" if "://" in url else ""
    return sorted(proto + p if proto and not p.startswith(proto) else p for p in fs.glob(join(path, pattern)))


def remove(url: str) -> None:
    fs, path = fs_path(url)
    if fs.exists(path):
        fs.rm(path, recursive=True)
