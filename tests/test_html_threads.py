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
