"""Cut a big input file into pieces, so one file can be many shard tasks.

Plain JSONL is cut at line starts, Parquet between row groups, a tar archive between members. A piece
carries ``span``: ``[start, stop, first]``, a byte range (JSONL, tar) or row-group range (Parquet), and
the number of the record it starts with, so sources (``file#N``, ``archive/member``), ids and order are
the whole file's. A compressed JSONL file or tar archive cannot seek: it is decompressed once into the
run's cut folder and that copy is cut, its pieces pointing at it. Other formats stay whole.
"""

from __future__ import annotations

import bz2
import dataclasses
import gzip
import io
import lzma
import math
import os
import tarfile
import uuid

import pyarrow.parquet as pq
import zstandard

from flows.io.storage import fs_path, is_local

CHUNK = 8 << 20
MIN_PIECE = 4 << 20  # smaller pieces cost more in task overhead than they give in parallelism
JSONL = (".jsonl", ".ndjson")  # a .json file may be one JSON document: read whole
EXPANDS = 4  # a guess at how much a compressed file grows, to decide whether it is worth cutting
# Compressed JSONL and tar names, with the codec and the name of their decompressed copy.
CODECS = {".gz": "gz", ".tgz": "gz", ".zst": "zst", ".tzst": "zst", ".xz": "xz", ".txz": "xz", ".bz2": "bz2",
          ".tbz2": "bz2"}
TAR_SHORT = (".tgz", ".tzst", ".txz", ".tbz2")
MAX_EXPANSION = 50  # text expands 3-15x; past this a stream is not copied to disk, but read as it comes
MAX_TAR_TAIL = 1 << 20  # past its last member a tar holds zero blocks; more than this is no clean end


def split(f, shard_bytes: int, workers: int = 1, cut_dir: str | None = None) -> list:
    """``f`` (an InputFile) as pieces of at most about ``shard_bytes``, as many as a multiple of ``workers``
    when they stay over ``MIN_PIECE``, so no worker idles on the last one; ``[f]`` when it is small or cannot
    be cut. A compressed JSONL or tar file is cut only with a local ``cut_dir`` to decompress it into."""
    piece = max(shard_bytes, MIN_PIECE)
    name = f.rel.lower()
    codec = _codec(name)
    if f.error is not None or f.span is not None or f.size * (EXPANDS if codec else 1) <= piece:
        return [f]
    try:
        if codec:
            if not cut_dir or not is_local(cut_dir):
                return [f]
            url = unpack(f.url, codec, os.path.join(cut_dir, f.fingerprint + (".tar" if _tar(name) else ".jsonl")))
            size = os.path.getsize(url)
            f = dataclasses.replace(f, url=url)
            spans = (tar_spans if _tar(name) else jsonl_spans)(url, size, pieces(size, piece, workers))
        elif name.endswith(JSONL):
            spans = jsonl_spans(f.url, f.size, pieces(f.size, piece, workers))
        elif name.endswith(".parquet"):
            spans = parquet_spans(f.url, pieces(f.size, piece, workers))
        elif name.endswith(".tar"):
            spans = tar_spans(f.url, f.size, pieces(f.size, piece, workers))
        else:
            return [f]
    except (OSError, EOFError, ValueError, tarfile.TarError, lzma.LZMAError, zstandard.ZstdError):
        return [f]  # unreadable, or not cleanly: read whole, and the reader reports why
    if codec:  # the copy is read even as one piece: it was paid for
        return [dataclasses.replace(f, span=list(s)) for s in spans]
    if len(spans) < 2:
        return [f]
    return [dataclasses.replace(f, span=list(s)) for s in spans]


def pieces(size: int, piece: int, workers: int) -> int:
    n = math.ceil(size / piece)
    even = math.ceil(n / workers) * workers
    return even if size / even >= MIN_PIECE else n


def _codec(name: str) -> str | None:
    """The codec of a compressed JSONL file or tar archive, the only compressed files worth cutting."""
    stem, ext = os.path.splitext(name)
    if ext not in CODECS:
        return None
    return CODECS[ext] if ext in TAR_SHORT or stem.endswith((".tar", *JSONL)) else None


def _tar(name: str) -> bool:
    return name.endswith(TAR_SHORT) or os.path.splitext(name)[0].endswith(".tar")


def _decompressed(raw, codec: str):
    if codec == "gz":
        return gzip.GzipFile(fileobj=raw)
    if codec == "xz":
        return lzma.LZMAFile(raw)
    if codec == "bz2":
        return bz2.BZ2File(raw)
    from flows.io.readers import ZstdReader  # the one that notices a truncated stream

    return io.BufferedReader(ZstdReader(raw), CHUNK)


