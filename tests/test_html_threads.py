"""Threads from any software, found by structure (sibling post blocks shaped alike, each with its date), and the
furniture of article pages found by layout. Invented pages only: no site's class names or wording."""

from __future__ import annotations

import pytest

from flows.io.html import _parse, extract_html, thread_posts, with_replies

QUESTION = ("想在家里的旧电脑上装一个软路由，网卡是两个千兆口，内存四个G，不知道装哪个系统比较合适？"
            "之前试过一个，开机以后网页一直打不开，折腾了一个晚上也没找到原因，求各位指点一下。")
REPLIES = ["四个G内存绰绰有余了，装个常见的开源系统就行，网页打不开多半是网卡的驱动没有装上。",
           "先看看两个网口哪个是入口哪个是出口，我第一次装的时候也是接反了，换一下网线就好了。",
           "同意楼上，另外记得把电脑的节能选项关掉，不然半夜会自己休眠，家里就断网了，这个坑我踩过两次。"]
MENU = ("<div class='top'><a href='/'>社区首页</a> <a href='/hot'>热门</a> <a href='/new'>最新</a>"
        " <a href='/login'>登录</a> <a href='/reg'>注册</a></div>")


def reply(k: int, text: str, tag: str = "div", cls: str = "item-x") -> str:
    """A reply in a template no board software names: the poster (a link), the date, the text, the buttons."""
    return (f"<{tag} class='{cls}'><div class='hd'><a href='/u/{k}'>路过的网友{k}</a>"
            f"<span> 2024-03-0{k} 21:1{k}</span><span>#{k + 1}</span></div>"
            f"<div class='bd'><p>{text}</p></div><div class='ft'><a href='#'>回复</a> <a href='#'>赞 {k * 3}</a></div>"
            f"</{tag}>")


def thread(*replies: str, tag: str = "div") -> str:
    return (f"<html><head><title>旧电脑装软路由求助</title></head><body>{MENU}<div class='main'>"
            f"<h1>旧电脑装软路由求助</h1><div class='topic'><p>{QUESTION}</p></div>"
            f"<div class='replies'>{''.join(reply(k, r, tag) for k, r in enumerate(replies, 1))}</div></div>"
            "<div class='foot'>关于我们 | 联系方式 | 隐私政策</div></body></html>")


@pytest.mark.parametrize("tag", ["div", "li", "section"])
def test_a_thread_of_three_posts_in_any_template_keeps_every_reply_without_its_poster_lines(tag):
    page = thread(*REPLIES, tag=tag).replace("<div class='replies'>", "<ul class='replies'>" if tag == "li"
                                             else "<div class='replies'>")
    text, meta = extract_html(page)
    assert QUESTION in text and all(r in text for r in REPLIES)
    assert meta.get("thread") is True
    for furniture in ("路过的网友", "2024-03-0", "赞 3", "社区首页"):
        assert furniture not in text


@pytest.mark.parametrize("page, want", [
    # posts: the poster's name (a link), the date line, the buttons every post repeats (their counts differ) go
    (thread(*REPLIES), REPLIES),
    # a list of other pages with dates is no thread: each item is a headline link
    ("<body><ul>" + "".join(f"<li class='n'><a href='/n/{k}.html'>第{k}条其他新闻的标题很长</a> 2024-03-0{k}</li>"
                            for k in range(1, 5)) + "</ul></body>", []),
    # blocks without a date on each are no thread (an article's sections)
    ("<body>" + "".join(f"<div class='sec'><p>{r}</p></div>" for r in REPLIES) + "</body>", []),
    # two dated blocks are not enough
    (thread(*REPLIES[:2]), []),
])
def test_thread_posts(page, want):
    assert thread_posts(_parse(page)) == want


def test_a_news_article_keeps_its_few_reader_comments_out():
    paras = "".join(f"<p>{QUESTION}{k}</p>" for k in range(6))
    page = (f"<html><body><article><h1>旧电脑再利用</h1>{paras}</article><div class='cmt'>"
            + "".join(reply(k, f"说得好{k}。") for k in range(1, 4)) + "</div></body></html>")
    text, meta = extract_html(page)
    assert QUESTION in text and "说得好" not in text and not meta.get("thread")


