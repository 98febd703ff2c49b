"""The qingxi command: clear errors before any work, a summary after it, and the audit view."""

import json

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from flows.cli import app
from transforms import boilerplate_rules as R
from transforms.steps import STEP_ORDER

runner = CliRunner()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--set", "quality.min_chars=lots"], "quality.min_chars"),
        (["--set", "nosuch.x=1"], "unknown step 'nosuch'"),
        (["--recipe", "missing.yaml"], "cannot read recipe"),
    ],
)
def test_bad_recipe_fails_before_any_work(corpus, tmp_path, args, message):
    res = runner.invoke(app, ["run", str(corpus), "--out", str(tmp_path / "out"), *args])
    assert res.exit_code == 2 and message in res.output
    assert not (tmp_path / "out").exists()


def test_missing_input_is_a_clear_error(tmp_path):
    res = runner.invoke(app, ["run", str(tmp_path / "nope"), "--out", str(tmp_path / "out")])
    assert res.exit_code == 2 and "input not found" in res.output


@pytest.mark.usefixtures("prefect_server")
def test_run_prints_summary_and_diff_shows_removals(corpus, tmp_path):
    out = tmp_path / "out"
    res = runner.invoke(app, ["run", str(corpus), "--out", str(out)])
    assert res.exit_code == 0, res.output
    for label in ("docs in", "kept", "errored: malformed_json", "rejected: duplicate", "bytes in", "time"):
        assert label in res.output
    assert "unsupported files (1): notes.bin" in res.output
    diff = runner.invoke(app, ["diff", str(out), "crawl/news.jsonl#0"])
    assert diff.exit_code == 0, diff.output
    assert "[crossdoc:repeated_line] 滨海新闻网" in diff.output
    assert "口袋公园" in diff.output
    missing = runner.invoke(app, ["diff", str(out), "nope.txt"])
    assert missing.exit_code == 1
    # every rule the run wrote into the removed column or the manifest is listed by `qingxi rules`
    listed = {(r["step"], r["rule"]) for r in json.loads(runner.invoke(app, ["rules", "--json"]).output)}
    written = {(r["step"], r["rule"]) for folder in ("data", "rejected")
               for cell in pq.read_table(out / folder)["removed"].to_pylist() for r in json.loads(cell)}
    steps = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["steps"]
    written |= {(s, r) for s, d in steps.items() for r in [*d["rules"], *d["drop_reasons"]]}
    assert ("crossdoc", "repeated_line") in written and written <= listed


def test_rules_lists_every_step_and_rule_with_doc_and_example():
    rows = json.loads(runner.invoke(app, ["rules", "--json"]).output)
    assert set(rows[0]) == {"step", "rule", "doc", "example"}
    assert {r["step"] for r in rows} == set(STEP_ORDER)
    assert {r["rule"] for r in rows if r["step"] == "boilerplate"} == R.RULE_NAMES
    assert all(r["doc"] and r["example"] for r in rows if r["step"] == "boilerplate")
    table = runner.invoke(app, ["rules"], env={"COLUMNS": "200"})
    assert table.exit_code == 0 and "tail_list" in table.output


def test_recipe_prints_the_default_with_every_parameter():
    res = runner.invoke(app, ["recipe"])
    assert res.exit_code == 0 and "- step: dedup" in res.output and "disable: []" in res.output


def test_console_script_exit_codes(tmp_path):
    """``main`` ends with os._exit: its exit codes and output are those of ``app``."""
    import subprocess
    import sys

    def qingxi(*args):
        return subprocess.run([sys.executable, "-c", "from flows.cli import main; main()", *args],
                              capture_output=True, text=True, timeout=120)

    ok = qingxi("--version")
    assert (ok.returncode, ok.stdout.strip().split()[0]) == (0, "qingxi")
    bad = qingxi("run", str(tmp_path / "missing"), "--out", str(tmp_path / "out"))
    assert bad.returncode == 2 and "input not found" in bad.stderr


def test_the_run_does_not_wait_for_its_heartbeat_thread():
    """The CLI's flow run ends without joining the heartbeat thread (it sleeps in whole seconds); set once."""
    import functools

    from prefect import flow_engine

    from flows.cli import _no_heartbeat_join

    _no_heartbeat_join()
    _no_heartbeat_join()
    send = flow_engine._send_heartbeats
    assert isinstance(send, functools.partial) and send.keywords == {"join_on_exit": False}
    assert not isinstance(send.func, functools.partial)
