"""HTML pages the extractor can read are never lost: table layouts, empty first passes, mixed encodings."""

from __future__ import annotations

import pytest

from flows.io import readers
from flows.io.decode import decode, decode_mixed
from flows.io.html import density_text, extract_html

PARAS = [
    "记者从市园林局了解到，今年一季度城区新增三处口袋公园，分别位于老城街道、滨江街道和高新区。",
    "这些公园面积都不大，最小的只有八百平方米，但配备了座椅、健身器材和儿童游乐设施，周边居民步行五分钟就能到达。",
    "园林局有关负责人介绍，今年全市计划建设二十处口袋公园，优先选择老旧小区密集、公共空间不足的片区，并邀请居民参与设计。",
]
NAV = "".join(f"<td><a href='/c{k}'>栏目{k}</a></td>" for k in range(8))


def table_page() -> str:
    """An old portal: the article is a table cell among navigation cells."""
    body = "".join(f"{p}<br><br>" for p in PARAS)
    return (f"<html><head><title>城区新增三处口袋公园_滨海新闻网</title></head><body>"
            f"<table><tr>{NAV}</tr></table><table><tr><td class='content'>{body}</td></tr></table>"
            f"<table><tr><td>版权所有 滨海新闻网</td></tr></table></body></html>")


def test_article_laid_out_in_a_table_is_extracted():
    text, meta = extract_html(table_page())
    assert text is not None
    for p in PARAS:
        assert p in text


def test_density_fallback_finds_the_block_with_most_non_link_text():
    html = ("<body><div>" + "".join(f"<a href='/{k}'>导航{k}</a>" for k in range(20)) + "</div>"
            "<div><p>" + "</p><p>".join(PARAS) + "</p></div></body>")
    assert density_text(html).split("\n") == PARAS


def test_images_keep_their_place_so_a_caption_has_its_anchor():
    html = ("<html><body><article><p>" + PARAS[0] + "</p><p><img src='http://a.cn/1.jpg' alt='公园'></p>"
            "<p>新建的口袋公园</p><p>" + PARAS[1] + "</p><p>" + PARAS[2] + "</p></article></body></html>")
    text, _ = extract_html(html)
    lines = text.split("\n")
    image = next(k for k, line in enumerate(lines) if line.startswith("!["))
    assert PARAS[0] in "\n".join(lines[:image]) and lines[image + 1] == "新建的口袋公园"


def with_extra(extra: str) -> str:
    """An article with ``extra`` after its first paragraph."""
    return ("<html><head><title>城区新增三处口袋公园</title></head><body><div class='main'><h1>城区新增三处口袋公园</h1>"
            f"<p>{PARAS[0]}</p>{extra}<p>{PARAS[1]}</p><p>{PARAS[2]}</p></div></body></html>")


@pytest.mark.parametrize("extra, gone, kept", [
    # a caption that repeats its image's alt text, on the image's line or under it: picture and caption go
    ("<p><img src='http://a.cn/1.jpg' alt='市民在新建的口袋公园里散步。（资料图）'>市民在新建的口袋公园里散步。（资料图）</p>",
     ["散步", "a.cn/1.jpg"], []),
    ("<p><img src='http://a.cn/1.jpg' alt='市民在新建的口袋公园里散步'></p><p>市民在新建的口袋公园里散步</p>",
     ["散步", "a.cn/1.jpg"], []),
    # text under an image that says more than its alt text is the article's, and the image stays its anchor
    ("<p><img src='http://a.cn/1.jpg' alt='口袋公园'></p><p>口袋公园开园第一周，周边小区的居民带着孩子前来游玩。</p>",
     [], ["口袋公园开园第一周", "a.cn/1.jpg"]),
    # two pictures in a row: only the one whose caption repeats its alt text goes
    ("<p><img src='http://a.cn/1.jpg' alt='南门公园'><img src='http://a.cn/2.jpg' alt='北门公园'>北门公园</p>",
     ["a.cn/2.jpg", "北门公园"], ["a.cn/1.jpg"]),
])
def test_captions_that_repeat_the_alt_text(extra, gone, kept):
    text, _ = extract_html(with_extra(extra))
    assert all(p in text for p in PARAS)
    assert not any(g in text for g in gone)
    assert all(k in text for k in kept)


