import pyarrow as pa
import pyarrow.parquet as pq

from flows.io import writer
from flows.io.schema import DATA_SCHEMA, REJECTED_SCHEMA, doc_row, rejected_row, row_doc
from transforms.document import Document, Drop


def _doc(i: int) -> Document:
    return Document(
        id=f"id{i:04d}", source=f"news/{i}.txt", text=f"第{i}段：城区新增三处口袋公园。" * 3,
        url=f"http://news.example.cn/{i}.html", title="口袋公园", meta={"encoding": "gb18030", "author": "赵平"},
        columns={"script": "zh-Hans", "n_fffd": 0, "han_ratio": 0.8},
        removed=[{"step": "boilerplate", "rule": "share", "text": "分享到：微信"}],
    )


def test_schema_round_trip(tmp_path):
    w = writer.PartWriter(str(tmp_path / "data"), "part-00000", DATA_SCHEMA)
    docs = [_doc(i) for i in range(3)]
    for d in docs:
        w.add(doc_row(d))
    assert w.close() == [str(tmp_path / "data" / "part-00000.parquet")]
    t = pq.read_table(tmp_path / "data" / "part-00000.parquet")
    assert t.schema.equals(DATA_SCHEMA, check_metadata=False)
    back = [row_doc(r) for r in t.to_pylist()]
    assert [(b.id, b.text, b.meta, b.removed, b.url) for b in back] == [(d.id, d.text, d.meta, d.removed, d.url) for d in docs]
    assert t.column("n_chars").to_pylist() == [len(d.text) for d in docs]
    assert pq.ParquetFile(tmp_path / "data" / "part-00000.parquet").metadata.row_group(0).column(0).compression == "ZSTD"


def test_rejected_rows_carry_reason_and_value(tmp_path):
    w = writer.PartWriter(str(tmp_path), "part-00001", REJECTED_SCHEMA)
    w.add(rejected_row(_doc(1), Drop("quality:han_ratio", 0.12, step="quality")))
    w.add(rejected_row(_doc(2), Drop("duplicate", step="dedup", duplicate_of="id0001")))
    w.close()
    rows = pq.read_table(tmp_path / "part-00001.parquet").to_pylist()
    assert [(r["reason"], r["step"], r["value"], r["duplicate_of"]) for r in rows] == [
        ("quality:han_ratio", "quality", 0.12, None),
        ("duplicate", "dedup", None, "id0001"),
    ]


def test_empty_part_is_still_written(tmp_path):
    files = writer.PartWriter(str(tmp_path), "part-00002", DATA_SCHEMA).close()
    assert pq.read_table(files[0]).num_rows == 0


def test_files_roll_and_no_temp_file_is_left(tmp_path, monkeypatch):
    monkeypatch.setattr(writer, "ROW_GROUP_ROWS", 10)
    w = writer.PartWriter(str(tmp_path), "part-00003", DATA_SCHEMA, max_file_bytes=1)
    for i in range(25):
        w.add(doc_row(_doc(i)))
    files = w.close()
    assert [f.rsplit("/", 1)[1] for f in files] == ["part-00003.parquet", "part-00003-1.parquet", "part-00003-2.parquet"]
    assert sum(pq.read_table(f).num_rows for f in files) == 25
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f.rsplit("/", 1)[1] for f in files)


def test_tables_make_the_same_files_as_rows(tmp_path, monkeypatch):
    """add_table cuts row groups and files where add would, so the bytes are the same."""
    monkeypatch.setattr(writer, "ROW_GROUP_ROWS", 7)
    monkeypatch.setattr(writer, "ROW_GROUP_BYTES", 300)  # a few long texts close a group early
    rows = [doc_row(_doc(i)) for i in range(40)]
    rows[5]["text"] = "台风今晨登陆。" * 30
    by_rows = writer.PartWriter(str(tmp_path / "rows"), "part-00000", DATA_SCHEMA, max_file_bytes=4000)
    for r in rows:
        by_rows.add(r)
    by_table = writer.PartWriter(str(tmp_path / "table"), "part-00000", DATA_SCHEMA, max_file_bytes=4000)
    table = pa.Table.from_pylist(rows, schema=DATA_SCHEMA)
    for a, b in ((0, 3), (3, 18), (18, 40)):  # batches that do not line up with the row groups
        by_table.add_table(table.slice(a, b - a))
    files = by_rows.close()
    assert len(files) > 1
    assert [open(f, "rb").read() for f in files] == [open(f, "rb").read() for f in by_table.close()]


def test_staged_documents_come_back_in_batches(tmp_path):
    rows = [doc_row(_doc(i)) for i in range(5)]
    with open(tmp_path / "docs.arrow", "wb") as f:
        w = writer.StageWriter(f, DATA_SCHEMA, batch_rows=2)
        for r in rows:
            w.add(r)
        w.close()
    batches = list(writer.read_staged(str(tmp_path / "docs.arrow")))
    assert [b.num_rows for b in batches] == [2, 2, 1]
    assert [r for b in batches for r in b.to_pylist()] == pa.Table.from_pylist(rows, schema=DATA_SCHEMA).to_pylist()
