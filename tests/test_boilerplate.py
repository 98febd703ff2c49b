"""The boilerplate step: rule families, precision on body text, metadata, markdown, audit trail."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.recipe import load_line_model
from transforms import boilerplate as B
from transforms import boilerplate_rules as R
from transforms.document import Document, StepStats

BODY = "今年春天雨水偏多，村里的稻田比往年提前半个月插秧，老人们都说这是个好兆头。"


def clean(text: str, title: str | None = None, **cfg) -> Document:
    doc = Document(id="t", source="t", text=text, title=title)
    B.apply(doc, B.Config(**cfg), StepStats())
    return doc


# A page in the seed's shape: body, images whose alt repeats the title, a caption, a footer, thumbnails.
SEED_LIKE = "\n".join([
    "本报讯 5月8日，全省春耕生产现场会在南昌召开。会议强调，要抓住农时、稳定面积，确保粮食丰收。",
    "![[农业农村]全省春耕生产现场会召开 [农业农村]全省春耕生产现场会召开](/uploads/a1.png)",
    "5月8日，全省春耕生产现场会在南昌召开，与会代表参观了育秧工厂。本报记者王小明照片",
    "会上，十个县市作了交流发言,介绍了集中育秧、机械插秧和病虫害统防统治的做法。",
    "![[农业农村]全省春耕生产现场会召开 [农业农村]全省春耕生产现场会召开](/uploads/a2.png)",
    "会议要求，各地要落实好耕地地力保护补贴，让种粮农民吃下定心丸。",
    "与会人员还就农机购置补贴、粮食收储等问题进行了讨论，提出了二十多条意见建议。",
    "标题:[农业农村]全省春耕生产现场会召开",
    "地址:http://www.example.cn/nync/20210508.html",
    "",
    "![[农业农村]我省夏粮收购进度过半](/uploads/b1-lp.png)",
    "![[科技界] 智慧农业走进田间地头](/uploads/b2-lp.png)",
    "![[农业农村]春播农资供应充足](/uploads/b3-lp.png)",
    "",
    "",
])


def test_seed_like_page_keeps_only_its_body_and_fills_metadata():
    doc = clean(SEED_LIKE)
    lines = SEED_LIKE.split("\n")
    assert doc.text == "\n".join([lines[0], lines[3], lines[5], lines[6]])
    assert doc.title == "全省春耕生产现场会召开"
    assert doc.url == "http://www.example.cn/nync/20210508.html"
    assert doc.meta["category"] == "农业农村"
    rules = {r["rule"] for r in doc.removed}
    assert {"image", "caption", "footer", "link_list"} <= rules
    assert all(r["step"] == "boilerplate" for r in doc.removed)


@pytest.mark.parametrize("line, rule", [
    ("责任编辑：王小明", "credit"),
    ("编辑:李娜", "credit"),
    ("文｜陈默", "credit"),
    ("作者：张三", "credit"),
    ("新京报记者杨畅", "credit"),
    ("来源：新华网", "source"),
    ("原标题：台风“烟花”今晨登陆", "source"),
    ("原文来自「某某书院」，作者「某某」：谈谈语言", "source"),
    ("本文转载自新华网", "source"),
    ("长按识别二维码，关注我们", "share"),
    ("分享到：微信 微博 QQ空间", "share"),
    ("收藏 | 评论 | 转发", "share"),
    ("点击阅读原文", "share"),
    ("Copyright © 2021 某某网 版权所有", "furniture"),
    ("京ICP备12345678号", "furniture"),
    ("上一篇：春季养生小常识", "furniture"),
    ("（完）", "furniture"),
    ("新华社记者李涛摄", "photo_credit"),
    ("（图片来源：视觉中国）", "photo_credit"),
    ("報導．攝影╱林小明", "photo_credit"),
    ("資料圖片", "photo_credit"),
    ("图为村民在田间查看秧苗长势。", "photo_credit"),
    ("▲村民在田间查看秧苗长势", "photo_credit"),
    ("澳门威尼斯人 百家乐 注册送彩金", "spam"),
    ("2021-10-20 10:22:33 来源：新华网", "dateline"),
])
def test_line_rules_catch_boilerplate(line, rule):
    assert R.classify_line(line) == rule
    # the cheap prefilter must let every such line through to the rules
    assert rule == "spam" or R.may_match(line, 0, R.keyword_lines([line]))


@pytest.mark.parametrize("line", [
    BODY,
    "来源于民间的智慧往往最朴素，也最有生命力，这是老人们常挂在嘴边的话。",
    "编辑部的同事们连夜赶稿，终于在清晨完成了这篇报道。",
    "他在公众号上写了一篇长文，回忆自己在工厂打工的那几年，读者留言很多，不少人说看哭了。",
    "这家公司未经授权使用了别人的照片，被判赔偿三万元。",
    "警方捣毁一个跨境赌博团伙，查获投注记录上万条，涉案金额高达两亿元。",
    "威尼斯是一座水城。",
    "他拿起相机，对着远处的雪山按下快门。",
    "2021年4月17日，我们一家人回到了阔别十年的老家，见到了许多童年的伙伴，聊到深夜。",
    "标题党的危害在于误导读者。",
    "这是老字号的第三代传人。",
    "上海是一座国际化大都市。",
    "喚起大家對兒童性侵犯的關注",
    "地址：佐敦地鐵站C2出口，逢星期四休息",
    "最後他分享到：",
    "下篇再談流動民主的具體案例。",
    "記者還要走上前拍攝。",
    "支付寳不及信用卡安全，因使用較低保安的二維碼技術。",
])
def test_body_sentences_survive(line):
    assert R.classify_line(line) is None
    assert clean(line).text == line


@pytest.mark.parametrize("line, kept", [
    ("会议于今天下午结束，代表们纷纷表示收获很大。（记者 张三）", "会议于今天下午结束，代表们纷纷表示收获很大。"),
    ("全市今年新增就业岗位三万个，超额完成年度目标。责任编辑：李四", "全市今年新增就业岗位三万个，超额完成年度目标。"),
    ("他说这是编辑的失误，下次会更加小心。", "他说这是编辑的失误，下次会更加小心。"),
])
def test_trailing_credit_is_cut_and_the_body_kept(line, kept):
    doc = clean(line)
    assert doc.text == kept
    assert [r["rule"] for r in doc.removed] == (["trailing_credit"] if kept != line else [])


@pytest.mark.parametrize("line, plain", [
    ("## 一、背景", "一、背景"),
    ("详见[国务院公告](http://gov.cn/a)。", "详见国务院公告。"),
    ("**重点**是*落实*责任。", "重点是落实责任。"),
    ("> 引用的一段话，保留文字。", "引用的一段话，保留文字。"),
    ("普通的一行字。", "普通的一行字。"),
])
def test_markdown_to_text(line, plain):
    assert B.markdown_to_text(line)[0] == plain


def test_keep_markdown_keeps_markup_but_drops_images():
    text = f"## 小标题\n{BODY}**加粗**\n![图](a.png)"
    doc = clean(text, keep_markdown=True)
    assert doc.text == f"## 小标题\n{BODY}**加粗**"


@pytest.mark.parametrize("text, expected", [
    # a caption is known by its place under an image and its form
    (f"{BODY}\n![](a.jpg)\n*村口的老槐树*\n{BODY[:-1]}！", f"{BODY}\n{BODY[:-1]}！"),
    (f"{BODY}\n![](a.jpg)\n<figcaption>现场图。</figcaption>", BODY),
    (f"{BODY}\n<figure><img src='a.jpg'></figure>\n雪中的老城区\n{BODY[::-1]}", f"{BODY}\n{BODY[::-1]}"),
    # a paragraph after an image is not a caption
    (f"![](a.jpg)\n{BODY}", BODY),
])
def test_captions(text, expected):
    assert clean(text).text == expected


def test_an_unclosed_figcaption_does_not_swallow_the_page():
    text = f"![](a.jpg)\n<figcaption>图：袁隆平在稻田里\n\n{BODY}\n## 小标题\n{BODY[::-1]}"
    assert clean(text).text == f"{BODY}\n小标题\n{BODY[::-1]}"
    split = "![](a.jpg)\n<figcaption>2018年8月2日，江西毛家村，\n工人把棺木砸碎。</figcaption>\n" + BODY
    assert clean(split).text == BODY


def test_related_heading_takes_its_list():
    text = "\n".join([BODY, BODY.replace("春天", "夏天"), "相关阅读：", "夏粮收购进度过半", "智慧农业走进田间"])
    doc = clean(text)
    assert doc.text == "\n".join([BODY, BODY.replace("春天", "夏天")])
    assert {r["rule"] for r in doc.removed} == {"related"}


def test_run_of_links_is_a_list_but_one_link_is_text():
    links = "\n".join(f"- [第{i}篇文章的标题](http://a.cn/{i}.html)" for i in range(3))
    assert clean(f"{BODY}\n{links}").text == BODY
    assert clean(f"{BODY}\n请看[这篇报道](http://a.cn/1.html)。").text == f"{BODY}\n请看这篇报道。"


SCRIPT = "docker stop kafka && docker rm kafka\nexport KAFKA_HEAP_OPTS=-Xmx512m\nbitnami/kafka:3.4\ncurl -s http://localhost:9092/ | head"


@pytest.mark.parametrize("text, kept", [
    # a tutorial gives the same commands twice (a docker and a podman script): commands repeat on purpose
    (f"{BODY}\n先用 docker 启动：\n{SCRIPT}\n换成 podman 时，命令几乎一样：\n{SCRIPT}",
     f"{BODY}\n先用 docker 启动：\n{SCRIPT}\n换成 podman 时，命令几乎一样：\n{SCRIPT}"),
    # an English menu or footer said twice is no code: the copy goes
    (f"Home | About | Contact\n{BODY}\nHome | About | Contact\nCopyright 2024 Example Inc.",
     f"Home | About | Contact\n{BODY}"),
])
def test_repeated_commands_stay_and_a_repeated_menu_goes(text, kept):
    assert clean(text).text == kept


def test_repeats_are_kept_once_and_short_lines_may_repeat():
    doc = clean(f"{BODY}\n问\n第二段。\n问\n{BODY}")
    assert doc.text == f"{BODY}\n问\n第二段。\n问"
    assert [r["rule"] for r in doc.removed] == ["repeat"]


POST = ["项目背景", BODY, "解决思路", BODY.replace("春天", "夏天"), "- 先试点", BODY.replace("春天", "秋天")]


@pytest.mark.parametrize("text, kept", [
    # a page that holds its post twice (an editor's copy): the second copy goes, its headings with it
    ("\n".join(POST + POST), "\n".join(POST)),
    # the post's markdown source on one line above it: a copy of the lines that follow, markup and all
    ("> " + BODY + " > > 项目背景 ## 解决思路 ![](http://a.cn/1.png)\n" + "\n".join([BODY, "项目背景", *POST[2:]]),
     "\n".join([BODY, "项目背景", *POST[2:]])),
    # short lines said again outside a copied block stay (a refrain, a question label)
    ("\n".join([BODY, "项目背景", POST[3], "项目背景", POST[5]]), "\n".join([BODY, "项目背景", POST[3], "项目背景", POST[5]])),
])
def test_a_copied_block_goes_whole_and_lone_short_repeats_stay(text, kept):
    assert clean(text).text == kept


INTERVIEW = ["某基金首席投资官：张某", "债券市场存在泡沫吗？", "估值确实偏高，但负利率难以长期持续。", "央行现在应该做什么？",
             "选择空间有限，必要时会再次行动。", "某资管公司固定收益主管：李某", "债券市场存在泡沫吗？",
             "完全没有泡沫，养老金和保险资金的需求远超供给。", "央行现在应该做什么？", "应当鼓励股权投资，缓解银行的压力。"]


@pytest.mark.parametrize("text, kept", [
    # the same questions put to each guest, over different answers: the interview's structure stays
    ("\n".join([BODY, *INTERVIEW]), "\n".join([BODY, *INTERVIEW])),
    # a question said again over the same answer is a copied passage: the copy goes
    ("\n".join([BODY, "债券市场存在泡沫吗？", "估值确实偏高，但负利率难以长期持续。"] * 2),
     "\n".join([BODY, "债券市场存在泡沫吗？", "估值确实偏高，但负利率难以长期持续。"])),
])
def test_questions_asked_again_over_new_answers_stay(text, kept):
    assert clean(text).text == kept


@pytest.mark.parametrize("text, kept", [
    (f"{BODY}\n特此通知。\n某某市教育局\n2015年7月3日", f"{BODY}\n特此通知。\n某某市教育局\n2015年7月3日"),  # a notice's 落款
    (f"{BODY}\n特此通知。\n2015年7月3日", f"{BODY}\n特此通知。"),  # a bare date under the text: a dateline
])
def test_a_date_under_a_signature_is_part_of_the_notice(text, kept):
    assert clean(text).text == kept


def test_footer_lines_go_in_pairs_or_at_the_end_and_a_press_review_keeps_its_headlines():
    seasons = [BODY.replace("春天", s) for s in ("夏天", "秋天", "冬天", "去年", "前年", "今年")]
    review = "\n".join([BODY, "標題：立會今日復會", seasons[0], "標題：財案公布在即", *seasons[1:]])
    assert clean(review).text == review
    doc = clean(f"{BODY}\n标题：春耕现场会召开\n{BODY.replace('春天', '夏天')}\n地址：http://a.cn/1.html")
    assert doc.url == "http://a.cn/1.html" and doc.title == "春耕现场会召开"


def test_bare_dates_head_a_timeline_but_go_at_the_edges():
    timeline = "\n".join([BODY, "事件经过如下。", "2016年7月18日", "立法会否决议案。", "2016年7月19日", "政府回应批评。", "事件至今仍有争议。", BODY[::-1]])
    assert clean(timeline).text == timeline
    assert clean(f"2021年4月17日\n{BODY}").text == BODY


def test_a_poem_closing_the_page_is_not_a_link_list():
    poem = "\n".join([BODY, "如下了决定我不嗟叹", "在最终回凯歌奏响", "明天的路还很长远", "我们一起向前走去"])
    assert clean(poem).text == poem
    news = "\n".join([BODY, "江西凤凰沟鲜花盛开 市民踏春游玩", "航拍江西赣抚平原 一幅秀美春日田园画卷",
                      "江西高速开展车辆救援技能比武大赛", "满眼绿意浓浓 航拍江西千亩茶园秀色如画"])
    assert clean(news).text == BODY


KEYWORD_DUMP = " ".join(["免费在线观看高清", "最新电视剧排行榜", "二手车报价大全", "春季养生小常识", "家常红烧肉做法"] * 60)


@pytest.mark.parametrize("line, dump", [
    (KEYWORD_DUMP, True),
    (" ".join(["免費線上觀看高清", "最新電視劇排行榜", "二手車報價大全", "春季養生小常識"] * 60), True),  # Traditional
    (BODY * 30, False),  # a long paragraph
    (" ".join(["张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆"] * 80), False),  # signatories: names, not phrases
    (" ".join(["免费在线观看高清", "最新电视剧排行榜"] * 30), False),  # too short to be sure
    (" ".join(["Home", "About", "Products", "Latest News"] * 80), False),  # Latin: code, data or English
])
def test_keyword_dump_is_a_line_of_phrases_without_stops(line, dump):
    assert R.is_keyword_list(line) is dump
    assert (clean(f"{BODY}\n{line}").text == BODY) is dump


def test_headlines_stamped_with_counts_are_a_list_but_a_sentence_with_a_count_is_not():
    listed = "\n".join(["斯佩齐亚vs克雷莫纳 客队继续沉沦 358人气", "诺丁汉森林vs查尔顿 主场难胜 606人气",
                        "希拉尔vs萧塔 未必不堪一击 968赞", "布莱克本vs赫尔城 主场反弹 阅读(311)", BODY])
    assert clean(listed).text == BODY
    said = "\n".join([BODY, "这篇文章发出后一天就有了 3万阅读", BODY[::-1], "他的帖子一天就攒了 200条评论"])
    assert clean(said).text == said


TEASERS = [("夏粮收购过半", "今年夏粮收购进度过半，农户……"), ("秋粮长势良好", "入秋以来雨水充足，秋粮长势……"),
           ("春播顺利推进", "各地春播进展顺利，大部分地区……"), ("冬小麦返青", "冬小麦陆续返青，田间管理。"),
           ("城区新增口袋公园", "今年一季度城区新增三处口袋公园……")]


def test_teaser_records_go_even_when_another_rule_took_the_first_headline():
    teasers = [x for h, t in TEASERS for x in (h, t, "2022-11-10")]
    page = "\n".join([BODY, BODY[::-1], "相关阅读", *teasers])
    assert clean(page).text == f"{BODY}\n{BODY[::-1]}"
    dated_first = "\n".join([BODY, *[x for h, t in TEASERS for x in ("11-10", h, t)]])
    assert clean(dated_first).text == BODY


def test_a_timeline_and_a_dialogue_are_no_teaser_lists():
    timeline = "\n".join([BODY, BODY[::-1], *[x for k in range(5) for x in (f"2016年7月1{k}日", f"第{k + 1}天，议会继续辩论。")],
                          "事件至今仍有争议。"])
    assert clean(timeline).text == timeline
    dialogue = "\n".join([BODY, *[x for k in range(5) for x in ("他低声问", f"你真的要走吗……第{k + 1}次")], BODY[::-1]])
    assert B.teaser_records(dialogue.split("\n")) == []


def test_metadata_from_credit_and_date_lines():
    doc = clean(f"作者：张三\n发布时间：2021年4月7日\n{BODY}")
    assert doc.text == BODY
    assert doc.meta["author"] == "张三"
    assert doc.meta["date"] == "2021-04-07"


def test_existing_title_and_url_are_not_overwritten():
    doc = Document(id="t", source="t", text=f"{BODY}\n标题：别的标题\n地址：http://b.cn/", title="原标题", url="http://a.cn/")
    B.apply(doc, B.Config(), StepStats())
    assert (doc.title, doc.url, doc.text) == ("原标题", "http://a.cn/", BODY)


def test_plain_text_in_brackets_is_not_a_link_definition():
    line = "[亚洲指数单日]:38球币=1～2场指数推荐,周五到周日有可能会发送三场推荐!"
    assert clean(line).text == line


def test_spam_phrase_is_cut_from_a_body_line():
    doc = clean("据应急管理厅消息，王者威尼斯人现金网网址：某县一工厂发生事故，造成一人受伤。")
    assert doc.text == "据应急管理厅消息，某县一工厂发生事故，造成一人受伤。"


def test_stats_count_lines_and_chars_per_rule():
    stats = StepStats()
    B.apply(Document(id="t", source="t", text=f"{BODY}\n责任编辑：王小明"), B.Config(), stats)
    assert stats.rule_lines["credit"] == 1 and stats.rule_chars["credit"] == len("责任编辑：王小明")


CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)
LINE = st.text(CJK, min_size=1, max_size=40).map(lambda s: s + "。")


@settings(max_examples=200, deadline=None)
@given(st.lists(LINE, min_size=1, max_size=8))
def test_output_is_a_subsequence_of_kept_lines(lines):
    text = "\n".join(lines)
    doc = clean(text)
    out = doc.text.split("\n") if doc.text else []
    assert all(line in lines for line in out)
    removed = sum(len(r["text"]) for r in doc.removed)
    assert len(doc.text) + removed >= len(text.replace("\n", "")) - len(lines)


@settings(max_examples=200, deadline=None)
@given(st.lists(LINE, min_size=1, max_size=8))
def test_idempotent(lines):
    once = clean("\n".join(lines)).text
    assert clean(once).text == once


FRAGMENTS = st.sampled_from([
    "责任编辑：", "来源：", "图片来源", "摄", "版权所有", "分享到", "二维码", "上一篇：", "（完）", "2021年4月7日",
    "10:22", "记者", "▲", "原标题：", "作者：", "张三", "，", "。", "收藏", " | ", "新华社记者李涛", "報導．攝影╱",
])
MIXED = st.lists(st.one_of(FRAGMENTS, st.text(CJK, max_size=6)), max_size=8).map("".join)


@settings(max_examples=200, deadline=None)
@given(MIXED)
def test_prefilter_never_hides_a_rule_match(s):
    s = s.strip()
    if s and R.classify_line(s, spam=False):
        assert R.may_match(s, 0, R.keyword_lines([s]))


def test_url_behind_link_text_is_kept_from_the_source_line():
    doc = clean(f"{BODY}\n原文链接：[点此阅读](https://mp.example.com/s/abc)")
    assert doc.text == BODY and doc.url == "https://mp.example.com/s/abc"


# --- the rule catalogue: every rule catches its hits, spares its misses and can be switched off -------------
def _fired(text: str, **cfg) -> StepStats:
    stats = StepStats()
    B.apply(Document(id="t", source="t", text=text), B.Config(**cfg), stats)
    return stats


CATALOGUE_HITS = [pytest.param(r.name, h, id=f"{r.name}-{k}") for r in R.RULES for k, h in enumerate(r.hits)]
CATALOGUE_MISSES = [pytest.param(r.name, m, id=f"{r.name}-{k}") for r in R.RULES for k, m in enumerate(r.misses)]


@pytest.mark.parametrize("rule", R.RULES, ids=lambda r: r.name)
def test_every_rule_is_declared_with_a_doc_a_hit_and_a_miss(rule):
    assert rule.doc and rule.hits and rule.misses
    assert rule.kind in ("line", "tail", "page")


def test_rule_names_are_unique_and_line_rules_keep_their_order():
    assert len(R.RULE_NAMES) == len(R.RULES)
    order = [n for n, _ in R.LINE_RULES]  # the first rule that matches names the line: keep these in this order
    first = ["spam", "furniture", "share", "source", "photo_credit", "credit", "dateline"]
    assert [n for n in order if n in first] == first


@pytest.mark.parametrize("name, text", CATALOGUE_HITS)
def test_rule_catches_its_hits(name, text):
    # rules that are off by default; the model's hit is the page furniture the block rules would take first
    opt_in = {"model": {"model": True, "weights": load_line_model(),
                        "disable": ["head_block", "tail_block"]}}.get(name, {})
    assert _fired(text, **opt_in).rule_chars[name] > 0


@pytest.mark.parametrize("name, text", CATALOGUE_MISSES)
def test_rule_spares_its_misses(name, text):
    assert _fired(text).rule_chars[name] == 0


@pytest.mark.parametrize("name, text", CATALOGUE_HITS)
def test_rule_switched_off_by_name_does_not_fire(name, text):
    assert _fired(text, disable=[name]).rule_chars[name] == 0


# Whole-line rules (spam aside: a spammy page skips the prefilter) only see lines the prefilter lets through.
GATED = [pytest.param(n, h, id=f"{n}-{k}") for r in R.RULES if r.kind == "line" and r.name != "spam"
         for n, (k, h) in [(r.name, kh) for kh in enumerate(r.hits)]]


@pytest.mark.parametrize("name, text", GATED)
def test_prefilter_lets_every_hit_of_a_line_rule_through(name, text):
    doc = Document(id="t", source="t", text=text)
    B.apply(doc, B.Config(), StepStats())
    spans = [r["text"] for r in doc.removed if r["rule"] == name]
    lines = [s.strip() for s in text.split("\n") if any(span in s for span in spans)]
    assert lines
    assert all(R.may_match(s, 0, R.keyword_lines([s])) for s in lines)


def test_off_is_checked_against_the_catalogue():
    assert B.Config(disable=["share", "tail_list"]).off_rules() >= {"share", "tail_list"}
    with pytest.raises(ValueError, match="unknown rule no_such_rule"):
        B.Config(disable=["no_such_rule"])


def test_family_toggles_are_aliases_of_rule_names():
    assert set(B.ALIASES) <= set(B.Config.model_fields)
    assert {n for names in B.ALIASES.values() for n in names} <= R.RULE_NAMES
    assert B.Config(spam=False).off_rules() == {"spam", "spam_phrase"}
    assert B.Config().off_rules() == frozenset()


def test_every_rule_name_the_step_writes_is_in_the_catalogue():
    import inspect
    import re
    source = inspect.getsource(B)
    # page.drop(i, "x"), stats.count("x", …), _runs(…, 2, "x", …), cuts of ("x", span)
    written = re.findall(r'drop\([^()"]*, "(\w+)"\)|count\("(\w+)"|\d, "(\w+)"|\("(\w+)", (?:tail|p)\)', source)
    names = {n for group in written for n in group if n}
    assert names and names <= R.RULE_NAMES
    assert R.RULE_NAMES - {n for n, _ in R.LINE_RULES} - names == set()


# --- block context: menus, headlines and footers around the body runs of CommonCrawl text ---------------
CC_MENU = "首页\n新闻中心\n产品展示\n关于我们\n联系我们\n在线留言"
CC_BODY = (f"{BODY}村里的老人说，这样的年景多年没见过了。\n镇上的集市每逢农历初一十五开张，卖菜的、修鞋的、说书的把整条老街挤得满满当当。\n"
           "一、准备工作\n村委会提前一周发出通知，请各家各户清点农具、检查水渠。")
CC_PAGES = {
    # menu, breadcrumb, headline and date above; other pages' headlines, contact and copyright below
    "news": (f"{CC_MENU}\n当前位置：首页 > 新闻中心 > 本地要闻\n春耕时节走访村庄\n2022-04-01 来源：本站\n{CC_BODY}\n"
             "上一篇：夏季防暑指南\n热门文章\n秋粮收购全面展开 各地收购点排起长队\n老城区改造进展如何\n"
             "冬季进补吃什么好\n电话：0571-88886666\nCopyright © 2022 某某网 版权所有", CC_BODY),
    # no frame below the body: a list of headlines still goes, a contact block stays
    "headlines": (f"{CC_BODY}\n沙漠化的原因是什么\n潮汕卤鹅最正宗的家常做法\n冬季进补吃什么\n如何挑选一台好用又省电的电饭煲\n"
                  "欢迎留言交流。", f"{CC_BODY}\n欢迎留言交流。"),
    # a contact block after a body of prose is the site's frame; a page that is only its contact details keeps them,
    # and so does an article that gives a number between its paragraphs
    "contact": (f"{CC_BODY}\n销售热线：0571-88886666\n地址：杭州市西湖区文三路100号\n邮箱：sales@example.com", CC_BODY),
    "contact_in_body": (f"{BODY}\n报名电话：0571-88886666\n{CC_BODY}", f"{BODY}\n报名电话：0571-88886666\n{CC_BODY}"),
    "contact_frame": (f"{CC_BODY}\n联系方式\n杭州某某农业科技有限公司\n电话：\n0571-88886666\nQ Q：804710307\n"
                      "快速导航\n网站首页\n关于我们\n产品中心\n在线留言\n请输入关键词", CC_BODY),
    # what an article itself lists after its prose stays: code, a spec table, numbered steps
    "code": (f"{CC_BODY}\ndocker run -d --name web \\\n-p 8080:80 \\\nnginx:latest\ndocker logs web",
             f"{CC_BODY}\ndocker run -d --name web \\\n-p 8080:80 \\\nnginx:latest\ndocker logs web"),
    "specs": (f"{CC_BODY}\n额定载重 6吨\n最大马力 165马力\n排放标准 国五\n驱动形式 4X2",
              f"{CC_BODY}\n额定载重 6吨\n最大马力 165马力\n排放标准 国五\n驱动形式 4X2"),
    "steps": (f"{CC_BODY}\n上一篇：夏季防暑指南\n（1）与相关部门沟通\n（2）跟踪会议纪要的执行\n（3）参与大项目策划\n（4）拜访重要客户",
              f"{CC_BODY}\n（1）与相关部门沟通\n（2）跟踪会议纪要的执行\n（3）参与大项目策划\n（4）拜访重要客户"),
    # dialogue in short lines is prose; a body without stops above a frame line is not a menu
    "dialogue": (f"第三章 回家\n“你回来了？”\n“回来了。”\n{BODY}\n他点点头。\n“明天再说吧。”",
                 f"“你回来了？”\n“回来了。”\n{BODY}\n他点点头。\n“明天再说吧。”"),
}


@pytest.mark.parametrize("name", CC_PAGES)
def test_block_context_around_the_body(name):
    text, want = CC_PAGES[name]
    doc = clean(text)
    assert doc.text == want  # a page with no title gives its first line to the title column when shaped like one
    assert clean(doc.text, doc.title).text == doc.text  # a second pass agrees


CONTACT_PAGE = ("杭州某某农业科技有限公司\n销售热线：0571-88886666\n传 真：0571-88886667\n"
                "地址：杭州市西湖区文三路100号\n邮箱：sales@example.com\nQ Q：804710307")


@pytest.mark.parametrize("text, want", [
    (CONTACT_PAGE, CONTACT_PAGE),  # the page is its contact details: nothing else to keep
    (f"欢迎来电咨询。\n{CONTACT_PAGE}", f"欢迎来电咨询。\n{CONTACT_PAGE}"),  # one polite line is no body of its own
    (f"{CC_BODY}\n{CONTACT_PAGE}", CC_BODY),  # after a body of prose, the company's card is the frame
    (f"{CONTACT_PAGE}\n{CC_BODY}", CC_BODY),  # so it is above it
])
def test_contact_details_go_only_around_a_body_of_prose(text, want):
    doc = clean(text, "联系我们_杭州某某农业科技有限公司")
    assert doc.text == want
    assert clean(doc.text, doc.title).text == doc.text


def test_the_headline_above_the_body_still_names_the_page():
    doc = clean(CC_PAGES["news"][0])
    assert doc.title == "春耕时节走访村庄"


SHORT = st.text(CJK, min_size=2, max_size=12)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(LINE, SHORT), min_size=1, max_size=14))
def test_block_rules_never_remove_a_sentence(lines):
    doc = clean("\n".join(lines))
    blocks = [r["text"] for r in doc.removed if r["rule"] in ("head_block", "tail_block", "nav_line")]
    assert not any(t.endswith("。") for t in blocks)


# A forum thread (the HTML reader marks it ``meta["thread"]``): short replies without stops are body, not
# a list of other pages' headlines under the article.
THREAD = ["小林 发布于 2021-12-30 19:24:15 管理 又要放假了 元旦要来啦！！！ 提前祝大家元旦快乐！！！ 放假 放假 放假！！！ "
          "交流 5 浏览 (640) 点赞 (5) 收藏",
          "可以的 好好休息开开心心过年 年后继续努力", "元旦快乐！", "新年快乐",
          "我是年前彻底放假了，公司项目结束，一点补偿都没有；年前不找了，过了年再找吧",
          "这放假方式有点奇特啊", "羡慕！！！", "我们放一天上一天再放一天", "我已经放假了， 哈哈哈"]


def test_a_threads_short_replies_stay():
    doc = Document(id="t", source="t", text="\n".join(THREAD), title="又要放假了", meta={"thread": True})
    B.apply(doc, B.Config(), StepStats())
    assert doc.text.split("\n") == THREAD


HEADLINE_VERB = [
    # the report's headline with its verb goes as the headline; the deck under it is the body's (the gold keeps it)
    ("全省春耕生产现场会强调\n抓紧抓实春耕备耕\n{p1}\n{p2}", "全省春耕生产现场会", ["全省春耕生产现场会强调"]),
    # more than a verb added: another line
    ("全省春耕生产现场会今天在某县召开\n{p1}\n{p2}", "全省春耕生产现场会", []),
]


@pytest.mark.parametrize("text, title, gone", HEADLINE_VERB)
def test_a_headline_with_the_verb_of_the_report_is_the_headline(text, title, gone):
    p1 = "记者从市农业农村局了解到，今年全市春播面积预计达到一百二十万亩，各地正抓住晴好天气抢墒播种。"
    p2 = "在城郊的一处育秧工厂里，工人们正忙着把秧盘搬上流水线，机器轰鸣声此起彼伏。"
    doc = Document(id="t", source="t", text=text.format(p1=p1, p2=p2), title=title)
    B.apply(doc, B.Config(), StepStats())
    assert [r["text"] for r in doc.removed if r["rule"] == "headline_line"] == gone
    assert p1 in doc.text and p2 in doc.text


# Families found on CommonCrawl pages of unseen sites: (page, the lines that must go, the lines that must stay).
P2 = "镇上的集市每逢农历初一十五开张，卖菜的、修鞋的、说书的把整条老街挤得满满当当。"
UNSEEN_FAMILIES = [
    # a blog's comment section: a count heading, then comments under a name and a time
    (f"{BODY}\n{P2}\n3条评论\n小林 2021-05-06 10:12\n写得真好，我家乡也是这样。\n回复\n老周 2021-05-06 11:40\n插秧的季节最忙了。\n回复",
     ["3条评论", "小林 2021-05-06 10:12", "插秧的季节最忙了。"], [BODY, P2]),
    (f"{BODY}\n{P2}\n12 comments:\nEve 5:31 PM\nLovely photos, thank you!\nReplyDelete\nSam Lee 6:02 PM\nWhat a trip.\nReply",
     ["12 comments:", "Eve 5:31 PM", "What a trip."], [BODY, P2]),
    # a count heading with no comment under it is a heading of the article's
    (f"{BODY}\n3条评论\n读者的意见集中在三个方面。\n一是价格，二是交通，三是服务。", [], ["3条评论", "读者的意见集中在三个方面。"]),
    # a dump of brand and model names over the headline
    (" ".join(["Acme P 200 HMW", "絮凝剂", "Flocmax® 8165", "FX 4240 SSH", "聚合氯化铝"] * 10) + f"\n{BODY}\n{P2}",
     ["Acme P 200 HMW"], [BODY, P2]),
    # a WeChat account's reply menu, a line of decoration
    (f"{BODY}\n🌸🌸🌸🌸🌸\n{P2}\n回复【电子书】获取全部资料\n回复“招聘”查看最新岗位",
     ["🌸🌸🌸🌸🌸", "回复【电子书】获取全部资料", "回复“招聘”查看最新岗位"], [BODY, P2]),
    (f"{BODY}\n🌸春天来了🌸\n{P2}\n他回复说查看了所有记录。", [], ["🌸春天来了🌸", "他回复说查看了所有记录。"]),
]


@pytest.mark.parametrize("text, gone, kept", UNSEEN_FAMILIES)
def test_families_of_unseen_sites(text, gone, kept):
    out = clean(text).text.split("\n")
    assert not [g for g in gone if any(g in line for line in out)]
    assert all(k in out for k in kept)