@pytest.mark.parametrize("icon", [
    "<img src='/sign/g4.png' width='22' height='22' alt='G4'>",  # a road sign
    "<a href='/wiki/File:G4.svg'><img src='/sign/g4.svg.png' width='37px' height='22'></a>",  # linked, in px
    "<img src='/smilies/smile.gif' width='20' height='20' alt=':)'>",  # an emoticon in a post
])
def test_a_sentence_with_icons_in_it_stays_one_line(icon):
    sentence = f"新区规划的高速公路网中，纵向为{icon}京港澳高速、{icon}大广高速和{icon}京雄高速，横向三条。"
    html = ("<html><body><article><p>" + PARAS[0] + "</p><p>" + sentence + "</p><p>" + PARAS[1] + "</p>"
            "<p>" + PARAS[2] + "</p></article></body></html>")
    text, _ = extract_html(html)
    assert "新区规划的高速公路网中，纵向为" in text and "![" not in text
    line = next(line for line in text.split("\n") if "纵向为" in line)
    assert "大广高速" in line and line.endswith("横向三条。")


# --- mixed encodings ---------------------------------------------------------------------------------
def mixed_page() -> bytes:
    """A UTF-8 template around a GBK article, with one stray byte."""
    head = "<html><head><meta charset='utf-8'><title>城区新增口袋公园</title></head><body><article>".encode()
    body = "".join(f"<p>{p}</p>" for p in PARAS).encode("gbk")
    return head + body + b"<p>\xff</p>" + "<p>滨海新闻网</p></article></body></html>".encode()


def test_mixed_encoding_bytes_decode_lossily_instead_of_failing():
    text, encoding = decode(mixed_page())
    assert encoding == "mixed"
    assert all(p in text for p in PARAS) and "滨海新闻网" in text
    assert text.count("\ufffd") == 1


@pytest.mark.parametrize("data, want", [
    ("新闻：".encode() + "台风登陆。".encode("gbk"), "新闻：台风登陆。"),  # 台 in GBK is valid UTF-8 too
    ("臺灣".encode("big5") + "。".encode(), "臺灣。"),
    (b"abc\xff", "abc\ufffd"),
])
def test_decode_mixed_reads_each_run_in_the_encoding_that_fits(data, want):
    fallback = "big5hkscs" if "臺" in want else "gb18030"
    assert decode_mixed(data, fallback) == want


def test_reader_keeps_a_mixed_encoding_page_and_the_unicode_step_counts_its_fffd(tmp_path):
    from transforms import unicode
    from transforms.document import StepStats

    path = tmp_path / "mixed.html"
    path.write_bytes(mixed_page())
    docs = list(readers.read_file(str(path), "mixed.html"))
    assert len(docs) == 1 and not isinstance(docs[0], readers.Errored)
    doc = docs[0]
    assert doc.meta["encoding"] == "mixed"
    unicode.apply(doc, unicode.Config(), StepStats())
    assert doc.columns["n_fffd"] >= 0
    assert all(p in doc.text for p in PARAS)


# --- forum threads -----------------------------------------------------------------------------------
POST = "家里的路由器这几天老是断网，重启也没用，有没有懂的朋友帮忙看看？"
REPLIES = [
    "我家也是这个型号，用了三年没出过问题，建议先检查一下电源适配器是不是松了。",
    "楼上说得对，我之前也遇到过，换了一根线就好了，别急着送修。",
    "同样的情况，售后说是主板的问题，保修期内免费换了，楼主可以打电话问问。",
]


class _Found:
    def __init__(self, text: str, comments: str = ""):
        self.text, self.comments = text, comments


def test_a_short_first_pass_takes_the_replies_of_the_thread(monkeypatch):
    from flows.io import html as H

    monkeypatch.setattr(H, "_extract", lambda *a, **k: _Found(POST, "\n".join([REPLIES[0], *REPLIES])))
    assert H._thread("<html></html>", None, POST) == ("\n".join([POST, *REPLIES]), True)  # each reply once


