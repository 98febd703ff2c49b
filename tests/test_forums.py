"""Forums and wikis: the board software's post containers give the thread, its furniture goes by class, and
the text rules take a thread's template lines while every reply's text stays. Invented pages only."""

from __future__ import annotations

import lxml.html
import pytest

from flows.io.html import extract_html, forum_posts, strip_furniture
from transforms import boilerplate as B
from transforms import boilerplate_rules as R
from transforms.document import Document, StepStats

POST1 = "周末带孩子去爬了香山，红叶正好，就是人太多了。"
POST2 = "建议工作日去，早上七点前进园基本不用排队。"
POST3 = "顶一个，下周也打算去看看。"

MENU = ("<div id='hd'><a href='/'>论坛首页</a> <a href='/portal'>门户</a> <a href='/rank'>排行榜</a>"
        " <a href='/reg'>立即注册</a> <a href='/login'>登录</a></div>"
        "<div id='pt'><a href='/'>首页</a> › <a href='/f1'>户外活动</a> › 香山红叶</div>")
FOOT = "<div id='ft'>Powered by Discuz! X3.4 © 2001-2017 Comsenz Inc. 京ICP备12345678号</div>"


def discuz(*posts: str) -> str:
    """A Discuz! X thread: poster card (td.pls), post header (div.authi), post text (td.t_f), post bar (div.po)."""
    rows = "".join(
        f"<div id='post_{k}'><table id='pid{k}'><tr><td class='pls'><div class='authi'><a>山城小刀{k}</a></div>"
        f"<dl><dt>积分</dt><dd>{120 + k}</dd></dl></td><td class='plc'><div class='pi'><strong><a>{k}#</a></strong>"
        f"<div class='pti'><div class='authi'><em>发表于 2024-4-{k} 23:20</em> | <a>只看该作者</a></div></div></div>"
        f"<div class='pct'><div class='pcb'><div class='t_fsz'><table><tr><td class='t_f' id='postmessage_{k}'>"
        f"{p}<span style='display:none'>x7Kq2</span><font class='jammer'>9aZ</font></td></tr></table></div></div></div>"
        f"<div class='po hin'><a>回复</a> <a>引用</a> <a>举报</a></div></td></tr></table></div>"
        for k, p in enumerate(posts, 1))
    return (f"<html><head><title>香山红叶 - 户外活动 - 某某论坛</title></head><body>{MENU}"
            f"<h1><span id='thread_subject'>香山红叶</span></h1><div id='postlist'>{rows}</div>{FOOT}</body></html>")


BOARDS = {
    "discuz": discuz(POST1, POST2, POST3),
    "phpwind": ("<html><body>" + MENU + "<div class='readName'>山城小刀</div><div class='tipTop'>发表于 2024-4-5 楼主</div>"
                f"<div class='tpc_content'><div class='f14' id='read_tpc'>{POST1}</div></div>"
                f"<div class='readName'>老李</div><div class='tpc_content'><div class='f14' id='read_1'>{POST2}</div></div>"
                f"<div class='tpc_content'><div class='f14' id='read_2'>{POST3}</div></div>" + FOOT + "</body></html>"),
    "vbulletin": ("<html><body>" + MENU + f"<div class='postdetails'>山城小刀 2024-4-5</div><div id='post_message_101'>{POST1}</div>"
                  f"<div id='post_message_102'>{POST2}</div><div id='post_message_103'>{POST3}</div>" + FOOT + "</body></html>"),
    "tieba": ("<html><body>" + MENU + f"<div class='d_author'>山城小刀</div><div class='d_post_content j_d_post_content'>{POST1}</div>"
              f"<div class='d_post_content j_d_post_content'>{POST2}</div><div class='d_post_content j_d_post_content'>{POST3}</div>"
              "<div class='core_reply_tail'>1楼 2024-04-05 23:20</div>" + FOOT + "</body></html>"),
    "flarum": ("<html><body>" + MENU + "<div class='container'><h1>香山红叶</h1>"
               + "".join(f"<article><div><h3>山城小刀</h3></div><div class='Post-body'><p>{p}</p>"
                         "<script>window.hljsLoader && window.hljsLoader.highlightBlocks();</script></div></article>"
                         for p in (POST1, POST2, POST3))
               + f"<div class='Post-body'><p>{POST1}</p></div>"  # the first post again, in the app's payload: once
               + "</div>" + FOOT + "</body></html>"),
    "nodebb": ("<html><body>" + MENU + "".join(
        f"<li component='post'><a class='username'>山城小刀</a><span class='timeago'>2024-04-05</span>"
        f"<div class='content' component='post/content' itemprop='text'><p>{p}</p></div>"
        "<div component='post/tools'>回复 引用</div></li>" for p in (POST1, POST2, POST3)) + FOOT + "</body></html>"),
    "xenforo": ("<html><body>" + MENU + "".join(
        f"<article class='message'><h4 class='message-name'>山城小刀</h4><div class='message-content'>"
        f"<div class='bbWrapper'>{p}</div></div><footer>赞 回复 举报</footer></article>" for p in (POST1, POST2, POST3))
        + FOOT + "</body></html>"),
}


