"""Hostile inputs and unsafe output folders: nothing lost, nothing hangs, one bad thing fails only itself."""

from __future__ import annotations

import io
import tarfile
import json
import os
import threading
import time

import pyarrow.parquet as pq
import pytest
import zstandard
from typer.testing import CliRunner

from flows.cli import app
from flows.io.budget import TooSlow, time_budget
from flows.io.readers import Errored, ReadOptions, read_file
from flows.plan import discover
from tests.hostile import BODY, SMALL_OPTIONS, write_hostile

runner = CliRunner()


def _reasons(items) -> list[str | None]:
    return [i.reason if isinstance(i, Errored) else None for i in items]


def _check_manifest(out, expect: dict) -> dict:
    """Every input listed with its expected reason, and docs_in == kept + rejected + errored for each."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    rows = {r["source"]: r for r in manifest["inputs"]}
    assert set(rows) == set(expect)
    for source, reason in expect.items():
        r = rows[source]
        assert r["status"] == "ok", r
        assert r["docs_in"] == r["kept"] + sum(r["rejected"].values()) + sum(r["errored"].values()), r
        if reason is not None:
            assert reason in r["errored"], (source, r)
    return manifest


# --- paths -------------------------------------------------------------------------------


def test_discover_lists_every_odd_path_with_its_reason(tmp_path):
    expect = write_hostile(tmp_path / "raw")
    files = {f.rel: f for f in discover([str(tmp_path / "raw")])}
    assert set(files) == set(expect)
    for rel, reason in expect.items():
        if reason in ("broken_link", "link_loop", "link_outside", "not_a_file", "bad_name"):
            assert files[rel].error == reason and files[rel].fingerprint == ""
        else:
            assert files[rel].error is None and files[rel].fingerprint


def test_out_inside_input_is_never_read(tmp_path):
    raw = tmp_path / "raw"
    (raw / "out" / "data").mkdir(parents=True)
    (raw / "a.txt").write_text(BODY, encoding="utf-8")
    (raw / "out" / "data" / "part-00000.parquet").write_bytes(b"PAR1")
    (raw / "out" / "manifest.json").write_text("{}")
    assert [f.rel for f in discover([str(raw)], str(raw / "out"))] == ["a.txt"]


# --- records -----------------------------------------------------------------------------


def test_surrogates_and_nul_never_reach_a_column(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_bytes(b'{"text": "\\u53f0\\u98ce\\udc00\\u0000", "title": "\\ud800", "url": "u\\udfff", "\\udc80k": "\\udc80"}\n')
    [doc] = read_file(str(path), "s.jsonl")
    assert (doc.text, doc.title, doc.url) == ("台风\ufffd", "\ufffd", "u\ufffd")
    assert doc.meta["\ufffdk"] == "\ufffd"


def test_a_nul_byte_does_not_make_a_page_binary(tmp_path):
    path = tmp_path / "p.txt"
    path.write_bytes("台风今晨".encode() + b"\x00" + "登陆。".encode())
    [doc] = read_file(str(path), "p.txt")
    assert doc.text == "台风今晨登陆。"


def test_tar_link_members_are_counted(tmp_path):
    write_hostile(tmp_path / "raw")
    items = list(read_file(str(tmp_path / "raw" / "links.tar"), "links.tar"))
    assert _reasons(items) == [None, "link_member", "link_member"]
    assert [i.source for i in items][1:] == ["links.tar/pages/sym.txt", "links.tar/pages/hard.txt"]


@pytest.mark.parametrize("size", [1 << 10, 5 << 20])
def test_a_long_line_is_errored_alone(tmp_path, size):
    path = tmp_path / "a.jsonl"
    lines = [json.dumps({"text": "台风" * n}, ensure_ascii=False).encode() for n in (3, size // 6, 4)]
    path.write_bytes(b"\n".join(lines) + b"\n")
    items = list(read_file(str(path), "a.jsonl", ReadOptions(max_record_bytes=1 << 20)))
    expected = [None, "too_large", None] if size > 1 << 20 else [None, None, None]
    assert _reasons(items) == expected
    assert [i.source for i in items] == ["a.jsonl#0", "a.jsonl#1", "a.jsonl#2"]


def test_zstd_reads_in_linear_time_and_bounded_steps(tmp_path):
    path = tmp_path / "z.jsonl.zst"
    line = json.dumps({"text": BODY}, ensure_ascii=False).encode() + b"\n"
    path.write_bytes(zstandard.ZstdCompressor().compress(line * 20_000))  # ~24 MB expanded
    t = time.perf_counter()
    items = list(read_file(str(path), "z.jsonl.zst"))
    assert len(items) == 20_000 and all(not isinstance(i, Errored) for i in items)
    assert time.perf_counter() - t < 30  # a guard against the quadratic copy, far above the real time


def test_zstd_truncation_is_still_noticed(tmp_path):
    path = tmp_path / "z.jsonl.zst"
    data = zstandard.ZstdCompressor().compress(json.dumps({"text": BODY}, ensure_ascii=False).encode() * 50)
    path.write_bytes(data[: len(data) // 2])
    assert _reasons(read_file(str(path), "z.jsonl.zst"))[-1] == "truncated"


def test_html_over_the_cap_is_too_large(tmp_path):
    path = tmp_path / "p.html"
    path.write_text("<html><body>" + f"<p>{BODY}</p>" * 200 + "</body></html>", encoding="utf-8")
    assert _reasons(read_file(str(path), "p.html", ReadOptions(max_html_bytes=10_000))) == ["too_large"]
    assert _reasons(read_file(str(path), "p.html")) == [None]


def test_html_over_the_time_budget_is_too_slow(tmp_path):
    path = tmp_path / "p.html"
    path.write_text("<html><body>" + "".join(f"<p>第{i}段。{BODY[:30]}</p>" for i in range(30_000)) + "</body></html>",
                    encoding="utf-8")
    t = time.perf_counter()
    [item] = read_file(str(path), "p.html", ReadOptions(doc_seconds=0.3))
    assert isinstance(item, Errored) and item.reason == "too_slow"
    assert time.perf_counter() - t < 10


# --- the time budget itself ----------------------------------------------------------------


def _spin(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


@pytest.mark.parametrize("in_thread", [False, True])
def test_time_budget_stops_a_slow_block_in_any_thread(in_thread):
    caught = []

    def work():
        try:
            with time_budget(0.2):
                _spin(5)
        except TooSlow as e:
            caught.append(e)
        with time_budget(1):  # a quick block after it is left alone
            _spin(0.3)

    if in_thread:
        t = threading.Thread(target=work)
        t.start()
        t.join(10)
    else:
        work()
    assert len(caught) == 1


def test_time_budget_holds_among_many_quick_documents():
    """The watchdog is not woken for each document, yet a slow one among thousands of quick ones
    under long budgets is still stopped on time."""
    for _ in range(5000):
        with time_budget(60):
            pass
    t0 = time.monotonic()
    with pytest.raises(TooSlow):
        with time_budget(0.2):
            _spin(5)
    assert time.monotonic() - t0 < 2


def test_time_budget_is_not_eaten_by_except_exception():
    with pytest.raises(TooSlow):
        with time_budget(0.2):
            for _ in range(100):
                try:
                    _spin(0.1)
                except Exception:  # noqa: BLE001 - what a library might do
                    pass


# --- the whole run on the real flow ----------------------------------------------------------


@pytest.mark.usefixtures("prefect_server")
def test_one_run_over_every_hostile_case(tmp_path):
    expect = write_hostile(tmp_path / "raw")
    out = tmp_path / "out"
    res = runner.invoke(app, ["run", str(tmp_path / "raw"), "--out", str(out), *SMALL_OPTIONS])
    assert res.exit_code == 0, res.output
    assert "Traceback" not in res.output
    manifest = _check_manifest(out, expect)
    t = manifest["totals"]
    assert t["failed_inputs"] == 0 and t["kept"] >= 1
    rows = pq.read_table(out / "data").to_pylist() + pq.read_table(out / "rejected").to_pylist()
    [surr] = [r for r in rows if r["source"] == "surrogates.jsonl#0"]
    assert surr["url"] == "https://a.cn/\ufffd" and surr["title"].startswith("\ufffd")
    same = [r for r in rows if r["source"].startswith("same.jsonl")]
    assert len(same) == 3000 and sum(r["reason"] is None for r in same) <= 1


# --- output folders --------------------------------------------------------------------------


@pytest.fixture
def small_raw(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for i in range(3):
        (raw / f"{i}.txt").write_text(f"第{i}篇。{BODY}", encoding="utf-8")
    return raw


def test_out_holding_foreign_files_is_refused(small_raw, tmp_path):
    out = tmp_path / "out"
    (out / "data").mkdir(parents=True)
    (out / "data" / "my.parquet").write_bytes(b"mine")
    res = runner.invoke(app, ["run", str(small_raw), "--out", str(out)])
    assert res.exit_code == 2 and "data/my.parquet" in res.output and "--force" in res.output
    assert (out / "data" / "my.parquet").read_bytes() == b"mine"


@pytest.mark.usefixtures("prefect_server")
def test_force_keeps_the_users_files(small_raw, tmp_path):
    out = tmp_path / "out"
    (out / "data").mkdir(parents=True)
    (out / "data" / "my.parquet").write_bytes(b"mine")
    (out / "notes.txt").write_text("mine")
    res = runner.invoke(app, ["run", str(small_raw), "--out", str(out), "--force"])
    assert res.exit_code == 0, res.output
    assert (out / "data" / "my.parquet").read_bytes() == b"mine" and (out / "notes.txt").exists()
    assert (out / "data" / "part-00000.parquet").exists()


@pytest.mark.usefixtures("prefect_server")
def test_out_inside_input_is_excluded_on_rerun(small_raw):
    out = small_raw / "clean"
    for _ in range(2):
        res = runner.invoke(app, ["run", str(small_raw), "--out", str(out)])
        assert res.exit_code == 0, res.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [r["source"] for r in manifest["inputs"]] == ["0.txt", "1.txt", "2.txt"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--out", "{raw}"], "is inside --out"),
        (["--out", "{file}"], "--out is a file"),
        (["--out", "{tmp}/o", "--shard-mb", "0"], "--shard-mb"),
        (["--out", "{tmp}/o", "--runner", "bogus"], "--runner"),
        (["--out", "{tmp}/o", "--doc-seconds", "-1"], "--doc-seconds"),
        (["--out", "{tmp}/o", "--set", "script.config=bogus"], "unknown OpenCC config 'bogus'"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(small_raw, tmp_path, args, message):
    (tmp_path / "f.txt").write_text("x")
    args = [a.format(raw=small_raw, file=tmp_path / "f.txt", tmp=tmp_path) for a in args]
    res = runner.invoke(app, ["run", str(small_raw), *args])
    assert res.exit_code == 2 and message in res.output, res.output
    assert len(res.output.strip().splitlines()) <= 2 and "Traceback" not in res.output
    assert not (tmp_path / "o").exists()


def test_a_fifo_never_blocks_discovery(tmp_path):
    """A FIFO in the input must never be opened: the run would block on it for ever."""
    os.mkfifo(tmp_path / "pipe.jsonl")
    t = threading.Thread(target=lambda: discover([str(tmp_path)]), daemon=True)
    t.start()
    t.join(10)
    assert not t.is_alive()


@pytest.mark.heavy
def test_full_size_hostile_corpus(tmp_path):
    """The issue's acceptance run: a 100 MB record, a .zst of 128 MB, 200k paragraphs, 300k copies."""
    from tools.hostile import run

    result = run(tmp_path, heavy=True)
    assert not result["problems"], (result["problems"], result["output"][-3000:])


