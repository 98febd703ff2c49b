"""The qingxi command: clear errors before any work, a summary after it, and the audit view."""

import pytest
from typer.testing import CliRunner

from flows.cli import app

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