@pytest.mark.parametrize("board", BOARDS)
def test_a_board_thread_is_its_posts_and_nothing_else(board):
    assert forum_posts(strip_furniture(BOARDS[board])) == [POST1, POST2, POST3]
    text, meta = extract_html(BOARDS[board])
    assert text.split("\n") == [POST1, POST2, POST3]  # replies are body: each kept whole
    assert meta.get("thread") is True
    for furniture in ("论坛首页", "排行榜", "山城小刀", "发表于", "只看该作者", "举报", "Powered", "x7Kq2", "9aZ"):
        assert furniture not in text


@pytest.mark.parametrize("board", BOARDS)
def test_one_parsed_tree_serves_furniture_and_posts(board):
    from flows.io.html import _parse

    html = BOARDS[board].replace(POST2, POST2 + "<script>var hl = '代码高亮';</script>")
    root = _parse(html)
    assert forum_posts(strip_furniture(html, root), root) == [POST1, POST2, POST3]  # a post's script is not its text
    assert "代码高亮" in lxml.html.tostring(root, encoding="unicode")  # and asking for posts leaves the tree whole


def test_a_discuz_thread_keeps_its_title_in_the_column():
    _, meta = extract_html(discuz(POST1, POST2))
    assert meta["title"] == "香山红叶"


@pytest.mark.parametrize("html", [
    "<html><body><article><p>台风今晨在广东沿海登陆，多地停课。</p></article></body></html>",
    # a news page whose comment box happens to use a post-like id, but holds almost nothing: the extractor decides
    "<html><body><article><p>台风今晨在广东沿海登陆，多地停课，全省转移群众三万余人。</p></article>"
    "<div id='postmessage_1'>沙发</div></body></html>",
])
def test_pages_without_a_boards_posts_go_to_the_extractor(html):
    assert forum_posts(html) == []
    text, _ = extract_html(html)
    assert "台风今晨在广东沿海登陆" in text


WIKI = ("<html><head><title>某某古城 - 维基百科，自由的百科全书</title></head><body>"
        "<a class='mw-jump-link' href='#content'>跳转到内容</a><div id='toc'><ul><li>1 历史</li><li>2 地理</li></ul></div>"
        "<div class='mw-parser-output'><div class='hatnote'>关于与某某古城同名的其他地方，请见某某古城 (消歧义)。</div>"
        "<p>某某古城位于河北省中部，始建于宋代，是华北平原上保存最完整的古城之一，城墙周长约九公里。<sup class='reference'>[1]</sup></p>"
        "<h2><span class='mw-headline'>历史</span><span class='mw-editsection'><span class='mw-editsection-bracket'>[</span>"
        "<a>编辑</a><span class='mw-editsection-bracket'>]</span></span></h2>"
        "<p>明代重修城墙，增建瓮城四座，清代又在城内修建书院和文庙，至今仍有多处遗存可供参观。</p>"
        "<h2><span class='mw-headline'>参考资料</span></h2><div class='reflist'><ol class='references'><li>"
        "<span class='mw-cite-backlink'>^</span><span class='reference-text'>某某县志编委会. 某某县志. 1998.</span></li></ol></div>"
        "<table class='navbox'><tr><th>河北省历史文化名城</th><td>正定 · 邯郸 · 保定 · 承德 · 山海关</td></tr></table>"
        "</div><div id='catlinks'>分类：河北省古城 | 宋朝建筑</div></body></html>")


def test_a_wiki_page_loses_its_edit_links_boxes_notes_and_categories():  # its citation markers stay in the line
    text, _ = extract_html(WIKI)
    assert "始建于宋代" in text and "明代重修城墙" in text
    for furniture in ("[编辑]", "编辑", "跳转到内容", "消歧义", "县志编委会", "正定", "分类："):
        assert furniture not in text


LINKS = ("<h2><span class='mw-headline'>外部链接</span></h2><ul><li><a class='external text' href='http://www.example.cn/'>"
         "某某古城景区官方网站</a>（<a class='external text' href='https://web.archive.org/'>页面存档备份</a>）</li>"
         "<li><cite class='citation web'>李四. 古城墙修缮工程竣工. 某某日报. 2015-06-01.</cite></li></ul>")
SIGHTS = ("<h2><span class='mw-headline'>景点</span></h2><ul><li>南城门：明代瓮城，城楼于1998年按旧制重建，"
          "详见<a class='external text' href='http://www.example.cn/'>景区网站</a>。</li><li>文庙：清代书院旧址。</li></ul>")


