"""crossdoc: canonical lines, their keys, the boilerplate rule and line removal, on small synthetic sites."""

from collections import Counter, defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.crossdoc import (
    Config,
    canonical_form,
    canonical_line,
    int64_key,
    is_boilerplate,
    line_keys,
    remove_lines,
    report_lines,
    site_of,
)
from transforms import titles
from transforms.document import Document, StepStats

CFG = Config()
CAPTION = "图为滨江市地铁5号线列车驶出高新区站。（新华社记者 王强 摄）"
EDITOR = "责任编辑：李华"
BODIES = [
    "滨江市地铁5号线一期工程今天上午正式开通运营，全长二十八公里，共设车站二十一座。",
    "开通首日沿线各站客流平稳有序，不少市民专程前来体验全自动无人驾驶列车。",
    "地铁集团表示，高峰时段行车间隔为三分四十秒，今后将根据客流情况适时加密班次。",
    "家住滨江新区的陈先生说，过去上班要换乘两趟公交车，现在坐地铁只要三十五分钟。",
    "按照规划，5号线二期工程将向南延伸至临港工业园区，预计三年后建成通车。",
]


@pytest.mark.parametrize(
    "line, expected",
    [
        ("图片来源：网络", "图片来源网络"),  # CJK punctuation goes
        ("图片来源: 网络", "图片来源网络"),  # ASCII punctuation and spaces go
        ("【责任编辑：李华】", "责任编辑李华"),
        ("2023年10月5日", "0年0月0日"),  # each run of digits is one symbol
        ("2024年1月15日 ", "0年0月0日"),
        ("第１２期", "第0期"),  # NFKC: full-width digits are digits
        ("ＡＰＰ下载", "app下载"),  # NFKC and lower case
        ("★ 关注我们 ★", "关注我们"),  # symbols go too
        ("，。！？", ""),
        ("\t \u3000", ""),
    ],
)
def test_canonical_line(line, expected):
    assert canonical_line(line) == expected


def test_dates_and_numbers_fold_to_the_same_line():
    assert canonical_line("2023年10月5日 来源：滨江日报") == canonical_line("2024年1月15日  来源:滨江日报")
    assert canonical_line("来源：滨江日报") != canonical_line("来源：滨江晚报")


def test_line_keys_one_per_distinct_line_with_first_original():
    text = f"{CAPTION}\n{BODIES[0]}\n\n{CAPTION.replace('。', '.')}\n，，，"
    keys = line_keys(text, CFG)
    assert sorted(keys.values()) == sorted([CAPTION, BODIES[0]])  # the repeat and the bare punctuation add none
    assert keys[int64_key(canonical_line(CAPTION))] == CAPTION


def test_line_keys_skip_long_lines():
    long_line = "这是一段很长的正文。" * 40  # 320 canonical characters
    assert line_keys(long_line, CFG) == {}
    assert len(line_keys(long_line, Config(max_chars=400))) == 1


def test_keys_fit_int64():
    for key in line_keys("\n".join(BODIES + [CAPTION, EDITOR]), CFG):
        assert -(1 << 63) <= key < (1 << 63)


@pytest.mark.parametrize(
    "n_pages, site_pages, expected",
    [
        (5, 5, True),  # a caption on every page of a small site
        (3, 40, True),  # min_pages
        (2, 40, False),  # two pages can be a coincidence
        (1, 1, False),  # a one-page site keeps its body
        (5, 46_662, False),  # on a big site five pages are not enough ...
        (46, 46_662, False),
        (47, 46_662, True),  # ... it takes 0.1% of them (46.7)
        (3, 2_999, True),  # below large_site only min_pages counts
    ],
)
def test_is_boilerplate(n_pages, site_pages, expected):
    assert is_boilerplate(n_pages, site_pages, CFG) is expected


def _run(pages, cfg=CFG):
    """The map-reduce-apply the flow does, in memory: pages are (url, text); returns texts and stats."""
    docs = [Document(id=f"p{i}", source=f"crawl/{i}.html", text=text, url=url) for i, (url, text) in enumerate(pages)]
    site_pages, counts = Counter(), Counter()
    for doc in docs:  # map + reduce
        site = site_of(doc.url, doc.source)
        site_pages[site] += 1
        counts.update((site, key) for key in line_keys(doc.text, cfg))
    flagged = defaultdict(set)
    for (site, key), n in counts.items():
        if is_boilerplate(n, site_pages[site], cfg):
            flagged[site].add(key)
    stats = StepStats()
    for doc in docs:  # apply
        remove_lines(doc, flagged[site_of(doc.url, doc.source)], cfg, stats)
    return docs, stats


