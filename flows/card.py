"""OUT/dataset_card.md: the output folder as a Hugging Face dataset card, from the manifest and the schema."""

from __future__ import annotations

import posixpath
from typing import Any

import pyarrow as pa
import yaml

from flows.io.schema import DATA_SCHEMA, REJECTED_SCHEMA
from flows.io.storage import atomic_open, join, read_json

# What each column means, for the card's schema table (README's output contract says the same).
COLUMNS = {
    "id": "xxh3-128 of `source`",
    "source": "input path, `path#N` for the N-th record, `archive/member` inside archives",
    "url": "page URL, from front matter, JSON fields, HTML metadata or footers",
    "title": "page title",
    "text": "the clean text; paragraphs separated by a single `\\n`",
    "n_chars": "characters of `text`",
    "meta": "a JSON object of scalars: encoding, format, date, author, category, site…",
    "script": "`zh-Hans`, `zh-Hant`, `mixed` or `none`, detected before conversion",
    "n_fffd": "U+FFFD left after repair",
    "han_ratio": "quality signal: Han characters over words (a Latin word counts once)",
    "punct_ratio": "quality signal: share of punctuation and symbols",
    "n_lines": "quality signal: lines",
    "mean_line_chars": "quality signal: mean characters per line (a line ending in a comma joins the next)",
    "dup_line_frac": "quality signal: share of lines repeating an earlier line",
    "top_ngram_frac": "quality signal: share of the most frequent character 2-gram",
    "no_terminal_frac": "quality signal: share of characters in lines that hold no sentence end",
    "cluster_size": "pages in the duplicate cluster this page represents (1 when unique)",
    "removed": "JSON list of `{step, rule, text}`: every span the cleaning removed",
    "reason": "why the page was dropped",
    "step": "the step that dropped it (`read` for unreadable records)",
    "value": "the signal value behind a quality reject",
    "detail": "the error behind a read failure",
    "duplicate_of": "id of the kept page a duplicate points at",
}
SIZES = [(1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
         (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M"), (1_000_000_000, "100M<n<1B")]


def size_category(n: int) -> str:
    return next((label for top, label in SIZES if n < top), "1B<n<10B")


def _dtype(t: pa.DataType) -> str:
    """Arrow type to the dataset card's dtype name: ``float`` is float32 there, ``double`` float64."""
    return {"float": "float32", "double": "float64"}.get(str(t), str(t))


def header(manifest: dict, name: str) -> dict[str, Any]:
    kept = manifest["totals"]["kept"]
    return {
        "pretty_name": name,
        "language": ["zh"],
        "multilinguality": "monolingual",
        "size_categories": [size_category(kept)],
        "task_categories": ["text-generation"],
        "tags": ["qingxi", "web-text", "cleaned"],
        "configs": [
            {"config_name": "default", "default": True, "data_files": [{"split": "train", "path": "data/*.parquet"}]},
            {"config_name": "rejected", "data_files": [{"split": "train", "path": "rejected/*.parquet"}]},
        ],
        "dataset_info": [
            {"config_name": "default",
             "features": [{"name": f.name, "dtype": _dtype(f.type)} for f in DATA_SCHEMA],
             "splits": [{"name": "train", "num_examples": kept}]},
            {"config_name": "rejected",
             "features": [{"name": f.name, "dtype": _dtype(f.type)} for f in REJECTED_SCHEMA],
             "splits": [{"name": "train", "num_examples": sum(manifest["totals"]["rejected"].values())
                         + sum(manifest["totals"]["errored"].values())}]},
        ],
    }


def render(manifest: dict, name: str) -> str:
    from jinja2 import Environment, PackageLoader

    env = Environment(loader=PackageLoader("flows", "templates"), trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters["fmt"] = lambda n: f"{n:,}"
    t = manifest["totals"]
    rejected, errored = sum(t["rejected"].values()), sum(t["errored"].values())
    return env.get_template("dataset_card.md.j2").render(
        yaml_header=yaml.safe_dump(header(manifest, name), allow_unicode=True, sort_keys=False).rstrip(),
        name=name, m=manifest, t=t, n_rejected=rejected, n_errored=errored,
        schema=[(f.name, _dtype(f.type), "" if f.nullable else "not null", COLUMNS.get(f.name, ""))
                for f in DATA_SCHEMA],
        extra=[(f.name, _dtype(f.type), COLUMNS.get(f.name, "")) for f in REJECTED_SCHEMA if f.name not in DATA_SCHEMA.names],
        recipe=yaml.safe_dump(manifest.get("recipe", {}), allow_unicode=True, sort_keys=False).rstrip(),
        steps=manifest.get("steps", {}),
    )


def write_card(out: str) -> str:
    """Write OUT/dataset_card.md from OUT/manifest.json; return its path."""
    out = out.rstrip("/")
    manifest = read_json(join(out, "manifest.json"))
    url = join(out, "dataset_card.md")
    with atomic_open(url) as f:
        f.write(render(manifest, posixpath.basename(out) or "qingxi-dataset").encode("utf-8"))
    return url
