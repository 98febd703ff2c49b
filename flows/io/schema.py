"""The output contract: explicit Arrow schemas for data/ and rejected/, never inferred."""

from __future__ import annotations

import json
from typing import Any

import pyarrow as pa

from transforms.document import Document, Drop

# Step outputs that are real columns: (name, type, default when a step did not run).
SIGNALS: list[tuple[str, pa.DataType]] = [
    ("script", pa.string()),
    ("n_fffd", pa.int32()),
    ("han_ratio", pa.float32()),
    ("punct_ratio", pa.float32()),
    ("n_lines", pa.int32()),
    ("mean_line_chars", pa.float32()),
    ("dup_line_frac", pa.float32()),
    ("top_ngram_frac", pa.float32()),
    ("no_terminal_frac", pa.float32()),
    ("cluster_size", pa.int32()),
    ("list_page", pa.float32()),
]

DATA_SCHEMA = pa.schema(
    [
        pa.field("id", pa.string(), nullable=False),
        pa.field("source", pa.string(), nullable=False),
        pa.field("url", pa.string()),
        pa.field("title", pa.string()),
        pa.field("text", pa.string(), nullable=False),
        pa.field("n_chars", pa.int32(), nullable=False),
        pa.field("meta", pa.string(), nullable=False),  # a JSON object of scalars
        *[pa.field(n, t) for n, t in SIGNALS],
        pa.field("removed", pa.string(), nullable=False),  # JSON list of {step, rule, text}
    ],
    metadata={"qingxi.schema": "1"},
)

REJECTED_SCHEMA = pa.schema(
    [
        *DATA_SCHEMA,
        pa.field("reason", pa.string(), nullable=False),
        pa.field("step", pa.string(), nullable=False),
        pa.field("value", pa.float64()),
        pa.field("detail", pa.string()),
        pa.field("duplicate_of", pa.string()),
    ],
    metadata={"qingxi.schema": "1"},
)


def dumps(obj: Any) -> str:
    """Deterministic JSON: sorted keys, real UTF-8 rather than \\u escapes."""
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def doc_row(doc: Document) -> dict[str, Any]:
    row = {
        "id": doc.id,
        "source": doc.source,
        "url": doc.url,
        "title": doc.title,
        "text": doc.text,
        "n_chars": len(doc.text),
        "meta": dumps(doc.meta),
        "removed": dumps(doc.removed),
    }
    for name, _ in SIGNALS:
        row[name] = doc.columns.get(name)
    return row


def rejected_row(doc: Document, drop: Drop, detail: str | None = None) -> dict[str, Any]:
    row = doc_row(doc)
    value = drop.value if isinstance(drop.value, (int, float)) else None
    if detail is None and drop.value is not None and value is None:
        detail = str(drop.value)
    row.update(reason=drop.reason, step=drop.step, value=value, detail=detail, duplicate_of=drop.duplicate_of)
    return row


def row_doc(row: dict[str, Any]) -> Document:
    """The inverse of ``doc_row``: staged rows come back as documents."""
    cols = {n: row[n] for n, _ in SIGNALS if row.get(n) is not None}
    return Document(
        id=row["id"],
        source=row["source"],
        text=row["text"],
        url=row["url"],
        title=row["title"],
        meta=json.loads(row["meta"]),
        columns=cols,
        removed=json.loads(row["removed"]),
    )


# Map outputs: every document of a shard after the per-document steps, kept (reason null) or not,
# plus what the corpus-level steps need.
STAGE_SCHEMA = pa.schema(
    [
        *[f.with_nullable(True) if f.name in ("reason", "step") else f for f in REJECTED_SCHEMA],
        pa.field("input", pa.string(), nullable=False),
        pa.field("site", pa.string()),
    ]
)

LINES_SCHEMA = pa.schema(
    [("part", pa.int16()), ("site", pa.string()), ("key", pa.int64()), ("doc", pa.int64()), ("text", pa.string())]
)

SIGS_SCHEMA = pa.schema(
    [("part", pa.int16()), ("kind", pa.int16()), ("key", pa.int64()), ("id", pa.string()), ("n_chars", pa.int32())]
)