def test_posts_the_comments_pass_finds_in_its_text_join_a_short_frame(monkeypatch):
    from flows.io import html as H

    # the first pass read the page's frame and the first post only
    frame = "\n".join(["广场", "话题", "登录", "注册", POST, "热门话题：区块链、比特币、数字货币、元宇宙、以太坊、设计素材、去中心化金融",
                       "© 2023 某某网 沪ICP备2020036525号"])
    monkeypatch.setattr(H, "_extract", lambda *a, **k: _Found("\n".join([POST, *REPLIES])))
    assert H._thread("<html></html>", None, frame) == ("\n".join([frame, *REPLIES]), True)


def test_a_thread_the_comments_pass_reads_whole_replaces_a_stray_block(monkeypatch):
    from flows.io import html as H

    monkeypatch.setattr(H, "_extract", lambda *a, **k: _Found("\n".join([POST, *REPLIES])))
    assert H._thread("<html></html>", None, "楼主 发表于 2023-05-01") == ("\n".join([POST, *REPLIES]), False)


def test_a_thread_whose_replies_were_added_is_marked(monkeypatch):
    from flows.io import html as H

    post = "\n".join([POST, REPLIES[0], REPLIES[2]])  # a first pass of 100 to 400 characters
    short = ["元旦快乐", "这放假方式有点奇特啊", "我们放一天上一天再放一天", "羡慕", "提前祝大家元旦快乐",
             "我已经放假了 哈哈哈", "可以的 好好休息开开心心过年 年后继续努力"]
    monkeypatch.setattr(H, "_extract", lambda *a, **k: _Found(post, "\n".join(short)))
    text, meta = H.extract_html(f"<html><body><p>{POST}</p></body></html>")
    assert meta.get("thread") is True and text == "\n".join([post, *short])


def test_a_news_page_keeps_its_article_without_the_reader_comments():
    comments = "".join(f"<div class='comment'><p>{r}</p></div>" for r in REPLIES)
    html = ("<html><body><article>" + "".join(f"<p>{p}</p>" for p in PARAS * 2) + "</article>"
            f"<div id='comments' class='comments'>{comments}</div></body></html>")
    text, _ = extract_html(html)
    assert all(p in text for p in PARAS) and not any(r in text for r in REPLIES)


# --- titles ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "head, body, want",
    [
        # og:title cut short by an unescaped quote: the headline it begins is the title
        ('<title>男孩写"救命"纸团抛出窗外_某某新闻</title><meta property="og:title" content="男孩写">',
         '<h2>大家都爱看</h2><h1>男孩写"救命"纸团抛出窗外</h1>', '男孩写"救命"纸团抛出窗外'),
        # no og:title: the h2 the <title> holds, not the h1 that names the site
        ("<title>山西品牌丝路行正式启动 - 省政府门户网站</title>", "<h1>省人民政府网站</h1><h2>山西品牌丝路行正式启动</h2>",
         "山西品牌丝路行正式启动"),
        # a sidebar heading the <title> does not hold is no title
        ("<title>日本最后一家传呼机公司停止服务</title>", "<h2>作者最新文章：开发者重做召唤师峡谷</h2>",
         "日本最后一家传呼机公司停止服务"),
        # og:title trusted first
        ('<title>台风登陆_新浪网</title><meta property="og:title" content="台风今晨登陆广东">', "<h1>台风登陆</h1>",
         "台风今晨登陆广东"),
    ],
)
def test_page_title_order_of_trust(head, body, want):
    from flows.io.html import page_title

    assert page_title(f"<html><head>{head}</head><body>{body}</body></html>") == want


ARTICLE = "<article>" + "<p>台风今晨在广东沿海登陆，多地停课，沿海渔船全部回港避风，各地启动防汛应急响应。</p>" * 3 + "</article>"