def unpack(url: str, codec: str, dest: str) -> str:
    """Decompress ``url`` once into ``dest`` (kept for later runs: its name is the input's fingerprint).
    A broken stream, or one that expands more than text does (a bomb), raises ValueError or the codec's
    error, and the file is read whole as a stream, as it always was."""
    if os.path.exists(dest):
        return dest
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    tmp = f"{dest}.{uuid.uuid4().hex}.tmp"
    fs, path = fs_path(url)
    try:
        with fs.open(path, "rb") as raw, _decompressed(raw, codec) as src, open(tmp, "wb") as out:
            limit = fs.size(path) * MAX_EXPANSION
            while chunk := src.read(CHUNK):
                if out.tell() + len(chunk) > limit:
                    raise ValueError(f"expands over {MAX_EXPANSION}x")
                out.write(chunk)
        os.replace(tmp, dest)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return dest


def tar_spans(url: str, size: int, n: int) -> list[tuple[int, int, int]]:
    """Byte ranges of whole members (each from its first header, long-name and pax ones included) near
    ``i * size / n``. Raises ValueError on an archive a piece could read differently: a global pax header,
    or anything but zero blocks after the last member (a truncated or damaged end)."""
    fs, path = fs_path(url)
    with fs.open(path, "rb") as fh, tarfile.open(fileobj=fh, mode="r:") as tar:
        starts = []
        while (member := tar.next()) is not None:
            starts.append(member.offset)
            tar.members.clear()  # the index is not needed, and grows with the archive
        end = tar.offset
        if tar.pax_headers:
            raise ValueError("a global pax header applies to every later member")
        if not starts:
            raise ValueError("no members")
        if size - end > MAX_TAR_TAIL:
            raise ValueError("too much after the last member")
        fh.seek(end)
        if fh.read(size - end).strip(b"\0"):
            raise ValueError("data after the last member")
    cuts, k = [0], 1
    for i in range(1, n):
        target = i * size / n
        while k < len(starts) and starts[k] < target:
            k += 1
        if k < len(starts) and starts[k] > cuts[-1]:
            cuts.append(starts[k])
    bounds = cuts + [size]
    return [(bounds[i], bounds[i + 1], 0) for i in range(len(cuts))]


def jsonl_spans(url: str, size: int, n: int) -> list[tuple[int, int, int]]:
    """Byte ranges that start at line starts near ``i * size / n``, with the number of their first line.

    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("wb", suffix=".jsonl", delete=False) as t:
    ...     _ = t.write('{"text": "台风登陆"}\\n{"text": "暴雨"}\\n{"text": "天晴"}\\n'.encode())
    >>> size = os.path.getsize(t.name)
    >>> jsonl_spans(t.name, size, 2)
    [(0, 44, 0), (44, 63, 2)]
    >>> os.remove(t.name)
    """
    targets = [round(i * size / n) for i in range(1, n)]
    cuts = [(0, 0)]  # (byte where a piece starts, number of its first line)
    lines = pos = k = 0
    fs, path = fs_path(url)
    with fs.open(path, "rb") as fh:
        while k < len(targets) and (chunk := fh.read(CHUNK)):
            # A line starts at t when byte t-1 is b"\n": look for the first one at or after t-1.
            while k < len(targets) and (i := chunk.find(b"\n", max(targets[k] - 1 - pos, 0))) != -1:
                cut = pos + i + 1
                if cut < size:
                    cuts.append((cut, lines + chunk.count(b"\n", 0, i + 1)))
                while k < len(targets) and targets[k] <= cut:
                    k += 1
            lines += chunk.count(b"\n")
            pos += len(chunk)
    bounds = [c for c, _ in cuts] + [size]
    return [(bounds[i], bounds[i + 1], first) for i, (_, first) in enumerate(cuts)]


def parquet_spans(url: str, n: int) -> list[tuple[int, int, int]]:
    """Row-group ranges of about equal compressed size, with the index of their first row."""
    fs, path = fs_path(url)
    with fs.open(path, "rb") as fh:
        meta = pq.ParquetFile(fh).metadata
    sizes = [sum(meta.row_group(g).column(c).total_compressed_size for c in range(meta.num_columns))
             for g in range(meta.num_row_groups)]
    rows = [meta.row_group(g).num_rows for g in range(meta.num_row_groups)]
    total = sum(sizes) or 1
    spans, lo, acc, first = [], 0, 0, 0
    for g, s in enumerate(sizes):
        acc += s
        if acc >= total * (len(spans) + 1) / n and g + 1 < len(sizes):
            spans.append((lo, g + 1, first))
            first += sum(rows[lo:g + 1])
            lo = g + 1
    spans.append((lo, len(sizes), first))
    return spans
