"""The map -> reduce -> apply stages on small synthetic sites, without Prefect."""

import json

import pyarrow.dataset as ds

from flows import stages
from flows.plan import discover, plan_shards
from flows.recipe import load_recipe

BODY = [
    "市气象台今天发布消息，受冷空气影响，本周后期全市将出现明显降温，最低气温将降至零下五摄氏度左右。",
    "今年以来，全市新建和改造农贸市场二十个，市场内统一设置了电子价格屏和农药残留快速检测室。",
    "记者从市教育局获悉，今年秋季全市将新增公办中小学学位一万二千个，缓解部分片区入学难的问题。",
    "市图书馆新馆将于下月开放，新馆设有少儿阅读区、古籍修复展示区和二十四小时自助借还区。",
    "城市东部的湿地公园完成生态修复，水质由劣五类提升到四类，吸引了白鹭等多种水鸟前来栖息。",
    "地铁六号线一期工程进入铺轨阶段，全线共设车站十八座，预计明年底开通初期运营。",
    "市医保局宣布，将三十种慢性病门诊用药纳入报销范围，报销比例最高可达百分之七十。",
]
CAPTION = "城市新闻网，与您一起关注身边的每一点变化"
SHARED_PAIR = "本报讯 相关部门表示将持续跟进后续进展情况"


def _page(i: int, extra: list[str]) -> dict:
    body = [BODY[i], *[f"{BODY[(i + k) % len(BODY)][:30]}，第{i}篇的补充说明第{k}段，内容各不相同。" for k in (1, 2, 3)]]
    return {"url": f"http://city.example.cn/news/{i}.html", "title": f"城市新闻{i}", "text": "\n".join(body + extra)}


def _run(tmp_path, records: list[dict], overrides=()):
    raw = tmp_path / "raw"
    raw.mkdir()
    with open(raw / "site.jsonl", "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    rec = load_recipe(None, ["quality.enabled=false", *overrides])
    resolved, work, out = rec.resolved(), str(tmp_path / "out" / "_work"), str(tmp_path / "out")
    shards = plan_shards(discover([str(raw)]), "t")
    maps = [stages.map_shard(s, work, resolved) for s in shards]
    reduce_out = f"{work}/reduce"
    stages.reduce_serial(work, maps, resolved, reduce_out, total_bytes=1)
    for s in shards:
        stages.apply_shard(s, work, reduce_out, out, resolved)
    data = ds.dataset(f"{out}/data", format="parquet").to_table().to_pylist()
    rejected = ds.dataset(f"{out}/rejected", format="parquet").to_table().to_pylist()
    return {r["source"]: r for r in data}, {r["source"]: r for r in rejected}


def test_caption_on_five_pages_goes_and_a_line_on_two_stays(tmp_path):
    pages = [_page(i, [CAPTION] + ([SHARED_PAIR] if i < 2 else [])) for i in range(5)]
    data, _ = _run(tmp_path, pages)
    assert len(data) == 5
    assert all(CAPTION not in d["text"] for d in data.values())
    assert sum(SHARED_PAIR in d["text"] for d in data.values()) == 2
    removed = json.loads(data["site.jsonl#0"]["removed"])
    assert {"step": "crossdoc", "rule": "repeated_line", "text": CAPTION} in removed


def test_republished_article_keeps_its_body(tmp_path):
    article = _page(0, [])
    copies = [{**article, "url": f"http://city.example.cn/news/copy{k}.html"} for k in range(3)]
    data, rejected = _run(tmp_path, [article, *copies, _page(1, []), _page(2, [])])
    kept = [d for s, d in data.items() if d["title"] == "城市新闻0"]
    assert len(kept) == 1 and BODY[0] in kept[0]["text"] and kept[0]["cluster_size"] == 4
    dups = [r for r in rejected.values() if r["reason"] == "duplicate"]
    assert len(dups) == 3 and {r["duplicate_of"] for r in dups} == {kept[0]["id"]}


def test_near_duplicates_found_and_different_pages_kept(tmp_path):
    base = _page(3, [BODY[4], BODY[5]])
    one_char = {**base, "url": "http://other.example.cn/a.html", "text": base["text"].replace("降温", "降雨", 1)}
    added = {**base, "url": "http://other.example.cn/b.html", "text": base["text"] + "\n" + BODY[6]}
    data, rejected = _run(tmp_path, [base, one_char, added, _page(1, []), _page(2, [])])
    assert {r["source"] for r in rejected.values() if r["reason"] == "duplicate"} == {"site.jsonl#0", "site.jsonl#1"}
    assert data["site.jsonl#2"]["cluster_size"] == 3
    assert {"site.jsonl#3", "site.jsonl#4"} <= set(data)


def test_steps_turned_off_keep_everything(tmp_path):
    pages = [_page(i, [CAPTION]) for i in range(4)] + [_page(0, [])]
    data, rejected = _run(tmp_path, pages, ["crossdoc.enabled=false", "dedup.enabled=false"])
    assert len(data) == 5 and not rejected
    assert all(CAPTION in d["text"] for s, d in data.items() if s != "site.jsonl#4")


def test_a_document_a_step_breaks_on_is_errored_alone_and_keeps_its_text():
    from flows.io import readers
    from transforms.document import Document

    def broken(doc, cfg, stats):
        doc.text = "半途"
        raise ValueError("规则出错")

    item = stages._run_guarded(Document(id="a", source="a.md", text="台风今晨登陆。"), [("x", broken, None)], {}, 5)
    assert isinstance(item, readers.Errored) and (item.reason, item.step) == ("step_error", "steps")
    row = stages._errored_row(item, "a.md")
    assert (row["text"], row["reason"], row["step"]) == ("台风今晨登陆。", "step_error", "steps")


def test_warm_builds_what_steps_build_on_first_use_and_changes_no_output(tmp_path):
    """A pool process warms up before its first task; the pages it then writes are the same bytes."""
    from transforms import text, unicode

    records = [_page(i, [CAPTION]) for i in range(6)]
    (tmp_path / "cold").mkdir()
    (tmp_path / "warm").mkdir()
    cold = _run(tmp_path / "cold", records)
    text._char_tables.cache_clear()
    unicode._kinds.cache_clear()
    stages.warm()
    stages.warm(load_recipe(None, ["script.config=s2t", "boilerplate.enabled=false"]).resolved())
    assert text._char_tables.cache_info().currsize == unicode._kinds.cache_info().currsize == 1
    warm = _run(tmp_path / "warm", records)
    assert cold == warm
    for sub in ("data", "rejected"):
        parts = sorted((tmp_path / "cold" / "out" / sub).glob("*.parquet"))
        assert parts and all(p.read_bytes() == (tmp_path / "warm" / "out" / sub / p.name).read_bytes() for p in parts)
