"""Files on local disk or any fsspec URL, written atomically."""

from __future__ import annotations

import json
import os
import uuid
from contextlib import contextmanager
from typing import Any, Iterator

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq


def fs_path(url: str) -> tuple[fsspec.AbstractFileSystem, str]:
    fs, path = fsspec.core.url_to_fs(url)
    return fs, path


def is_local(url: str) -> bool:
    return isinstance(fs_path(url)[0], fsspec.implementations.local.LocalFileSystem)


def join(base: str, *parts: str) -> str:
    return "/".join([base.rstrip("/"), *parts])


def exists(url: str) -> bool:
    fs, path = fs_path(url)
    return fs.exists(path)


@contextmanager
def atomic_open(url: str, mode: str = "wb") -> Iterator[Any]:
    """Write ``url`` so readers see the whole file or nothing.

    Locally: a dot-named temp file in the same folder, then ``os.replace``. Object stores publish an object
    only when its upload completes, so there the final key is written directly.
    """
    fs, path = fs_path(url)
    if not is_local(url):
        with fs.open(path, mode) as f:
            yield f
        return
    folder = os.path.dirname(path) or "."
    os.makedirs(folder, exist_ok=True)
    tmp = os.path.join(folder, f".tmp-{uuid.uuid4().hex}-{os.path.basename(path)}")
    try:
        with open(tmp, mode, encoding=None if "b" in mode else "utf-8") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


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