def test_caption_on_five_pages_goes_from_all_five_editor_on_two_stays():
    pages = [
        (f"https://news.example.cn/2023/{i}.html", f"{BODIES[i]}\n\n{CAPTION}\n\n" + (EDITOR if i < 2 else ""))
        for i in range(5)
    ]
    pages.append(("https://blog.example.com/1.html", f"{BODIES[0]}\n{CAPTION}"))  # another site: its own count
    docs, stats = _run(pages)
    for doc, body in zip(docs[:5], BODIES):
        assert CAPTION not in doc.text
        assert doc.text.startswith(body)
        assert doc.removed == [{"step": "crossdoc", "rule": "repeated_line", "text": CAPTION}]
    assert docs[0].text == f"{BODIES[0]}\n\n{EDITOR}"
    assert docs[2].text == BODIES[2]
    assert docs[5].text == f"{BODIES[0]}\n{CAPTION}"
    assert stats.rule_lines["repeated_line"] == 5
    assert stats.rule_chars["repeated_line"] == 5 * len(CAPTION)


def test_small_site_keeps_its_own_body():
    pages = [(None, f"{b}\n{EDITOR}") for b in BODIES[:2]]  # no URL: the folder is the site
    docs, stats = _run(pages)
    assert [d.text for d in docs] == [p[1] for p in pages]
    assert not stats.rule_lines


def test_long_repeated_paragraph_is_not_a_candidate():
    paragraph = "".join(BODIES) * 2  # a republished paragraph, ~360 characters
    docs, _ = _run([(f"https://news.example.cn/{i}", f"{BODIES[i]}\n{paragraph}") for i in range(4)])
    assert all(paragraph in d.text for d in docs)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("正文第一段。\n\n图片\n\n正文第二段。", "正文第一段。\n\n正文第二段。"),
        ("正文第一段。\n图片\n正文第二段。", "正文第一段。\n正文第二段。"),
        ("图片\n\n正文第一段。", "正文第一段。"),
        ("正文第一段。\n\n图片", "正文第一段。"),
        ("正文第一段。\n\n图片\n\n图片：\n\n正文第二段。", "正文第一段。\n\n正文第二段。"),
        ("正文第一段。\n\n\n正文第二段。", "正文第一段。\n\n\n正文第二段。"),  # nothing removed: untouched
        ("图片", ""),
    ],
)
def test_remove_lines_leaves_no_blank_runs(text, expected):
    doc = Document(id="a", source="s", text=text)
    remove_lines(doc, {int64_key(canonical_line("图片"))}, CFG, StepStats())
    assert doc.text == expected


@pytest.mark.parametrize(
    "heading, kept",
    [
        ("後記", True),  # a column's section heading between two paragraphs: body
        ("二", True),  # a numbered section
        ("专家意见", True),
        ("图片来源：网络", False),  # a credit has a colon: the site's, even between paragraphs
        ("欢迎订阅本报官方微信账号", False),  # too long for a heading
    ],
)
def test_repeated_section_heading_between_paragraphs_stays(heading, kept):
    text = f"{BODIES[0]}\n\n{heading}\n\n{BODIES[1]}\n{heading}"  # at the page's end it goes either way
    doc = Document(id="a", source="s", text=text)
    remove_lines(doc, {int64_key(canonical_line(heading))}, CFG, StepStats())
    want = f"{BODIES[0]}\n\n{heading}\n\n{BODIES[1]}" if kept else f"{BODIES[0]}\n\n{BODIES[1]}"
    assert doc.text == want


def test_report_lines_are_ordered_and_capped():
    removed = {"（完）": 3, "图片来源：网络": 40, "责任编辑：李华": 40, "关注我们": 12}
    assert report_lines(removed, Config(top_report=3)) == [("图片来源：网络", 40), ("责任编辑：李华", 40), ("关注我们", 12)]


@pytest.mark.parametrize(
    "url, source, expected",
    [
        ("https://www.xinhuanet.com/politics/2023-10/05/c_1.htm", "x.warc", "xinhuanet.com"),
        ("http://News.Sina.com.cn/c/2023-10-05/doc.shtml", "x.warc", "news.sina.com.cn"),
        (
            "https://web.archive.org/web/20210712002335/https://www.hkcnews.com/article/174/x",
            "hk.tar.xz/a/1.md",
            "hkcnews.com",
        ),
        (None, "crawl/新闻/a.md", "crawl/新闻"),
        ("", "a.md", ""),
    ],
)
def test_site_of(url, source, expected):
    assert site_of(url, source) == expected


