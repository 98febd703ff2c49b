"""Cut a big input file into pieces, so one file can be many shard tasks.

Plain JSONL is cut at line starts, Parquet between row groups. A piece carries ``span``:
``[start, stop, first]``, a byte range (JSONL) or row-group range (Parquet), and the number
of the record it starts with, so sources (``file#N``), ids and order are the whole file's.
Other formats, and compressed streams, stay whole.
"""

from __future__ import annotations

import dataclasses
import math

import pyarrow.parquet as pq

from flows.io.storage import fs_path

CHUNK = 8 << 20
MIN_PIECE = 4 << 20  # smaller pieces cost more in task overhead than they give in parallelism
JSONL = (".jsonl", ".ndjson")  # a .json file may be one JSON document: read whole


def split(f, shard_bytes: int, workers: int = 1) -> list:
    """``f`` (an InputFile) as pieces of at most about ``shard_bytes``, as many as a multiple of ``workers``
    when they stay over ``MIN_PIECE``, so no worker idles on the last one; ``[f]`` when it is small or cannot be cut."""
    piece = max(shard_bytes, MIN_PIECE)
    if f.error is not None or f.span is not None or f.size <= piece:
        return [f]
    n = math.ceil(f.size / piece)
    even = math.ceil(n / workers) * workers
    n = even if f.size / even >= MIN_PIECE else n
    name = f.rel.lower()
    try:
        if name.endswith(JSONL):
            spans = jsonl_spans(f.url, f.size, n)
        elif name.endswith(".parquet"):
            spans = parquet_spans(f.url, n)
        else:
            return [f]
    except (OSError, ValueError):  # unreadable here: read whole, and the reader reports why
        return [f]
    if len(spans) < 2:
        return [f]
    return [dataclasses.replace(f, span=list(s)) for s in spans]


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
