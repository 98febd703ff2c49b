"""report.html, dataset_card.md and `qingxi inspect`, on the output of one real flow run."""

import json
import os
import re
from pathlib import Path

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
import yaml
from typer.testing import CliRunner

from flows.cli import app
from flows.report import folder_of, input_of, write_report

runner = CliRunner()


@pytest.fixture(scope="module")
def out(module_corpus, tmp_path_factory, prefect_server):
    from flows.flow import clean_corpus

    out = tmp_path_factory.mktemp("report") / "out"
    clean_corpus(input=[str(module_corpus)], out=str(out))
    return out


def _manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def _figures(page: str) -> dict:
    body = re.search(r'<script type="application/json" id="qingxi-figures">(.*?)</script>', page, re.S).group(1)
    return json.loads(body.replace("<\\/", "</"))


def test_run_writes_report_and_card(out):
    page = (out / "report.html").read_text(encoding="utf-8")
    assert (out / "dataset_card.md").exists()
    assert page.count("<svg") == 5  # charts inline
    # Chart text stays text, in a CJK font stack: the reader's browser draws it, whatever fonts this machine had.
    assert re.search(r"<text[^>]*font-family: 'Noto Sans CJK SC'[^>]*>[^<]*字符数", page)
    assert not re.search(r"""(src|href)=["']?(https?:)?//|@import|<link""", page)  # nothing fetched from the network
    assert "滨海新闻网，记录这座城市的每一天" in page  # the site's repeated slogan, in the repeated-lines table
    assert "crossdoc:repeated_line" in page  # a sampled page's removal, labelled with its step and rule


def test_report_figures_equal_manifest(out):
    manifest = _manifest(out)
    page = (out / "report.html").read_text(encoding="utf-8")
    fig, t = _figures(page), manifest["totals"]
    for key in ("inputs", "docs_in", "kept", "rejected", "errored", "failed_inputs"):
        assert fig["totals"][key] == t[key], key
    # Per folder: the manifest's per-input rows, summed by folder.
    by_folder: dict = {}
    for row in manifest["inputs"]:
        f = by_folder.setdefault(folder_of(row["source"]), {"docs_in": 0, "kept": 0, "rejected": 0, "errored": 0})
        f["docs_in"] += row["docs_in"]
        f["kept"] += row["kept"]
        f["rejected"] += sum(row["rejected"].values())
        f["errored"] += sum(row["errored"].values())
    assert {f["folder"]: {"docs_in": f["docs_in"], "kept": f["kept"], "rejected": sum(f["rejected"].values()),
                          "errored": sum(f["errored"].values())} for f in fig["folders"]} == by_folder
    data = ds.dataset(out / "data", format="parquet").to_table()
    assert fig["totals"]["chars_kept"] == sum(data["n_chars"].to_pylist())
    assert sum(fig["totals"]["chars_by_reason"].values()) == fig["totals"]["chars_rejected"]
    removed = sum(len(r["text"]) for x in data["removed"].to_pylist() for r in json.loads(x))
    assert fig["totals"]["chars_removed"] == removed > 0
    for name, step in manifest["steps"].items():
        assert fig["steps"][name]["chars_removed"] == step["chars_removed"]
    # The numbers a reader sees are those numbers.
    for n in (t["docs_in"], t["kept"], sum(t["rejected"].values()), sum(t["errored"].values())):
        assert f"<b>{n:,}</b>" in page
    for reason, n in t["rejected"].items():
        assert f"<td>{reason}</td><td class=\"n\">{n:,}</td>" in page


def test_report_is_deterministic_and_small(out):
    written_by_run = (out / "report.html").read_bytes()
    again = write_report(str(out))
    assert (out / "report.html").read_bytes() == written_by_run
    assert again["bytes"] == len(written_by_run) < 5 * 2**20


def test_card_header_and_counts_equal_manifest(out):
    manifest, card = _manifest(out), (out / "dataset_card.md").read_text(encoding="utf-8")
    header = yaml.safe_load(card.split("---\n")[1])
    t = manifest["totals"]
    assert header["language"] == ["zh"] and header["size_categories"] == ["n<1K"]
    assert header["configs"][0]["data_files"] == [{"split": "train", "path": "data/*.parquet"}]
    info = {c["config_name"]: c for c in header["dataset_info"]}
    assert info["default"]["splits"][0]["num_examples"] == t["kept"]
    assert info["rejected"]["splits"][0]["num_examples"] == sum(t["rejected"].values()) + sum(t["errored"].values())
    assert [f["name"] for f in info["default"]["features"]][:5] == ["id", "source", "url", "title", "text"]
    assert f"| kept (`data/`) | {t['kept']:,} |" in card and f"| read | {t['docs_in']:,} |" in card
    for reason, n in t["rejected"].items():
        assert f"| rejected: {reason} | {n:,} |" in card