LINES = st.sampled_from(["", "  ", "图片", "图片：", "正文第一段。", "正文第二段，", "2023年10月5日", "abc"])


@settings(max_examples=200, deadline=None)
@given(st.lists(LINES, max_size=12))
def test_remove_lines_properties(lines):
    text = "\n".join(lines)
    doc = Document(id="a", source="s", text=text)
    remove_lines(doc, {int64_key(canonical_line("图片"))}, CFG, StepStats())
    out = doc.text.split("\n")
    assert all(canonical_line(line) != "图片" for line in out)  # every flagged line is gone
    it = iter(lines)
    assert all(line in it for line in out) or doc.text == ""  # what is left keeps its order
    had_runs = any(not a.strip() and not b.strip() for a, b in zip(lines, lines[1:]))
    if not had_runs:
        assert not any(not a.strip() and not b.strip() for a, b in zip(out, out[1:]))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80))
def test_canonical_keeps_lines_aligned(text):
    canon = canonical_form(text, fold_digits=True, keep_newlines=True)
    assert canon.count("\n") == text.count("\n")
    assert canonical_form(canon) == canonical_form(canon.replace("\n", ""))  # idempotent apart from newlines


def test_repeated_section_heading_over_a_sub_heading_stays():
    text = f"{BODIES[0]}\n後記\n小小心愿都该珍惜\n{BODIES[1]}"
    doc = Document(id="a", source="s", text=text)
    remove_lines(doc, {int64_key(canonical_line("後記"))}, CFG, StepStats())
    assert doc.text == text


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["", "  ", CAPTION, EDITOR, "图片来源：网络", "图片来源:网络 ", *BODIES]), max_size=12))
def test_staged_line_keys_remove_the_same_lines(lines):
    """apply with the keys the map phase left on the page removes exactly what computing them again does."""
    from transforms.crossdoc import LINE_KEYS, map_keys

    text = "\n".join(lines)
    staged = Document(id="a", source="a", text=text)
    map_keys(staged, CFG)
    keys = {int64_key(canonical_line(s)) for s in (CAPTION, EDITOR, "图片来源：网络")}
    again, given_keys = Document(id="a", source="a", text=text), Document(id="a", source="a", text=text)
    remove_lines(again, keys, CFG, StepStats())
    remove_lines(given_keys, keys, CFG, StepStats(), staged.columns[LINE_KEYS])
    assert (given_keys.text, given_keys.removed) == (again.text, again.removed)


TITLE_PARTS = st.sampled_from(["秋粮收购全面展开", "新闻中心", "某某日报", "2023年10月5日", "——", " | ", "_", "·", "：", "  "])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["", " ", CAPTION, EDITOR, "2015年7月3日", "第１２期", "x" * 301, *BODIES]), max_size=10),
       st.lists(TITLE_PARTS, max_size=6).map("".join))
def test_map_keys_are_the_plain_definition(lines, title):
    """The map phase's rows are the documented keys: int64_key of each candidate line's canonical form (the
    first original line per key), then the title's keys, however the hot loop computes them."""
    from transforms.crossdoc import BARE_DATE, LINE_KEYS, map_keys, title_keys

    text = "\n".join(lines)
    doc = Document(id="a", source="a", text=text, title=title or None)
    rows = map_keys(doc, CFG)
    canon = [canonical_line(line) for line in lines] or [""]
    plain = [int64_key(c) if c and len(c) <= CFG.max_chars and c != BARE_DATE else None for c in canon]
    assert doc.columns[LINE_KEYS] == plain
    first = {}
    for line, key in zip(text.split("\n"), plain):
        if key is not None:
            first.setdefault(key, line.strip())
    t = title.strip()
    if canonical_line(t):
        first[int64_key("whole title\x00" + canonical_line(t))] = "[whole title] " + t
    for _, a, b in titles.parts(t)[1:] if t else []:
        part = t[a:b].strip()
        if canonical_line(part):
            first.setdefault(int64_key("title\x00" + canonical_line(part)), "[title] " + part)
    assert dict(zip(rows["key"], rows["text"])) == first and len(rows["key"]) == len(first)
    assert title_keys(title or None) == title_keys(title or None)  # remembered parts give the same keys
