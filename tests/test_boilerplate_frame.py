"""The frame of company, product and portal pages flattened to text (CommonCrawl): contact cards, inquiry forms,
sidebars of other products, 上一篇/下一篇 — decided by where they stand around the body, not by their words alone."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms import boilerplate as B
from transforms import boilerplate_rules as R
from transforms.document import Document, StepStats
from transforms.script import fold

P1 = "公司主要生产不锈钢保温杯和真空焖烧壶，产品远销欧美和东南亚二十多个国家和地区，年产量超过三百万只。"
P2 = "我们坚持用食品级原料，每一批产品出厂前都经过抽检，确保不含双酚A，用得放心。"
P3 = "保温杯适合上班族、学生和户外运动爱好者，冬天能保温十二个小时，夏天也能装冰水。"
BODY = f"{P1}\n{P2}"


def clean(text: str, title: str | None = None) -> Document:
    doc = Document(id="t", source="t", text=text, title=title)
    B.apply(doc, B.Config(), StepStats())
    return doc


@pytest.mark.parametrize("line", [
    "销售热线：0571-88886666", "联系电话：400-800-1234 传真：0571-88886667", "公司地址：宁波市鄞州区首南街道天童南路88号",
    "Email：sales@example.com", "邮箱：sales@example.com", "Q Q：804710307", "传 真：0571-88886667",
    "電 話：(02)2765-4066", "服务热线 400-800-1234", "联系人：王经理", "手机：13800138000", "电话：", "24小时热线：",
    "0571-88886666", "138 0013 8000", "sales@example.com", "www.example.com", "Tel: +86 21 8036 6608",
    "上海总部：静安区南京西路1266号恒隆广场2座", "版权投诉邮箱：tousu@example.com",
])
def test_contact_lines(line):
    assert R.is_contact(fold(line))


@pytest.mark.parametrize("line", [
    "他打电话：我马上就到，你们先吃饭吧。", "地址：不详", "家庭住址和电话号码都要填写清楚。", "2016-2017", "2022-06-27",
    "3.6、86621、64995", "价格：12800元", "公司电话：0571-88886666，工作日九点到五点有人接听，周末请留言。",
    "1500 x 1750 x 800 mm", "地址：佐敦地鐵站C2出口，逢星期四休息",
])
def test_not_contact_lines(line):
    assert not R.is_contact(fold(line))


HEADER = "欢迎访问宁波某某日用品有限公司官网！\n服务热线：400-800-1234\n网站首页\n关于我们\n产品中心\n新闻中心\n联系我们"
CARD = "联系方式\n宁波某某日用品有限公司\n电话：0574-88886666\n传真：0574-88886667\n邮箱：sales@example.com\n地址：宁波市鄞州区首南街道天童南路88号"
FORM = "在线留言\n您的姓名：\n联系电话：\n性别：\n男\n女\n留言内容：\n验证码：\n提交"
SIDEBAR = "推荐产品 MORE+\n304不锈钢真空保温杯\n儿童吸管保温杯\n大容量焖烧壶"
FOOTER = "Copyright © 2022 宁波某某日用品有限公司 版权所有\n浙ICP备12345678号"

PAGES = {
    # the whole frame of a company's product page around two paragraphs
    "product_page": (f"{HEADER}\n{BODY}\n上一篇：保温杯的正确清洗方法\n下一个：焖烧壶怎么用\n{SIDEBAR}\n{CARD}\n{FORM}\n{FOOTER}",
                     BODY),
    # a contact card alone at the foot of an article, no other frame below it
    "card_only": (f"{BODY}\n{CARD}", BODY),
    # Traditional script: the same decisions
    "traditional": (f"{P1}\n{P2}\n聯繫方式\n寧波某某日用品有限公司\n電話：0574-88886666\n傳真：0574-88886667\n"
                    "郵箱：sales@example.com", f"{P1}\n{P2}"),
    # a form alone after the body
    "form": (f"{BODY}\n{FORM}", BODY),
    # the contact page of a company: the details are the page
    "contact_page": (CARD.split("\n", 1)[1], CARD.split("\n", 1)[1]),
    # an event notice gives its own number between paragraphs, and again after the last: the article's, kept
    "notice": (f"{P1}\n报名电话：0574-88886666\n{P2}\n咨询电话：0574-88886667",
               f"{P1}\n报名电话：0574-88886666\n{P2}\n咨询电话：0574-88886667"),
    # a site's notice below its copyright reads as prose but is no body run: the reader's toolbar above it goes
    "notice_below_footer": (f"{BODY}\n{P3}\n加入书架 上一章 目录 下一章 错误举报\n目录\n设置\n阅读主题\n字体风格\n"
                            "雅黑 宋体 楷书\n字体大小\n小 适中 偏大 超大\n保存设置\n恢复默认\n"
                            "Copyright © 2019 某某小说网 版权所有\n本站小说均由网友上传，本站只提供阅读服务，不承担任何法律责任。若您认为本站内容侵犯了您的权益，请发邮件告知，我们核实后将在三个工作日内处理，敬请谅解。",
                            f"{BODY}\n{P3}\n本站小说均由网友上传，本站只提供阅读服务，不承担任何法律责任。若您认为本站内容侵犯了您的权益，请发邮件告知，我们核实后将在三个工作日内处理，敬请谅解。"),
    # a blog's sidebar: categories and archive months with their counts, each list with its heading
    "blog_sidebar": (f"{BODY}\n文章分类\n到处吃 (1438)\n自己煮 (82)\n旅游 (353)\n家有宝贝 (193)\n文章归档\n"
                     "2022 十一月 (22)\n2022 十月 (16)\n2022 九月 (20)\n2022 八月 (27)", BODY),
    # a board's message box above the thread
    "message_box": (f"私人消息 (0)\n公共消息 (0)\n系统消息 (0)\n好友消息 (0)\n当前位置：首页 > 杯壶论坛\n{BODY}", BODY),
    # the same entries between paragraphs are the article's own table of figures
    "counts_in_body": (f"{P1}\n北京 (12)\n上海 (9)\n广州 (7)\n深圳 (5)\n{P2}\n{P3}", f"{P1}\n北京 (12)\n上海 (9)\n广州 (7)\n深圳 (5)\n{P2}\n{P3}"),
    # an address closing in a bracket is no sentence: the card still goes
    "address_bracket": (f"{BODY}\n上海总部：静安区南京西路1266号（地铁2号线）\n浦东分部：世纪大道1196号（地铁4号线）", BODY),
    # a list of items ending in colons inside the body is the article's outline, not a form
    "outline": (f"{P1}\n产品特点：\n{P2}\n适用人群：\n{P3}", f"{P1}\n产品特点：\n{P2}\n适用人群：\n{P3}"),
}


@pytest.mark.parametrize("name", PAGES)
def test_frame_around_the_body(name):
    text, want = PAGES[name]
    doc = clean(text, "某某产品_宁波某某日用品有限公司")
    assert doc.text == want
    assert clean(doc.text, doc.title).text == doc.text  # a second pass agrees


@pytest.mark.parametrize("name, rules", [
    ("product_page", {"contact", "related", "furniture"}),  # the sidebar's list runs on over the card and the form
    ("card_only", {"contact"}), ("form", {"form"}), ("blog_sidebar", {"count_list"}),
])
def test_frame_rules_say_why(name, rules):
    doc = clean(PAGES[name][0], "某某产品_宁波某某日用品有限公司")
    assert rules <= {r["rule"] for r in doc.removed}


def test_same_decisions_in_both_scripts():
    from transforms.script import convert

    text = PAGES["product_page"][0]
    simp = clean(text, "某某产品").removed
    trad = clean(convert(text, "s2t"), "某某产品").removed
    assert [r["rule"] for r in simp] == [r["rule"] for r in trad]


CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)
SENTENCE = st.text(CJK, min_size=20, max_size=60).map(lambda s: s + "。")
FRAME_LINE = st.sampled_from(["电话：0574-88886666", "您的姓名：", "验证码：", "提交", "地址：宁波市鄞州区天童南路88号",
                              "sales@example.com", "联系方式", "推荐产品 MORE+", "上一篇：保温杯的清洗"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(SENTENCE, FRAME_LINE), min_size=1, max_size=12))
def test_frame_rules_never_remove_a_sentence(lines):
    doc = clean("\n".join(lines))
    gone = [r["text"] for r in doc.removed if r["rule"] in ("contact", "form")]
    assert not any(t.endswith("。") for t in gone)


# --- session 5: frames found on unseen sites (each case: the page, then what must be left of it) -----------------
EN = ("The river rose all night and the town woke up to water in the streets, so the school stayed closed.\n"
      "Volunteers filled sandbags along the bank while the mayor asked families in the low streets to leave.\n"
      "By noon the water had started to fall, and shop owners came back to sweep the mud out of their doors.")


@pytest.mark.parametrize("text, left", [
    # highlights pulled into a quote box above the article: the box goes, the article keeps its own lines
    (f"> {P1}\n> {P2}\n\n{P3}\n{P1}\n{P2}", f"{P3}\n{P1}\n{P2}"),
    # one quote over the article is its epigraph: it stays, though the article says it again
    (f"> {P1}\n\n{P3}\n{P1}", f"{P1}\n\n{P3}"),
    # an archive's months run together on one line, below the article
    (f"{BODY}\n文章彙整 2022 十二月 (2) 2022 十一月 (22) 2022 十月 (16) 2022 九月 (20)", BODY),
    # the same numbers inside the article stay
    (f"{P1}{P2}\n北京 (12) 上海 (9) 广州 (7) 深圳 (5) 杭州 (3)\n{P2}{P1}", f"{P1}{P2}\n北京 (12) 上海 (9) 广州 (7) 深圳 (5) 杭州 (3)\n{P2}{P1}"),
    # a static site's video embed between paragraphs
    (f'{P1}\n{{{{< video src="https://v.example.com/embed/1" >}}}}\n{P2}', BODY),
    # a quote box one of whose long lines the article never says: a quote of its own, the box stays
    (f"> {P1}\n> 那年冬天，父亲把唯一的棉袄留给了我，自己穿着单衣走了三十里山路去镇上卖柴。\n\n{P3}\n{P1}",
     f"{P1}\n那年冬天，父亲把唯一的棉袄留给了我，自己穿着单衣走了三十里山路去镇上卖柴。\n\n{P3}"),
    # captions behind the page's own mark, once two of them credit a photo
    (f"{P1}\n◎ 图：某某微博截图\n{P2}\n◎ 保温杯的内胆\n{P3}\n◎ 工人在检测。/图：资料图片", f"{P1}\n{P2}\n{P3}"),
    # behind the same mark, a full sentence with no credit leads a section of the article: it stays
    (f"{P1}\n● 图：资料图片\n{P2}\n● 县里拨付了五十万元专项资金，用于修缮厂区道路。\n{P3}\n● 图：某某摄\n{P2}{P1}",
     f"{P1}\n{P2}\n● 县里拨付了五十万元专项资金，用于修缮厂区道路。\n{P3}\n{P2}{P1}"),
    # an English article ending on a list it opens with a colon, over a footer: the list is the article's
    (f"{EN}\nYou need five things:\nFlour\nWater\nSalt\nYeast\nHoney\nCopyright © 2022 Example Ltd.",
     f"{EN}\nYou need five things:\nFlour\nWater\nSalt\nYeast\nHoney"),
    # the same short lines with no footer below them: no frame to say they are the page's
    (f"{EN}\nFlour\nWater\nSalt\nYeast\nHoney", f"{EN}\nFlour\nWater\nSalt\nYeast\nHoney"),
    # an English page: its menu above and its links between the article and the footer
    (f"Home\nDeals\nFlights\nHolidays\nHotels\nCars\n{EN}\nNewsroom\nMedia contact\nShare this release\nSocial media\n"
     "Latest news\nAbout us\nCopyright © 2022 Example Ltd.", EN),
])
def test_session5_frames(text, left):
    assert clean(text).text == left


# A travel blog written without stops, a line of text now and then, and no frame below: its lines are the post's.
BLOG = [
    "隔日睡到很晚才起床 不用拍日出的营地对我来说都是幸福的睡眠", "昨天细雨纷飞依然打落了不少落叶 中间这株快变成枯枝了",
    "枫叶残留今天完全不见了（上周才是最美的时候）", "早起的大嫂已经备好热腾腾的稀饭包子 顿时有幸福的感觉",
    "星期天早上趁摄影团还没入场先来几张人物特写", "难得有这样无人的美景 枫树下也一定要来一张合照",
    "接近中午阳光渐露 蓝天又出来了 久违了！", "期盼下的天空终于放晴 蓝天还是准时赴约",
    "收拾好装备准备离开营地 亮丽的天空下枫树林又让人舍不得", "道别了营地准备前往深山部落里的一所小学",
]


def test_a_blog_without_stops_keeps_its_lines_and_a_second_pass_agrees():
    text = "\n".join([P1, P2, *BLOG, "如果您喜欢这篇游记 欢迎到粉丝团按个赞！谢谢！"])
    once = clean(text)
    assert all(line in once.text.split("\n") for line in BLOG)
    assert clean(once.text).text == once.text