def test_a_killed_runs_server_is_reaped_on_the_next_start(tmp_path, monkeypatch):
    """An orphaned temporary server of this PREFECT_HOME is stopped; one of another home is left alone."""
    import subprocess
    import sys

    from flows.settings import SERVER_APP, reap_orphan_servers

    def orphan(home: str) -> int:
        code = f"import time, sys; sys.argv.append({SERVER_APP!r}); time.sleep(60)"
        env = {**os.environ, "PREFECT_HOME": home, "PREFECT__SERVER_EPHEMERAL": "1"}
        # The middle shell exits at once, so the sleeper's parent is gone, as after a kill -9.
        out = subprocess.run(["sh", "-c", f'{sys.executable} -c "{code}" {SERVER_APP} >/dev/null 2>&1 & echo $!'],
                             env=env, capture_output=True, text=True, check=True)
        return int(out.stdout)

    ours, theirs = orphan(str(tmp_path / "home")), orphan(str(tmp_path / "other"))
    try:
        time.sleep(0.5)
        monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "home"))
        assert reap_orphan_servers() == [ours]
    finally:
        for pid in (ours, theirs):
            try:
                os.kill(pid, 9)
            except ProcessLookupError:
                pass


def test_serve_refuses_a_bad_cron_before_any_work(small_raw, tmp_path):
    res = runner.invoke(app, ["serve", str(small_raw), "--out", str(tmp_path / "o"), "--cron", "not a cron"])
    assert res.exit_code == 2 and "--cron" in res.output and "Traceback" not in res.output


