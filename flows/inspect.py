"""``qingxi inspect OUT``: the schema, the counts and a few pages of an output folder, in the terminal.

``--where`` takes simple filters, all of which must hold::

    reason=duplicate            a reject reason (``reason~quality`` for every quality reject)
    site=news.example.cn        the page's site: its URL's host, else its folder
    n_chars>=200  n_chars<1000  a length range (any numeric column works: han_ratio<0.5, cluster_size>1)
    rule=repeated_line          a rule that removed something (``rule=crossdoc:repeated_line`` for one step's)
    source~news.jsonl           ``~`` is "contains"; ``=``, ``!=``, ``<``, ``<=``, ``>``, ``>=`` compare
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from flows.io.schema import DATA_SCHEMA, REJECTED_SCHEMA
from flows.io.storage import fs_path, join, list_files, read_json

_FILTER = re.compile(r"^\s*([A-Za-z_]+)\s*(>=|<=|!=|=|>|<|~)\s*(.*?)\s*$")
PSEUDO = {"site", "rule"}
_OPS = {"=": "equal", "!=": "not_equal", "<": "less", "<=": "less_equal", ">": "greater", ">=": "greater_equal"}


class FilterError(ValueError):
    """A --where that cannot be used; the message says which and why."""


@dataclass(frozen=True)
class Where:
    field: str
    op: str
    value: str

    @classmethod
    def parse(cls, text: str) -> "Where":
        m = _FILTER.match(text)
        if not m:
            raise FilterError(f"--where {text!r}: expected FIELD OP VALUE, e.g. reason=duplicate or n_chars>=200")
        field, op, value = m.groups()
        if field not in REJECTED_SCHEMA.names and field not in PSEUDO:
            known = ", ".join([*REJECTED_SCHEMA.names, *sorted(PSEUDO)])
            raise FilterError(f"--where {text!r}: unknown field {field!r}; known: {known}")
        if field == "rule" and op not in ("=", "~"):
            raise FilterError(f"--where {text!r}: rule takes = or ~")
        return cls(field, op, value)

    def expression(self, schema: pa.Schema) -> ds.Expression | None:
        """This filter as an Arrow expression over ``schema``; None for ``site`` (checked per row)."""
        if self.field == "site":
            return None
        if self.field == "rule":
            step, _, rule = self.value.rpartition(":")
            # ``removed`` is JSON written with sorted keys and no spaces: {"rule":…,"step":…,"text":…}
            needle = f'"rule":"{rule}"' + (f',"step":"{step}"' if step else "")
            if self.op == "~":
                needle = f'"rule":"{rule}' if not step else needle
            return pc.match_substring(ds.field("removed"), needle)
        if self.field not in schema.names:
            return ds.scalar(False)  # e.g. reason on kept pages: none of them matches
        kind = schema.field(self.field).type
        if self.op == "~":
            return pc.match_substring(ds.field(self.field), self.value)
        value: object = self.value
        if pa.types.is_integer(kind) or pa.types.is_floating(kind):
            try:
                value = float(self.value)
            except ValueError:
                raise FilterError(f"--where {self.field}{self.op}{self.value}: {self.field} is a number") from None
        return getattr(pc, _OPS[self.op])(ds.field(self.field), value)

    def site_ok(self, site: str) -> bool:
        return {"=": site == self.value, "!=": site != self.value, "~": self.value in site}.get(self.op, False)


def _dataset(out: str, folder: str) -> ds.Dataset | None:
    files = list_files(join(out, folder), "part-*.parquet")
    if not files:
        return None
    fs, _ = fs_path(files[0])
    return ds.dataset([fs_path(f)[1] for f in files], format="parquet", filesystem=fs)


def select(out: str, folder: str, wheres: list[Where], limit: int) -> tuple[int, list[dict]]:
    """How many pages of OUT/folder match every filter, and the first ``limit`` of them."""
    from transforms.crossdoc import site_of

    data = _dataset(out, folder)
    if data is None:
        return 0, []
    schema = REJECTED_SCHEMA if folder == "rejected" else DATA_SCHEMA
    expr = None
    for w in wheres:
        e = w.expression(schema)
        if e is not None:
            expr = e if expr is None else expr & e
    sites = [w for w in wheres if w.field == "site"]
    if not sites:
        n = data.count_rows(filter=expr)
        rows = data.scanner(filter=expr).head(limit).to_pylist() if limit else []
        return n, rows
    keys = data.to_table(columns=["id", "url", "source"], filter=expr).to_pylist()
    ids = [r["id"] for r in keys if all(w.site_ok(site_of(r["url"], r["source"])) for w in sites)]
    rows = data.to_table(filter=ds.field("id").isin(ids[:limit])).to_pylist() if ids and limit else []
    order = {i: k for k, i in enumerate(ids)}
    return len(ids), sorted(rows, key=lambda r: order[r["id"]])


def inspect(out: str, where: list[str], limit: int, console) -> int:
    """Print OUT's schema, counts and sample rows (those matching ``where``); return how many pages matched."""
    from rich.table import Table
    from rich.text import Text

    out = out.rstrip("/")
    wheres = [Where.parse(w) for w in where]
    manifest = read_json(join(out, "manifest.json"))
    t = manifest["totals"]
    if not wheres:
        schema = Table(title="data/ schema", show_lines=False)
        for c in ("column", "type", "nullable"):
            schema.add_column(c)
        for f in DATA_SCHEMA:
            schema.add_row(f.name, str(f.type), "yes" if f.nullable else "no")
        schema.add_row("[dim]rejected/ adds[/]", ", ".join(n for n in REJECTED_SCHEMA.names if n not in DATA_SCHEMA.names), "")
        console.print(schema)
    counts = Table(title=f"{out}: {t['inputs']:,} inputs", show_header=False)
    counts.add_column(style="bold")
    counts.add_column(justify="right")
    for k, v in [("docs in", t["docs_in"]), ("kept", t["kept"]),
                 *[(f"rejected: {k}", v) for k, v in t["rejected"].items()],
                 *[(f"errored: {k}", v) for k, v in t["errored"].items()]]:
        counts.add_row(k, f"{v:,}")
    console.print(counts)
    total = 0
    for folder in ("data", "rejected"):
        n, rows = select(out, folder, wheres, limit)
        total += n
        label = "kept (data/)" if folder == "data" else "rejected/"
        console.rule(f"{label}: {n:,} pages" + (f" where {' and '.join(where)}" if wheres else ""))
        for r in rows:
            head = Text.assemble((r["source"], "bold"), f"  {r['n_chars']:,} chars  ")
            if folder == "rejected":
                head.append(f"{r['reason']}" + (f" = {r['value']:g}" if r.get("value") is not None else ""), "red")
            if r.get("title"):
                head.append(f"  {r['title']}")
            console.print(head)
            removed = json.loads(r["removed"])
            if removed:
                rules = sorted({f"{x['step']}:{x['rule']}" for x in removed})
                console.print(Text(f"  removed {len(removed)}: {', '.join(rules)}", "dim"))
            text = (r["text"] or r.get("detail") or "").replace("\n", " ⏎ ")
            console.print(Text("  " + (text[:160] + ("…" if len(text) > 160 else "")), "grey50"), highlight=False)
    return total
