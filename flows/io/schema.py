"""The output contract: explicit Arrow schemas for data/ and rejected/, never inferred."""

from __future__ import annotations

import json
from typing import Any

import pyarrow as pa

from transforms.document import Document, Drop
from transforms.steps import signal_columns

# Step outputs that are real columns, as the steps declare them (null when a step did not run).
SIGNALS: list[tuple[str, pa.DataType]] = [(name, pa.type_for_alias(kind)) for name, kind in signal_columns()]

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


_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
_STRING = json.encoder.encode_basestring  # what that encoder writes a string with
_REMOVED_KEYS = {"rule", "step", "text"}


def dumps(obj: Any) -> str:
    """Deterministic JSON: sorted keys, real UTF-8 rather than \\u escapes.

    >>> dumps([{"step": "boilerplate", "rule": "credit", "text": "责任编辑：王明"}])
    '[{"rule":"credit","step":"boilerplate","text":"责任编辑：王明"}]'
    """
    if type(obj) is list and all(type(d) is dict and d.keys() == _REMOVED_KEYS for d in obj):
        try:
            return _removed(obj)
        except TypeError:  # a value that is no string
            pass
    return _ENCODER.encode(obj)


def _removed(items: list[dict]) -> str:
    # The audit trail, a page's tens of {step, rule, text}: written field by field, twice as fast as the encoder.
    return "[" + ",".join(f'{{"rule":{_STRING(d["rule"])},"step":{_STRING(d["step"])},"text":{_STRING(d["text"])}}}'
                          for d in items) + "]"


def dumps_appended(staged: str, items: list, n: int) -> str:
    """``dumps(old + items[n:])`` when ``staged`` is ``dumps(old)``: only the items added since are encoded.

    >>> dumps_appended('[{"a":1}]', [{"a": 1}, {"b": 2}], 1) == dumps([{"a": 1}, {"b": 2}])
    True
    >>> dumps_appended('[{"a":1}]', [{"b": 2}], 0) == dumps([{"a": 1}, {"b": 2}])
    True
    """
    if len(items) == n:
        return staged
    new = dumps(items[n:])
    return new if staged == "[]" else f"{staged[:-1]},{new[1:]}"


def doc_row(doc: Document, removed: str | None = None, meta: str | None = None) -> dict[str, Any]:
    """The row of ``doc``; ``removed`` and ``meta``, when given, are ``dumps(doc.removed)`` and
    ``dumps(doc.meta)`` already made."""
    row = {
        "id": doc.id,
        "source": doc.source,
        "url": doc.url,
        "title": doc.title,
        "text": doc.text,
        "n_chars": len(doc.text),
        "meta": dumps(doc.meta) if meta is None else meta,
        "removed": dumps(doc.removed) if removed is None else removed,
    }
    for name, _ in SIGNALS:
        row[name] = doc.columns.get(name)
    return row


def rejected_row(doc: Document, drop: Drop, detail: str | None = None, removed: str | None = None,
                 meta: str | None = None) -> dict[str, Any]:
    row = doc_row(doc, removed, meta)
    value = drop.value if isinstance(drop.value, (int, float)) else None
    if detail is None and drop.value is not None and value is None:
        detail = str(drop.value)
    row.update(reason=drop.reason, step=drop.step, value=value, detail=detail, duplicate_of=drop.duplicate_of)
    return row


def row_doc(row: dict[str, Any], removed: bool = True) -> Document:
    """The inverse of ``doc_row``: staged rows come back as documents (``removed=False``: with an empty
    ``removed``, for a caller that joins what is added to the staged JSON)."""
    cols = {n: row[n] for n, _ in SIGNALS if row.get(n) is not None}
    return Document(
        id=row["id"],
        source=row["source"],
        text=row["text"],
        url=row["url"],
        title=row["title"],
        meta=json.loads(row["meta"]),
        columns=cols,
        removed=json.loads(row["removed"]) if removed else [],
    )


# Map outputs: every document of a shard after the per-document steps, kept (reason null) or not,
# plus what the corpus-level steps need.
STAGE_SCHEMA = pa.schema(
    [
        *[f.with_nullable(True) if f.name in ("reason", "step") else f for f in REJECTED_SCHEMA],
        pa.field("input", pa.string(), nullable=False),
        pa.field("site", pa.string()),
        pa.field("line_keys", pa.list_(pa.int64())),  # crossdoc's key of every line, for the apply phase
    ]
)

LINES_SCHEMA = pa.schema(
    [("part", pa.int16()), ("site", pa.string()), ("key", pa.int64()), ("doc", pa.int64()), ("text", pa.string())]
)

SIGS_SCHEMA = pa.schema(
    [("part", pa.int16()), ("kind", pa.int16()), ("key", pa.int64()), ("id", pa.string()), ("n_chars", pa.int32())]
)