def test_card_instructions_load_the_data(out, tmp_path, monkeypatch):
    """Every code block of the card's "How to load" runs as written, from OUT, offline."""
    card = (out / "dataset_card.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", card.split("## How to load")[1].split("## ")[0], re.S)
    assert len(blocks) == 4 and any("load_dataset(\"parquet\"" in b for b in blocks)
    monkeypatch.chdir(out)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "hf" / "datasets"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    kept = _manifest(out)["totals"]["kept"]
    texts = set(ds.dataset(out / "data", format="parquet").to_table()["text"].to_pylist())
    for code in blocks:
        scope: dict = {}
        exec(compile(code, "dataset_card.md", "exec"), scope)  # noqa: S102 - the card's own instructions
        loaded = scope.get("df", scope.get("ds"))
        assert len(loaded) == kept, code
        column = loaded["text"]
        assert set(column if isinstance(column, list) else list(column)) == texts, code


def test_report_command_rebuilds_from_outputs(out):
    os.remove(out / "report.html")
    res = runner.invoke(app, ["report", str(out)])
    assert res.exit_code == 0, res.output
    assert (out / "report.html").exists() and "report.html" in res.output


@pytest.mark.parametrize(
    "where, kept, rejected",
    [
        ([], 6, 4),
        (["reason=duplicate"], 0, 2),  # the repost and the near-duplicate tea.md
        (["reason~malformed"], 0, 1),
        (["site=news.example.cn"], 4, 1),
        (["site=news.example.cn", "n_chars>=210", "n_chars<216"], 1, 0),  # filters AND together
        (["n_chars<1"], 0, 2),  # the unreadable records
        (["rule=crossdoc:repeated_line"], 4, 1),
        (["rule~repeated"], 4, 1),
        (["source~tea.md"], 0, 1),
    ],
)
def test_inspect_where(out, where, kept, rejected):
    args = [x for w in where for x in ("--where", w)]
    res = runner.invoke(app, ["inspect", str(out), *args, "-n", "2"])
    assert res.exit_code == 0, res.output
    assert f"kept (data/): {kept:,} pages" in res.output
    assert f"rejected/: {rejected:,} pages" in res.output


def test_inspect_bad_filter_is_a_clear_error(out):
    res = runner.invoke(app, ["inspect", str(out), "--where", "colour=red"])
    assert res.exit_code == 2 and "unknown field 'colour'" in res.output
    res = runner.invoke(app, ["inspect", str(out), "--where", "n_chars>=lots"])
    assert res.exit_code == 2 and "n_chars is a number" in res.output
    for command in ("inspect", "report"):
        res = runner.invoke(app, [command, str(out / "data")])
        assert res.exit_code == 2 and "no manifest.json" in res.output


@pytest.mark.parametrize(
    "source, folder",
    [("a.jsonl#3", "a.jsonl"), ("scale/x.tar.xz/m/p.md", "scale/x.tar.xz"), ("posts/tea.md", "posts/tea.md"),
     ("gone.txt", None)],
)
def test_input_of(source, folder):
    assert input_of(source, {"a.jsonl", "scale/x.tar.xz", "posts/tea.md"}) == folder


def test_report_and_folder_counts_are_prefect_artifacts(out):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    with get_client(sync_client=True) as client:
        arts = client.read_artifacts(artifact_filter=ArtifactFilter(
            key=ArtifactFilterKey(any_=["qingxi-report", "qingxi-counts-by-folder"])))
    links = [a for a in arts if a.key == "qingxi-report" and str(out / "report.html") in str(a.data)]
    assert links, [a.data for a in arts]
    tables = [a for a in arts if a.key == "qingxi-counts-by-folder" and a.flow_run_id == links[0].flow_run_id]
    rows = json.loads(tables[0].data) if isinstance(tables[0].data, str) else tables[0].data
    assert {r["folder"]: r["kept"] for r in rows} == {"crawl": 5, "html": 1, "posts": 0, ".": 0}


def test_report_reads_the_shares_apply_saved(out, tmp_path):
    """Apply tasks save each part's share of the figures; the report from them equals the report from the
    parts alone, and a share of a file that changed since is not used."""
    import shutil

    from flows import report

    shares = sorted(p.name for p in (out / "_work" / "report").iterdir())
    parts = sorted(f"{f.parent.name}-{f.name}" for f in [*(out / "data").glob("part-*"), *(out / "rejected").glob("part-*")])
    assert shares == parts
    for part in [*(out / "data").glob("part-*"), *(out / "rejected").glob("part-*")]:  # from memory, as read back
        saved = pq.read_table(out / "_work" / "report" / f"{part.parent.name}-{part.name}")
        assert saved.replace_schema_metadata(None).equals(report.part_figures(str(part), report.COLUMNS[part.parent.name])[0])
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    with_shares = write_report(str(copy)) and (copy / "report.html").read_bytes()
    shutil.rmtree(copy / "_work" / "report")
    assert write_report(str(copy)) and (copy / "report.html").read_bytes() == with_shares
    # A share of another version of its part (another footer key) is not used.
    shutil.copytree(out / "_work" / "report", copy / "_work" / "report")
    share = sorted((copy / "_work" / "report").glob("data-*"))[0]
    t = pq.read_table(share)
    pq.write_table(t.replace_schema_metadata({**t.schema.metadata, b"key": b"1:0"}), share)
    first = sorted((copy / "data").glob("part-*"))[0]
    assert report._saved_part(str(copy), "data", str(first)) is None
    assert write_report(str(copy)) and (copy / "report.html").read_bytes() == with_shares