def test_tar_member_with_a_bad_name_is_errored_alone(tmp_path):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for name in ("bad-\udcff.txt", "good.txt"):
            data = BODY.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    (tmp_path / "a.tar").write_bytes(buf.getvalue())
    items = list(read_file(str(tmp_path / "a.tar"), "a.tar"))
    assert [(i.source, _reasons([i])[0]) for i in items] == [("a.tar/bad-\\xff.txt", "bad_name"), ("a.tar/good.txt", None)]


@pytest.mark.usefixtures("prefect_server")
def test_a_failed_reduce_still_writes_the_manifest(small_raw, tmp_path, monkeypatch):
    """Out of memory in dedup's reduce fails every shard, and the manifest says why."""
    import pyarrow as pa

    from flows import stages
    from flows.flow import clean_corpus

    def boom(*args, **kwargs):
        raise pa.ArrowMemoryError("realloc of size 4294967296 failed")

    monkeypatch.setattr(stages, "reduce_sigs", boom)
    doc = clean_corpus(input=[str(small_raw)], out=str(tmp_path / "out"))
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert doc["totals"]["failed_inputs"] == 3 == manifest["totals"]["failed_inputs"]
    assert all(r["status"] == "failed" and "ArrowMemoryError" in r["error"] for r in manifest["inputs"])