@pytest.mark.parametrize("extra, gone, kept", [
    # reference entries and external links go, and so do the headings they leave empty
    (LINKS, ["外部链接", "官方网站", "页面存档", "古城墙修缮", "参考资料"], []),
    # a section's own list, with an outbound link inside a sentence, stays with its heading
    (SIGHTS, ["参考资料"], ["景点", "南城门", "文庙"]),
])
def test_a_wiki_pages_reference_lists_and_their_empty_headings_go(extra, gone, kept):
    text, _ = extract_html(WIKI.replace("<table class='navbox'>", extra + "<table class='navbox'>"))
    assert "始建于宋代" in text and "明代重修城墙" in text and "历史" in text
    assert not any(g in text for g in gone)
    assert all(k in text for k in kept)


def test_classes_of_one_software_are_not_asked_of_other_pages():
    page = "<html><body><div class='toc'>本文目录</div><div class='reference'>参考一下这家店的做法。</div></body></html>"
    assert strip_furniture(page) == page  # no MediaWiki marker: ``toc`` and ``reference`` mean nothing here


def _clean(text: str) -> str:
    doc = Document(id="t", source="t", text=text)
    B.apply(doc, B.Config(), StepStats())
    return doc.text


# A thread saved as text (CommonCrawl): the template lines go, every reply's text stays.
THREAD = "\n".join((
    "马上注册，结交更多好友，享用更多功能，让你轻松玩转社区。", "您需要 登录 才可以下载或查看，没有帐号？立即注册",
    "查看: 3481 | 回复: 12", "山城小刀 发表于 2024-4-5 23:20 | 只看该作者", "1#", POST1, "回复 引用 举报",
    "老李 发表于 2024-4-6 08:11", "2#", POST2, "支持(3) | 反对(0)", "阿强 发表于 2024-4-6 09:30", "#3", POST3,
    "使用道具 举报"))


def test_a_thread_saved_as_text_keeps_every_reply_and_drops_its_template():
    assert _clean(THREAD).split("\n") == [POST1, POST2, POST3]


@pytest.mark.parametrize("line, want", [
    ("山城小刀 发表于 2024-4-5 23:20", True),
    ("楼主 | 山城小刀 发表于 2024-4-5 23:20 | 只看该作者", True),
    ("12楼", True), ("#7", True), ("回复 | 引用 | 举报", True), ("查看：120 回复：3", True),
    ("发表于 2012-3-4 10:22:33 | 只看该作者 |倒序浏览 |阅读模式", True), ("回复 2# 老王", True),
    ("收藏0 支持0 反对0", True), ("TA的每日心情 开心 2019-3-4 10:22", True), ("[LV.5]常住居民I", True),
    ("主题 12 帖子 345 积分 678", True), ("积分", False), ("帖子里说的那家店我也去过，味道一般。", False),
    ("回复老王：你说的那家店我也去过。", False),
    ("这篇论文发表于 2019-3-1，当时并没有引起注意。", False),
    ("我家在12楼，电梯经常坏。", False), ("支持一下楼主，写得很用心。", False), ("顶", False), ("12", False),
])
def test_forum_template_lines(line, want):
    assert R.is_forum_meta(line) is want


@pytest.mark.parametrize("line, tail", [
    ("历史沿革[编辑]", "[编辑]"), ("地理環境 [編輯]", " [編輯]"), ("参考资料[编辑源代码]", "[编辑源代码]"),
    ("他把稿子交给了主任[编辑]。", ""), ("这一段由他写成。[编辑]", ""), ("历史沿革", ""),
    ("某某古城是华北平原上保存最完整的古城之一，城墙周长约九公里，始建于宋代[编辑]", ""),  # too long for a heading
])
def test_edit_link_only_at_a_headings_end(line, tail):
    assert R.edit_link(line) == tail


def test_a_board_sidebar_list_goes_under_its_heading():
    text = f"{POST1}\n{POST2}\n热门帖子\n周末去哪儿钓鱼好\n老房子翻新要注意什么\n二手电动车怎么挑"
    assert _clean(text).split("\n") == [POST1, POST2]


# A wiki page saved as text (CommonCrawl): skip links, notices, [编辑] tails and the navbox header go; the article stays.
WIKI_TEXT = "\n".join((
    "跳转到导航", "跳转到搜索", "此条目需要补充更多来源。", "某某古城位于河北省中部，始建于宋代，是华北平原上保存最完整的古城之一。",
    "历史[编辑]", "明代重修城墙，增建瓮城四座，清代又在城内修建书院和文庙，至今仍有多处遗存可供参观。", "查·论·编",
    "本页面最后修订于2024年1月1日 (星期一) 10:22。"))


def test_a_wiki_page_saved_as_text_keeps_its_article_and_headings():
    assert _clean(WIKI_TEXT).split("\n") == [
        "某某古城位于河北省中部，始建于宋代，是华北平原上保存最完整的古城之一。", "历史",
        "明代重修城墙，增建瓮城四座，清代又在城内修建书院和文庙，至今仍有多处遗存可供参观。"]