@pytest.mark.parametrize("head, want", [
    # a script's page-address variable
    ("<script>var page = {article_url: 'http://news.example.cn/a/20161014/006270.htm'};</script>",
     "http://news.example.cn/a/20161014/006270.htm"),
    # the address a login link hands on, percent-encoded
    ("<a href='http://home.example.cn/register.php?callback=http%3A%2F%2Fnews.example.cn%2F2017-03%2F10%2Fcontent_239.htm'>"
     "注册</a>", "http://news.example.cn/2017-03/10/content_239.htm"),
    # a site's front page is no page's address
    ("<a href='http://share.example.com/s.php?url=http://www.example.cn/'>分享</a>", None),
    # a canonical link beats them all
    ("<link rel='canonical' href='http://news.example.cn/c/1.html'>"
     "<a href='http://share.example.com/s.php?url=http://news.example.cn/x/20161014/1.htm'>分享</a>",
     "http://news.example.cn/c/1.html"),
])
def test_a_page_without_canonical_link_names_its_address_in_share_login_and_script(head, want):
    _, meta = extract_html(f"<html><head><title>台风登陆</title>{head}</head><body>{ARTICLE}</body></html>")
    assert meta.get("url") == want


# --- lists of other pages: headline links and teasers go by their structure ------------------------------
OTHERS = [("城南旧改项目完成首批签约", "首批三百余户居民签约，项目计划年内开工，预计三年建成。"),
          ("地铁五号线南延段开通试运营", "南延段全长八公里，设站六座，早晚高峰发车间隔五分钟。"),
          ("市图书馆夜间开放时间延长", "自下月起，市图书馆周五和周六晚间延长开放至十点。"),
          ("两条公交线路调整走向", "因道路施工，两条公交线路临时绕行，途经站点有所调整。")]


def article(extra: str, inside: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in PARAS)
    return (f"<html><head><title>城区新增三处口袋公园</title></head><body><div class='main'><h1>城区新增三处口袋公园</h1>"
            f"{body}{inside}</div>{extra}</body></html>")


def teasers(head: str = "h3") -> str:
    return "<ul class='feed'>" + "".join(
        f"<li class='item'><{head}><a href='/news/2024/{k}.html'>{t}</a></{head}><p>{s}</p></li>"
        for k, (t, s) in enumerate(OTHERS)) + "</ul>"


def linked_teasers() -> str:
    """Teasers without headings: a link on a line of its own, then the summary with a more-link."""
    return "<div class='box'>" + "".join(
        f"<div class='row'><a href='/news/2024/{k}.html'><font>{t}</font></a><p>{s}<a href='/news/2024/{k}.html'>"
        f"【详细】</a></p></div>" for k, (t, s) in enumerate(OTHERS)) + "</div>"


def headline_links() -> str:
    return "<div class='side'><ul>" + "".join(
        f"<li><span>2024-05-0{k}</span><a href='/news/2024/{k}.html'>{t}</a></li>" for k, (t, _) in enumerate(OTHERS)
    ) + "</ul></div>"


@pytest.mark.parametrize("extra, inside, gone", [
    (teasers("h3"), "", [s for _, s in OTHERS]),
    (teasers("h4"), "", [s for _, s in OTHERS]),
    ("", linked_teasers(), [s for _, s in OTHERS]),
    ("", headline_links(), [t for t, _ in OTHERS]),  # a list inside the article's frame, which the extractor keeps
])
def test_lists_of_other_pages_leave_the_article(extra, inside, gone):
    text, _ = extract_html(article(extra, inside))
    assert all(p in text for p in PARAS)
    assert not any(g in text for g in gone)


ANCHORED = "<ul>" + "".join(f"<li><a href='#s{k}'>{t}</a></li>" for k, (t, _) in enumerate(OTHERS)) + "</ul>"
INLINE = "<ul>" + "".join(f"<li>据报道，<a href='/n/{k}.html'>{t}</a>，{s}</li>" for k, (t, s) in enumerate(OTHERS)) + "</ul>"
HASHTAGS = "<p>" + "".join(f"<a href='/tag/{k}'>#{t}#</a> " for k, (t, _) in enumerate(OTHERS)) + "</p>"
POSTERS = "".join(f"<div class='reply'><a href='/u/{k}'>山城小刀{k}</a><p>{s}</p></div>" for k, (_, s) in enumerate(OTHERS))
TWO = "<ul>" + "".join(f"<li><h3><a href='/n/{k}.html'>{t}</a></h3><p>{s}</p></li>" for k, (t, s) in enumerate(OTHERS[:2])) + "</ul>"


