"""Stream rows into Parquet part files: explicit schema, zstd, bounded row groups, rolled files; and
stage a shard's documents in Arrow IPC, which costs next to nothing to write and read back."""

from __future__ import annotations

import os
from contextlib import suppress
from typing import Any, Callable, Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from flows.io.storage import discard, fs_path, is_local, join, kill_point, temp_path

ROW_GROUP_ROWS = 5_000  # small enough for streaming readers, big enough for zstd to work
ROW_GROUP_BYTES = 64 << 20
MAX_FILE_BYTES = 256 << 20


class PartWriter:
    """Writes ``folder/stem.parquet``, rolling to ``stem-1.parquet``… past ``max_file_bytes``.

    Each file appears under its final name only when complete (see ``flows.io.storage.atomic_open``).
    """

    def __init__(self, folder: str, stem: str, schema: pa.Schema, max_file_bytes: int = MAX_FILE_BYTES,
                 on_write: Callable[[str, pa.Table], None] | None = None):
        """``on_write(file, table)`` is called with each row group as it is written, and the file it is in."""
        self.folder, self.stem, self.schema, self.max_file_bytes = folder, stem, schema, max_file_bytes
        self.on_write = on_write
        self.files: list[str] = []
        self.rows = 0
        self.bytes = 0
        self._buf: list[dict[str, Any]] = []
        self._tables: list[pa.Table] = []  # from add_table; a writer takes rows or tables, not both
        self._buf_rows = 0
        self._buf_bytes = 0
        self._writer: pq.ParquetWriter | None = None
        self._sink = None

    def add(self, row: dict[str, Any]) -> None:
        self._buf.append(row)
        self._buf_bytes += len(row.get("text") or "") * 3
        if len(self._buf) >= ROW_GROUP_ROWS or self._buf_bytes >= ROW_GROUP_BYTES:
            self._flush()

    def add_table(self, table: pa.Table) -> None:
        """Rows already in Arrow, cut into exactly the row groups and files ``add`` would make of them."""
        sizes = pc.fill_null(pc.utf8_length(table["text"]), 0).to_pylist() if "text" in table.column_names else []
        start = 0
        for i in range(table.num_rows):
            self._buf_rows += 1
            self._buf_bytes += sizes[i] * 3 if sizes else 0
            if self._buf_rows >= ROW_GROUP_ROWS or self._buf_bytes >= ROW_GROUP_BYTES:
                self._tables.append(table.slice(start, i + 1 - start))
                start = i + 1
                self._flush()
        if start < table.num_rows:
            self._tables.append(table.slice(start))

    def close(self) -> list[str]:
        """Finish the last file; an empty part is still written so every shard has its files."""
        self._flush()
        if self._writer is None and not self.files:
            self._open()
        self._finish()
        return self.files

    def _name(self) -> str:
        k = len(self.files)
        return f"{self.stem}.parquet" if k == 0 else f"{self.stem}-{k}.parquet"

    def _open(self) -> None:
        self._final = join(self.folder, self._name())
        fs, path = fs_path(self._final)
        if is_local(self._final):
            self._tmp = temp_path(path)
            self._sink = open(self._tmp, "wb")
        else:
            self._tmp = None
            self._sink = fs.open(path, "wb")
        self._writer = pq.ParquetWriter(self._sink, self.schema, compression="zstd")

    def _flush(self) -> None:
        if not self._buf and not self._tables:
            return
        if self._writer is None:
            self._open()
        if self._tables:
            table = pa.concat_tables(self._tables).select(self.schema.names).combine_chunks()
            table = pa.Table.from_arrays(table.columns, schema=self.schema)
        else:
            table = pa.Table.from_pylist(self._buf, schema=self.schema)
        self._writer.write_table(table, row_group_size=table.num_rows)
        if self.on_write is not None:
            self.on_write(self._final, table)
        self.rows += table.num_rows
        self._buf, self._tables, self._buf_rows, self._buf_bytes = [], [], 0, 0
        if self._sink.tell() >= self.max_file_bytes:
            self._finish()

    def _finish(self) -> None:
        if self._writer is None:
            return
        kill_point(f"write:{os.path.basename(self._final)}")  # test hook: row groups written, no footer yet
        self._writer.close()
        self.bytes += self._sink.tell()
        if self._tmp:
            self._sink.flush()
            os.fsync(self._sink.fileno())
        self._sink.close()
        if self._tmp:
            os.replace(self._tmp, fs_path(self._final)[1])
        self.files.append(self._final)
        self._writer = self._sink = None

    def abort(self) -> None:
        """Drop a half-written file after an error."""
        if self._sink is not None:
            with suppress(Exception):  # else its __del__ writes a footer into the dropped file later
                self._writer.close()
            if self._tmp:
                self._sink.close()
                if os.path.exists(self._tmp):
                    os.remove(self._tmp)
            else:
                discard(self._sink)
        self._writer = self._sink = None