@pytest.mark.parametrize("retold, gone", [
    # the comments pass read each reply's card as one line: the poster's name and handle, then the reply
    ([f"- 路过的网友{k} @wangyou{k}{r}" for k, r in enumerate(REPLIES, 1)], True),
    # cut short, as a card's preview is
    ([f"路过的网友{k}：{r[:25]}" for k, r in enumerate(REPLIES, 1)], True),
    # the reply with its card's buttons after it
    ([f"路过的网友{k}{r}回复 赞{k}" for k, r in enumerate(REPLIES, 1)], True),
    # a line that quotes the start of a reply in a sentence of its own is no card
    (["我在另一个帖子里看到过类似的说法，" + REPLIES[0][:12] + "，后来证明并不对。"], False),
])
def test_a_reply_the_text_holds_again_with_its_posters_name_is_kept_once(retold, gone):
    text, meta = with_replies("\n".join([QUESTION, *retold]), {}, _parse(thread(*REPLIES)))
    assert meta.get("thread") is True
    assert all(text.count(r) == 1 for r in REPLIES)
    assert all((line in text) is not gone for line in retold)


def test_the_search_for_posts_has_a_work_budget(monkeypatch):
    from flows.io import html

    root = _parse(thread(*REPLIES))
    monkeypatch.setattr(html, "POST_WORK", 10)  # characters read past the budget: no thread, the page as it is
    assert thread_posts(root) == []


# --- link blocks below an article --------------------------------------------------------------------------------
PARAS = ["记者从市园林局了解到，今年一季度城区新增三处口袋公园，分别位于老城街道、滨江街道和高新区，周边居民步行五分钟就能到达。",
         "这些公园面积都不大，最小的只有八百平方米，但配备了座椅、健身器材和儿童游乐设施，开园第一周就接待了上万人次的市民。",
         "园林局有关负责人介绍，今年全市计划建设二十处口袋公园，优先选择老旧小区密集、公共空间不足的片区，并邀请居民参与设计。"]


def article_with(side: str, after: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in PARAS)
    return (f"<html><head><title>城区新增三处口袋公园</title></head><body><div class='wrap'><div class='art'>"
            f"<h1>城区新增三处口袋公园</h1>{body}</div><div class='box'>{side}</div>{after}</div></body></html>")


@pytest.mark.parametrize("side, after, gone, kept", [
    # a headline link with its thumbnail, twice (too few for a list): all links, below the last paragraph
    ("".join(f"<a href='/photo/{k}.html'><img src='/i/{k}.jpg' width='160' height='100'></a>"
             f"<h3><a href='/photo/{k}.html'>{t}</a></h3>" for k, t in enumerate(["老汉家藏祖传“大清银锭”", "挂在悬崖上的玻璃酒店"])),
     "<p>网友评论仅供其表达个人看法，并不代表本站立场。</p>", ["大清银锭", "玻璃酒店"], ["网友评论仅供"]),
    # a side column the extractor runs together on one line: headline links with their dates between them
    ("<p><a href='/n/1.html'>春季赏花的好去处都有哪些</a>2024-05-01<a href='/n/2.html'>老街改造工程进入收尾阶段</a>2024-05-02</p>",
     "", ["春季赏花的好去处"], []),
    # a headline link under a short label (推荐阅读：) is a link block too
    ("<p>推荐阅读：<a href='/n/5.html'>老街改造工程进入收尾阶段，月底通车</a></p>", "", ["老街改造"], []),
    # a label with a sentence of its own after the link stays
    ("<p>详见<a href='/n/6.html'>园林局关于口袋公园建设的通知</a>，市民可在各街道办事处领取纸质版本。</p>", "", [],
     ["市民可在各街道办事处领取"]),
    # a linked sentence below the article is text, and stays
    ("<p><a href='/n/3.html'>市民可以登录园林局网站查询各个口袋公园的位置和开放时间。</a></p>", "", [], ["市民可以登录园林局网站"]),
])
def test_link_blocks_below_the_article(side, after, gone, kept):
    text, _ = extract_html(article_with(side, after))
    assert all(p in text for p in PARAS)
    assert not any(g in text for g in gone)
    assert all(k in text for k in kept)