@pytest.mark.parametrize("extra, kept", [
    (ANCHORED, None),  # a contents list links inside the page: not a list of other pages
    (INLINE, [s for _, s in OTHERS]),  # links inside sentences: the items are text
    (HASHTAGS, None),  # a post's hashtags are inline links, not items
    (TWO, [s for _, s in OTHERS[:2]]),  # two items are no list
    (POSTERS, [s for _, s in OTHERS]),  # a thread's replies: a poster's name is no headline
])
def test_links_that_are_text_stay(extra, kept):
    from flows.io.html import listed_lines, _parse

    page = article(f"<div class='post'>{extra}</div>")
    assert not listed_lines(_parse(page))
    if kept:
        text, _ = extract_html(page)
        assert all(k in text for k in kept)


def test_a_page_made_of_teasers_is_kept_whole_for_the_list_page_check():
    text, _ = extract_html(f"<html><head><title>要闻</title></head><body>{teasers()}{teasers('h2')}</body></html>")
    assert text and any(s in text for _, s in OTHERS)


# --- lines after the article, and the next article a site appends ------------------------------------------------
def thumbs() -> str:
    """Headline links with a thumbnail, the date and the channel: the extractor gives each item on one line."""
    return "<div class='side'><ul>" + "".join(
        f"<li class='pic'><a href='/news/2024/{k}.html'><img src='/img/{k}.jpg'></a><div><h4><a href='/news/2024/{k}.html'>"
        f"{t}</a></h4><span>2024-05-0{k} 10:2{k}</span><em>本地</em></div></li>" for k, (t, _) in enumerate(OTHERS)) + "</ul></div>"


AFTER_MAIN = [
    # previous and next links, a follow box, a browser notice: outside the article's block, below it, no sentence
    ("<div class='switch'><h5>上一篇与下一篇</h5><p><a href='/p/1.html'>春季赏花好去处</a></p>"
     "<p><a href='/p/3.html'>老街改造进入收尾</a></p></div><div class='tips'><p>您当前使用的浏览器版本过低，建议升级浏览器</p>"
     "<p><a href='/dl'>下载</a></p></div>", ["上一篇与下一篇", "春季赏花好去处", "您当前使用的浏览器版本过低", "下载"], []),
    # a sentence below the article stays, and so does a heading over its paragraph
    ("<div class='more'><h3>记者手记</h3><p>走访中，不少老人告诉记者，家门口多了一块绿地，每天傍晚都会下楼走一走，"
     "邻里之间也比以前熟络多了。</p><p>扫码关注</p></div>", ["扫码关注"], ["记者手记", "走访中，不少老人告诉记者"]),
]
MORE = ["据了解，口袋公园的选址经过了多轮意见征集，居民提出的增设遮阳棚、夜间照明等建议大多被采纳。",
        "下一步，园林部门还将联合街道和社区，建立口袋公园日常管护机制，确保公园建得好、管得好、用得好。"]


@pytest.mark.parametrize("extra, gone, kept", AFTER_MAIN)
def test_lines_below_the_article_from_outside_its_block(extra, gone, kept):
    from flows.io.html import _block_text, _parse, drop_after_main

    root = _parse(article(extra, "".join(f"<p>{p}</p>" for p in MORE)))
    text = drop_after_main(_block_text(root.find("body")), root)  # whatever the extractor took of the page
    assert all(p in text for p in PARAS + MORE)
    assert not any(g in text for g in gone)
    assert all(k in text for k in kept)