class KeyedWriter:
    """Rows with a ``part`` column, buffered and flushed as one row group per part.

    A reducer for parts ``lo``…``hi-1`` then reads only its row groups of every map output, and the
    map holds at most ``flush_rows`` rows whatever the shard's size.
    """

    def __init__(self, sink, schema: pa.Schema, flush_rows: int = 200_000):
        self.schema, self.flush_rows = schema, flush_rows
        self._cols: dict[str, list] = {n: [] for n in schema.names}
        # Read once by the reduce: lz4 writes and reads about twice as fast as zstd, for 25% more bytes.
        self._writer = pq.ParquetWriter(sink, schema, compression="lz4")
        self._groups = 0
        self.index: dict[int, list[int]] = {}

    def add(self, **row: Any) -> None:
        for name, col in self._cols.items():
            col.append(row[name])
        if len(self._cols["part"]) >= self.flush_rows:
            self._flush()

    def add_columns(self, **cols: list) -> None:
        """Rows given a column at a time (every list as long), flushed where ``add`` row by row would flush."""
        n = len(cols["part"])
        start = 0
        while start < n:
            room = self.flush_rows - len(self._cols["part"])
            end = min(n, start + room)
            for name, col in self._cols.items():
                col.extend(cols[name][start:end] if start or end < n else cols[name])
            start = end
            if len(self._cols["part"]) >= self.flush_rows:
                self._flush()

    def abort(self) -> None:
        """Close quietly after an error, so the writer's __del__ never writes into a discarded sink."""
        with suppress(Exception):
            self._writer.close()

    def close(self) -> dict[int, list[int]]:
        """Write what is buffered; return part -> row group indices."""
        self._flush()
        if self._groups == 0:
            self._writer.write_table(self.schema.empty_table())
        self._writer.close()
        return self.index

    def _flush(self) -> None:
        if not self._cols["part"]:
            return
        table = pa.table(self._cols, schema=self.schema).sort_by("part")
        self._cols = {n: [] for n in self.schema.names}
        parts = table["part"].to_numpy()
        edges = [0, *(np.flatnonzero(np.diff(parts)) + 1).tolist(), len(parts)]
        for a, b in zip(edges, edges[1:]):
            self._writer.write_table(table.slice(a, b - a), row_group_size=b - a)
            self.index.setdefault(int(parts[a]), []).append(self._groups)
            self._groups += 1


class StageWriter:
    """A shard's staged documents as one Arrow IPC file, in batches of ``batch_rows``.

    Read back only by the apply phase of the same version (``stages.FORMAT``), so no compression and
    no encoding: writing and reading it is a memory copy.
    """

    def __init__(self, sink, schema: pa.Schema, batch_rows: int = ROW_GROUP_ROWS):
        self.schema, self.batch_rows = schema, batch_rows
        self._buf: list[dict[str, Any]] = []
        self._buf_bytes = 0
        self._writer = pa.ipc.new_file(sink, schema)

    def add(self, row: dict[str, Any]) -> None:
        self._buf.append(row)
        self._buf_bytes += len(row.get("text") or "") * 3
        if len(self._buf) >= self.batch_rows or self._buf_bytes >= ROW_GROUP_BYTES:  # memory stays bounded
            self._flush()

    def close(self) -> None:
        self._flush()
        self._writer.close()

    def _flush(self) -> None:
        if self._buf:
            self._writer.write_batch(pa.RecordBatch.from_pylist(self._buf, schema=self.schema))
            self._buf, self._buf_bytes = [], 0


def read_staged(url: str) -> Iterator[pa.RecordBatch]:
    """The batches of a file ``StageWriter`` wrote, one at a time (mapped, not copied, when local)."""
    fs, path = fs_path(url)
    with (pa.memory_map(path) if is_local(url) else fs.open(path, "rb")) as f:
        reader = pa.ipc.open_file(f)
        for i in range(reader.num_record_batches):
            yield reader.get_batch(i)