def test_a_link_block_with_furniture_below_it_is_left_to_the_boilerplate_step():
    from flows.io.html import _block_text, drop_link_tail

    root = _parse(article_with("<h3><a href='/n/4.html'>老街改造工程进入收尾阶段</a></h3>", "<p>笔名：</p>"))
    text = _block_text(root.find("body"))  # the step judges that block with its frame lines around it
    assert drop_link_tail(text, root) == text
    root = _parse(article_with("<h3><a href='/n/4.html'>老街改造工程进入收尾阶段</a></h3>"))
    assert "老街改造" not in drop_link_tail(_block_text(root.find("body")), root)


# --- pages of results -------------------------------------------------------------------------------------------
HITS = [("老城改造第一问：旧房子怎么修", "有居民说旧房子住着不方便，也有人舍不得街坊邻居，更舍不得巷口那家开了三十年的早点铺子……"),
        ("口袋公园建在哪里最合适", "园林部门的做法是先问居民，再看空地，小区门口和菜市场旁边往往是大家最想要的位置……"),
        ("社区食堂能不能长久办下去", "一份午饭十二块钱，老人吃得起，可房租和人工怎么算？几位店长给出的答案并不相同……"),
        ("加装电梯，一楼住户怎么办", "协商了三年的电梯终于开工，一楼的王阿姨说，她要的其实不是补偿，而是一句商量……"),
        ("老街的店铺为什么留不住人", "租金涨了两倍，客流却没有回来，几位老店主聊起这几年的变化，话里都是无奈……"),
        ("旧厂房改成书店之后", "开业第一个月几乎没有生意，店主把二楼改成自习室，学生来了，书也慢慢卖出去了……"),
        ("停车难，难在哪里", "晚上九点以后，小区里的每一条通道都停满了车，物业说车位只有住户数的一半……"),
        ("城中村的最后一个夏天", "拆迁通知贴出来的那天，村口的小卖部照常开门，老板说能多开一天是一天……"),
        ("菜市场改造前后", "地面干了，灯亮了，摊位整齐了，可有的老摊主却说，人情味好像少了一点……")]


def results_page(snippets: list[tuple[str, str]] = HITS) -> str:
    card = ("<div class='card'><h2><a href='/q/{k}'>{t}</a></h2><div class='snip'>{s}</div>"
            "<div class='act'><a href='#'>赞同 {k}</a> <a href='#'>评论</a></div></div>")
    first = card.format(k=0, t="老城改造怎么改", s="".join(f"<p>{p}</p>" for p in PARAS * 2))
    cards = "".join(card.format(k=k, t=t, s=s) for k, (t, s) in enumerate(snippets, 1))
    return (f"<html><head><title>老城改造 - 搜索结果</title></head><body>{MENU}<div class='results'>{first}{cards}</div>"
            "<div class='foot'>关于我们 | 联系方式</div></body></html>")


def test_a_search_page_with_one_hit_opened_reads_as_its_list_of_hits():
    text, meta = extract_html(results_page())
    assert meta.get("results")
    assert all(t in text and s in text for t, s in HITS)
    assert "老城改造怎么改" in text and PARAS[1] not in text  # the opened hit as the others show: its title


def test_the_list_page_check_rejects_a_search_page_with_one_hit_opened():
    from transforms import boilerplate as B
    from transforms import quality as Q
    from transforms.document import Document, StepStats

    text, meta = extract_html(results_page())
    doc = Document(id="t", source="t", text=text)
    B.apply(doc, B.Config(), StepStats())
    assert Q.is_list_page(doc, Q.Config())


def test_cards_with_whole_texts_are_replies_not_hits():
    text, meta = extract_html(results_page([(t, s.replace("……", "。")) for t, s in HITS]))
    assert not meta.get("results") and PARAS[1] in text


@pytest.mark.parametrize("side", [
    "".join(f"<li class='rel'><a href='/a/{k}'>{t}</a></li>" for k, (t, _) in enumerate(HITS)),  # related headlines
    "".join(f"<div class='rel'><a href='/a/{k}'>{t}</a><p>{s}</p></div>" for k, (t, s) in enumerate(HITS)),  # teasers
])
def test_an_article_over_a_list_of_other_pages_is_no_page_of_results(side):
    text, meta = extract_html(article_with(f"<ul>{side}</ul>"))
    assert not meta.get("results") and all(p in text for p in PARAS)