def test_a_page_too_big_to_search_for_its_block_keeps_its_lines(monkeypatch):
    from flows.io import html
    from flows.io.html import _block_text, _parse, drop_after_main

    root = _parse(article(AFTER_MAIN[0][0], "".join(f"<p>{p}</p>" for p in MORE)))
    text = _block_text(root.find("body"))
    assert drop_after_main(text, root) != text
    monkeypatch.setattr(html, "MAIN_WORK", 10)  # blocks x lines past the budget: no search, nothing goes
    assert drop_after_main(text, root) == text


def test_thumbnail_lists_go_with_their_images_dates_and_channels():
    text, _ = extract_html(article(thumbs()))
    assert all(p in text for p in PARAS)
    assert not any(t in text for t, _ in OTHERS)


NEXT_STORY = ["这组照片拍于上世纪三十年代，记录了旧城的街巷、店铺和行人，如今大多已经不在，只留在了老人们的记忆里。",
              "照片的收藏者说，他花了二十年时间，才从各地的旧货市场里把这些底片一张一张找回来。"]


def feed_page(second_head: str = "h1", second_class: str = "t") -> str:
    """A news site that loads the next story under the page's own, in the same template."""
    body = "".join(f"<p>{p}</p>" for p in PARAS)
    other = "".join(f"<p>{p}</p>" for p in NEXT_STORY)
    return (f"<html><head><title>城区新增三处口袋公园_滨海新闻</title></head><body><div class='detail'>"
            f"<div class='story'><h1 class='t'>城区新增三处口袋公园</h1>{body}</div>"
            f"<div class='story next'><{second_head} class='{second_class}'>老照片里的旧城</{second_head}>{other}</div>"
            f"</div></body></html>")


def test_the_next_story_a_site_appends_leaves_the_page():
    text, meta = extract_html(feed_page())
    assert all(p in text for p in PARAS)
    assert not any(p in text for p in NEXT_STORY + ["老照片里的旧城"])


@pytest.mark.parametrize("page", [
    feed_page("h2", "sub"),  # a heading of another kind: the page's own section, as far as the structure tells
    # section headings of the same kind inside the article: the headline has no block of its own
    article("", "<h1>第二部分</h1>" + "".join(f"<p>{p}</p>" for p in NEXT_STORY)),
])
def test_sections_of_the_article_stay(page):
    text, _ = extract_html(page)
    assert all(p in text for p in PARAS + NEXT_STORY)


def test_an_image_whose_alt_text_breaks_lines_stays_one_image_line():
    from flows.io.html import one_line_images

    text = one_line_images("正文。\n![致敬改革开放\n文艺星青年|汉语盘点](/img/1.png) 致敬改革开放")
    assert text.split("\n")[1].startswith("![致敬改革开放 文艺星青年")


LD = ('<script type="application/ld+json">{{"@context": "https://schema.org", "@graph": ['
      '{{"@type": "WebSite", "url": "https://www.example.cn/"}}, {{"@type": "{kind}", {where}}}]}}</script>')


@pytest.mark.parametrize("ld, url", [
    # the article object's own address, in each of the places schema.org puts it
    (LD.format(kind="NewsArticle", where='"url": "https://www.example.cn/politics/2019_09_09_517162.shtml"'),
     "https://www.example.cn/politics/2019_09_09_517162.shtml"),
    (LD.format(kind="BlogPosting", where='"mainEntityOfPage": {"@id": "https://blog.example.cn/p/2740.html"}'),
     "https://blog.example.cn/p/2740.html"),
    (LD.format(kind="QAPage", where='"@id": "http://bbs.example.cn/d/15648 "'), "http://bbs.example.cn/d/15648"),
    # the site's or its publisher's address is not the page's; nor is a block that does not parse
    (LD.format(kind="Organization", where='"url": "https://www.example.cn/about"'), None),
    ('<script type="application/ld+json">{"@type": "NewsArticle", "url": </script>', None),
])
def test_a_page_with_no_canonical_link_takes_its_address_from_json_ld(ld, url):
    body = "".join(f"<p>{p}</p>" for p in PARAS)
    _, meta = extract_html(f"<html><head><title>口袋公园</title>{ld}</head><body><article>{body}</article></body></html>")
    assert meta.get("url") == url
