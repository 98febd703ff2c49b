"""Titles: site, channel and category parts go, the headline and its subtitle stay (convention (c))."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms import boilerplate as B
from transforms import crossdoc, script, titles
from transforms.document import Document, StepStats

# (raw title, whether its last part is known to be the site's (a raw HTML title), the headline)
CASES = [
    ("台风今晨登陆_社会_新浪网", False, "台风今晨登陆"),
    ("夫猝逝 婦扛債務茫然 | 蘋果日報", False, "夫猝逝 婦扛債務茫然"),
    ("观点 | 为什么要读书", False, "为什么要读书"),
    ("专访｜王某：城中村的最后一个夏天", False, "王某：城中村的最后一个夏天"),
    ("秋粮收购全面展开-新闻中心-某某日报", False, "秋粮收购全面展开"),
    ("秋粮收购全面展开 - 滚动要闻 - 某某省农业农村厅 - Powered by SiteFactory", True, "秋粮收购全面展开"),
    ("工频变压器 - 上海某某电气有限公司", True, "工频变压器"),
    ("J123-某某建材有限公司", True, "J123"),
    ("某型 SMA-ZPW011 头盔式单兵系统_某某科技-首页", False, "某型 SMA-ZPW011 头盔式单兵系统"),
    ("如何挑选电饭煲？-某某家电官网_某某家电", False, "如何挑选电饭煲？"),
    ("春季养生小常识【某某健康app】_某某健康app", False, "春季养生小常识"),
    ("模具零件的五种加工方法,东莞某某实业有限公司", False, "模具零件的五种加工方法"),
    ("某某论坛 | 老城区的最后一家照相馆", True, "老城区的最后一家照相馆"),
    ("周末读书会 - 18 April 2022 - Lighthouse", True, "周末读书会 - 18 April 2022"),
    ("老街改造方案公示 — 居民：希望保留老槐树", False, "老街改造方案公示 — 居民：希望保留老槐树"),
    ("旧城更新的十年——一个街道办的观察", False, "旧城更新的十年——一个街道办的观察"),
    ("某区议员促当局交代\u3000居民：不能再拖", False, "某区议员促当局交代\u3000居民：不能再拖"),
    ("第六十二章 雨夜 6--1", False, "第六十二章 雨夜 6--1"),
    ("新竹尖石_赏枫 (2) @ 阿明的家 :: 博客", False, "新竹尖石_赏枫 (2)"),
    ("秋粮收购全面展开", True, "秋粮收购全面展开"),
    # a column or account name at a bar, beside a much longer headline
    ("老城区拆迁，要经得起法律和历史的审视｜某某快评", False, "老城区拆迁，要经得起法律和历史的审视"),
    ("某某全媒+丨积极因素不断增多 前4个月外贸向好态势进一步巩固", False, "积极因素不断增多 前4个月外贸向好态势进一步巩固"),
    ("老街上的一张车票｜春运返乡记", False, "老街上的一张车票｜春运返乡记"),
    # a leading part that names a site by its form, before a hyphen
    ("理论某某网-2022年第4期", False, "2022年第4期"),
    ("春耕时节-村里的老人们都说是个好兆头", False, "春耕时节-村里的老人们都说是个好兆头"),
    # a forum board's counters
    ("茶馆闲话/江湖夜谈 今日: 8 |主题: 78553|排名: 2", False, "茶馆闲话/江湖夜谈"),
    # an underscore part that says the headline again in other words stays; one that holds it whole goes
    ("红烧排骨的做法_红烧排骨怎么做_某某的菜谱_某某美食网", True, "红烧排骨的做法_红烧排骨怎么做"),
    ("1.5KE36CA_某某(瑞隆)1.5KE36CA采购价格_某某电子网", True, "1.5KE36CA"),
    # a publisher after a space, beside the site's cut parts
    ("街道党工委一行到金融街开展调研工作 东区办事处_某某网", False, "街道党工委一行到金融街开展调研工作"),
    ("北京发布今年首个暴雨蓝色预警 市气象局", False, "北京发布今年首个暴雨蓝色预警 市气象局"),
    # a column's tag before the headline stays in the title alone (a series name may be the title's): see below
    ("【女权史上的今天】3月6日：五名女权人士被带走", False, "【女权史上的今天】3月6日：五名女权人士被带走"),
    ("【资讯汇总】5月6日盘中重要资讯汇总 把握市场走向", False, "5月6日盘中重要资讯汇总 把握市场走向"),  # it says it again
    # a hyphen inside a name, in a crawl's first line: the long headline after it is no site name
    ("统治力!阿贾-威尔逊获评赛季最有价值球员 还揽下最佳防守", True, "统治力!阿贾-威尔逊获评赛季最有价值球员 还揽下最佳防守"),
    # the site's name cut from the end, said again quoted or bracketed in the headline's part, goes there too
    ("秋季运动会圆满落幕【某某体育】_某某体育", True, "秋季运动会圆满落幕"),
    ("‘某某娱乐’市场监管局抽查食品安全情况_某某娱乐", False, "市场监管局抽查食品安全情况"),
    ("《红楼梦》人物关系详解_某某书城", False, "《红楼梦》人物关系详解"),  # a quoted name the site does not have
]


@pytest.mark.parametrize("title, last_is_site, want", CASES)
def test_a_title_keeps_its_headline(title, last_is_site, want):
    assert titles.clean_title(title, last_is_site) == want


@pytest.mark.parametrize("title, last_is_site, want", CASES)
def test_traditional_titles_lose_the_same_parts(title, last_is_site, want):
    trad = script.convert(title, "s2t")
    assert titles.clean_title(trad, last_is_site) == script.convert(want, "s2t")


@pytest.mark.parametrize("title, last_is_site, want", CASES)
def test_a_clean_title_is_clean(title, last_is_site, want):
    once = titles.clean_title(title, last_is_site)
    assert titles.clean_title(once) == once


@pytest.mark.parametrize("title, site", [
    ("长春某某皮肤病医院", True), ("【畅通汽车租赁】", True), ("官方网站 善用自然的能量", True), ("下载", True),
    ("湿疹的临床症状有哪些", False), ("老屋遭法拍 病翁伴孙栖工厂", False), ("某区议员促当局交代　居民：不能再拖", False), ("秋粮收购全面展开_新浪网", False),
    ("某某娱乐『ab123.cc』捕鱼达人电玩城版2022年9月29日10时39分10秒.example.gov.hk", False),  # long: a headline
])
def test_a_title_that_only_names_the_site(title, site):
    assert titles.names_site(title) is site


def test_a_site_name_title_yields_to_the_pages_headline_line():
    body = "引起湿疹的原因有很多，而且湿疹很难完全治疗，一般患者都会常常复发，所以很多患者想了解怎样治疗。"
    more = "急性湿疹在出现后一般会有一个或者多个红色的丘疹出现，伴随着不同程度的糜烂，应及时就医。"
    doc = Document(id="t", source="t", text=f"湿疹的临床症状有哪些\n{body}\n{more}", title="长春某某皮肤病医院")
    B.apply(doc, B.Config(), StepStats())
    assert doc.title == "湿疹的临床症状有哪些"
    assert doc.text == f"{body}\n{more}"  # the headline line goes once its title is in the column (convention a)
    again = Document(id="t", source="t", text=doc.text, title=doc.title)
    B.apply(again, B.Config(), StepStats())
    assert (again.title, again.text) == (doc.title, doc.text)


def test_a_title_part_many_titles_of_a_site_share_goes_in_crossdoc():
    pages = [Document(id=str(k), source="a", url=f"https://news.example.cn/{k}.html", text="正文。",
                      title=f"{head} - 滚动要闻 - 某某") for k, head in enumerate(["秋粮收购全面展开", "春耕时节访农家",
                                                                               "老城区的最后一家照相馆"])]
    counts: dict[int, int] = {}
    for doc in pages:
        for key in crossdoc.title_keys(doc.title):
            counts[key] = counts.get(key, 0) + 1
    decision = {k for k, n in counts.items() if n >= crossdoc.Config().min_pages}
    crossdoc.apply(pages[0], crossdoc.Config(), StepStats(), decision)
    assert pages[0].title == "秋粮收购全面展开"
    assert pages[0].text == "正文。"  # a title part is no line: nothing is removed from the text


PART = st.sampled_from(["秋粮收购全面展开", "某区议员促当局交代", "社会", "新浪网", "某某有限公司", "News", "18 April",
                        "居民：不能再拖", "滚动要闻", "【某某app】", "第1页", "SMA-ZPW011", "観點", "為什麼要讀書"])
SEP = st.sampled_from(["_", " - ", "-", " | ", "｜", "丨", " — ", "——", "\u3000", ",", " :: ", " @ ", " ", ""])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(SEP, PART), min_size=1, max_size=6), st.booleans())
def test_cleaning_a_title_twice_changes_nothing(pieces, last_is_site):
    title = "".join(sep + part for sep, part in pieces).strip() or "秋粮收购全面展开"
    once = titles.clean_title(title, last_is_site)
    assert once and once in title.replace("\ufeff", "")
    assert titles.clean_title(once) == once


P1 = "记者从县应急管理局获悉，该县一家制药公司昨夜发生爆炸事故，事故造成一人死亡、两人受伤，原因正在调查之中。"
P2 = "事故发生后，县政府立即启动应急预案，组织消防、医疗等力量赶赴现场处置，目前周边生产已全部暂停。"


def clean(text: str, title: str | None = None, fmt: str | None = None) -> Document:
    doc = Document(id="t", source="t", text=text, title=title, meta={"format": fmt} if fmt else {})
    B.apply(doc, B.Config(), StepStats())
    return doc


def assert_second_pass_agrees(doc: Document) -> None:
    again = clean(doc.text, doc.title, doc.meta.get("format"))
    assert (again.title, again.text) == (doc.title, doc.text)


@pytest.mark.parametrize("text, title, want", [
    # a crawl record's title that is not this page's (a site name, spam): the page's headline line wins
    (f"某县一制药公司发生爆炸事故致1死2伤\n{P1}\n{P2}", "体育新世界", "某县一制药公司发生爆炸事故致1死2伤"),
    (f"某县一制药公司发生爆炸事故致1死2伤\n某县一制药公司发生爆炸事故致1死2伤\n{P1}\n{P2}", "碰碰车、小火车、碰碰船",
     "某县一制药公司发生爆炸事故致1死2伤"),
    # the same headline said another way is the page's: the given title stays
    (f"某县制药厂昨夜爆炸 一人死亡\n{P1}\n{P2}", "某县一制药公司发生爆炸事故致1死2伤", "某县一制药公司发生爆炸事故致1死2伤"),
    # a byline or a numbered heading is no headline
    (f"本报记者 张三 李四 王五\n{P1}\n{P2}", "某县新闻", "某县新闻"),
])
def test_a_records_stray_title_yields_to_the_headline_line(text, title, want):
    doc = clean(text, title, "jsonl")
    assert doc.title == want
    if want != title:
        assert doc.text == f"{P1}\n{P2}"  # every copy of the headline line goes (convention a)
    assert_second_pass_agrees(doc)


def test_a_records_stray_title_yields_to_a_headline_over_its_own_first_half():
    doc = clean(f"甲城队vs乙城队 乙城队客战可期\n甲城队vs乙城队\n{P1}\n{P2}", "足球比赛分析", "jsonl")
    assert doc.title == "甲城队vs乙城队 乙城队客战可期"
    assert doc.text.endswith(f"{P1}\n{P2}") and doc.title not in doc.text


def test_a_column_tag_goes_from_the_title_when_the_pages_headline_line_is_written_without_it():
    doc = clean(f"5月6日盘中重要资讯汇总 把握市场走向\n2022-05-06 10:21 来源：某某网\n{P1}\n{P2}",
                "【资讯汇总】5月6日盘中重要资讯汇总 把握市场走向", "html")
    assert doc.title == "5月6日盘中重要资讯汇总 把握市场走向"


def test_a_crawled_title_is_cut_to_a_headline_line_below_a_long_menu_and_over_its_byline():
    # A company site: the title's first part is a menu entry too; the line over the byline is the headline.
    menu = "\n".join(["首页", "关于我们", "产品中心", "工程案例", "新闻动态", "联系我们"] * 4 + ["光伏发电", "供暖工程"])
    text = (f"光伏发电 - 太阳能热水工程 - 某某新能源科技有限公司\n{menu}\n首页 > 工程案例 > 光伏发电\n光伏发电\n"
            f"作者:本站 发布时间:2018-07-23 14:27:03\n光伏发电\n{P1}\n{P2}")
    assert clean(text, None, "jsonl").title == "光伏发电"


def test_a_headline_line_that_ends_the_title_after_the_blogs_name_is_the_title():
    text = "Friday, May 6, 2022\nA walk in the hills\nWe left early and walked all day. It rained twice on the way up."
    doc = clean("Anna's Notebook: A walk in the hills\n" + text, None, "jsonl")
    assert doc.title == "A walk in the hills"
    assert "A walk in the hills" not in doc.text.split("\n")


def test_a_title_taken_from_the_first_line_does_not_yield_to_a_later_line():
    # The first pass takes the crawl's first line; a second pass must not trade it for a shop's name over its blurb.
    text = ("统治力!阿贾-威尔逊获评赛季最有价值球员 还揽下最佳防守\n某某体育网页版登录(中国)有限公司\n"
            "某某体育网页版登录(中国)有限公司成立于2006年，注册资金一亿元，集团旗下已有多家子公司。\n"
            f"统治力!阿贾-威尔逊获评赛季最有价值球员 还揽下最佳防守\n{P1}\n{P2}")
    doc = clean(text, None, "jsonl")
    assert doc.title == "统治力!阿贾-威尔逊获评赛季最有价值球员 还揽下最佳防守"


@pytest.mark.parametrize("fmt", ["html", None])
def test_a_title_from_markup_or_a_cleaned_title_stays_over_a_subtitle(fmt):
    # a second pass over a cleaned HTML page: the headline line went, its subtitle opens the text
    story = "丈夫去世后，儿子又因案坐牢，她的关节炎不断恶化，已经难以再打零工维持生活，年关将近更觉无依。"
    text = f"夫去世 子坐牢 关节炎恶化 难打零工\n{story}\n{P2}"
    doc = clean(text, "年关近 老妇病缠叹无依", fmt)
    assert doc.title == "年关近 老妇病缠叹无依"
    assert doc.text.startswith("夫去世")


def test_a_short_first_line_names_a_crawled_page():
    doc = clean(f"统战工作\n导航\n首页\n{P1}\n{P2}")
    assert doc.title == "统战工作"
    assert_second_pass_agrees(doc)


def test_a_spam_tail_cut_from_the_title_line_leaves_the_headline_whole():
    text = f"两支青年队出线 他们鼓舞中国足球前行-亚博全站APP官网|亚博APP网页版\n两支青年队出线 他们鼓舞中国足球前行\n{P1}\n{P2}"
    doc = clean(text)
    assert doc.title == "两支青年队出线 他们鼓舞中国足球前行"
    assert doc.text == f"{P1}\n{P2}"
    assert_second_pass_agrees(doc)


def test_a_headline_line_with_a_spam_name_in_it_is_the_title_as_written():
    # a site-name title; the headline line carries an injected name that the spam rule cuts from it
    text = f"美狮贵宾会四名挂职干部第一时间返岗 稳步推进疫情防控\n{P1}\n华体会 亚博体育 注册就送\n{P2}"
    doc = clean(text, "某某集团官方网站")
    assert doc.title == "美狮贵宾会四名挂职干部第一时间返岗 稳步推进疫情防控"
    assert "spam_phrase" in {r["rule"] for r in doc.removed} and "挂职干部" not in doc.text
    assert_second_pass_agrees(doc)


def test_a_menu_entry_the_title_starts_with_is_not_its_headline():
    menu = "\n".join(["关于我们", "每周灵修", "联系我们", "加入我们"])
    doc = clean(f"{menu}\n{P1}\n{P2}", "每周灵修 - 2022年4月18日")
    assert doc.title == "每周灵修 - 2022年4月18日"
    dated = clean(f"光伏发电\n2018-07-23 来源：本站\n{P1}\n{P2}", "光伏发电 - 太阳能热水工程 - 某某新能源科技有限公司")
    assert dated.title == "光伏发电"


def test_the_headline_line_written_with_its_column_goes():
    doc = clean(f"某某全媒+丨积极因素不断增多 前4个月外贸向好态势进一步巩固\n{P1}\n{P2}",
                "某某全媒+丨积极因素不断增多 前4个月外贸向好态势进一步巩固")
    assert doc.title == "积极因素不断增多 前4个月外贸向好态势进一步巩固"
    assert doc.text == f"{P1}\n{P2}"
    assert_second_pass_agrees(doc)


LEAD = "记者从市港务局了解到，南沙国际邮轮母港将于11月17日正式开港，可停靠目前世界上最大的邮轮。"
# (the page's given title, its text, the title wanted): a title the site's template cut short takes the whole
# headline from a line that begins the same way; a lead that begins the same way is no headline.
CUT_TITLES = [
    ("广州南沙邮轮母港即将...", f"广州南沙邮轮母港即将...\n{LEAD}\n该项目距离地铁站仅约500米。\n本文原标题：《广州南沙邮轮母港即将开通，地铁直达》",
     "广州南沙邮轮母港即将开通，地铁直达"),
    ("南沙邮轮母港开港时间定…", f"南沙邮轮母港开港时间定了！11月17日见\n{LEAD}\n该项目距离地铁站仅约500米。",
     "南沙邮轮母港开港时间定了！11月17日见"),
    ("记者从市港务局了解到…", f"{LEAD}\n该项目距离地铁站仅约500米。", "记者从市港务局了解到…"),
]


@pytest.mark.parametrize("title, text, want", CUT_TITLES)
def test_a_title_cut_short_takes_the_whole_headline(title, text, want):
    doc = Document(id="1", source="s", text=text, title=title)
    B.apply(doc, B.Config(), StepStats())
    assert doc.title == want
    assert LEAD in doc.text and title not in doc.text.split("\n")
    again = Document(id="1", source="s", text=doc.text, title=doc.title)
    B.apply(again, B.Config(), StepStats())
    assert (again.title, again.text) == (doc.title, doc.text)


@pytest.mark.parametrize("title, keywords", [
    ("今日天气_天气预报_一周天气_空气质量_气象新闻 - 某某天气网，权威天气资讯网站", True),
    ("二手车,二手车交易,二手车评估,二手车报价,二手车市场", True),
    ("户外烧烤炉批发,户外烧烤炉供应,户外烧烤炉生产厂家详细介绍_某某山庄", True),  # one word stuffed three times
    ("红烧排骨的做法_红烧排骨怎么做_某某美食网", False),  # two parts alike: a headline said twice
    ("台风今晨登陆_社会_新浪网", False),
    ("求助：显卡驱动装不上 - 硬件 - 电脑 - 某某论坛", False),  # a post's title with its board's parts
    ("求助 - 硬件 - 电脑 - 数码 - 某某论坛 - Powered by Discuz!", False),  # short, but a board chain
])
def test_a_sites_keyword_list_title(title, keywords):
    assert titles.keyword_title(title) is keywords


MENU = "首页\n天气预报\n空气质量\n气象新闻"
DATELINE = "发布时间：2023-04-12 09:30"
P3 = "市气象台今天上午发布消息，受冷空气影响，本周后期全市将出现明显降温，最低气温可降至五摄氏度左右。"


@pytest.mark.parametrize("text, title, fmt, want, body", [
    # a given title that is the site's keyword list (or its name): the headline line over a dateline is the title
    (f"{MENU}\n本周后期全市将明显降温\n{DATELINE}\n{P3}\n{P2}",
     "今日天气_天气预报_一周天气_空气质量_气象新闻 - 某某天气网", "html", "本周后期全市将明显降温", None),
    # a post that opens with its headline in brackets, on a page titled with the platform's name
    (f"公开\n4-12 09:30 来自 某某客户端\n【本周后期全市将明显降温】{P3}\n{P2}", "某某网", "html",
     "本周后期全市将明显降温", None),
    # a record's title stuffed with one keyword: the page's own headline line
    (f"户外烧烤\n{P3}\n{P2}", "户外烧烤炉批发,户外烧烤炉供应,户外烧烤炉生产厂家详细介绍_某某山庄", "jsonl", "户外烧烤", None),
    # a record's title whose words the page never uses, over the page's headline said twice and a list below it
    ("零基础电脑办公技能培训课程\n零基础电脑办公技能培训课程\n1、入学要求：初中以上学历;\n2、课时：全日制三个月;\n"
     "本校专注电脑办公技能培训，课程涵盖文字处理、表格制作和演示文稿，学员结业后可参加职业技能等级考试。",
     "青云翻译", "jsonl", "零基础电脑办公技能培训课程", None),
    # a record's title (a shop's name) sharing one common word with the headline is no restatement of it
    (f"某某印刷网提高印刷厂生产效率\n{P1}\n某某印刷网上线以来，整合印刷厂资源，使印刷厂的生产效率提高了三成。", "物码印刷", "jsonl",
     "某某印刷网提高印刷厂生产效率", None),
    # a title that quotes the headline line and labels it
    (f"发布时间：2024年05月05日\n乡村振兴发展报告\n{P3}\n{P2}", "《乡村振兴发展报告》全文", "html", "乡村振兴发展报告",
     f"{P3}\n{P2}"),
    # a site's name taken from the page's own first line stays: no later line displaces it
    (f"某某视讯聊天室首页\n如果您的浏览器无法播放，请改用其他浏览器。\n您现在即将进入 [ 某某视讯聊天室 ]\n{P3}\n{P2}", None,
     "jsonl", "某某视讯聊天室首页", None),
])
def test_a_title_that_names_no_article_yields_to_the_articles_headline(text, title, fmt, want, body):
    doc = clean(text, title, fmt)
    assert doc.title == want
    prose = [s for s in text.split("\n") if len(s) >= 30 and s.endswith("。")]
    assert all(s in doc.text for s in prose) and (body is None or doc.text == body)  # the body stays whole
    trad = clean(script.convert(text, "s2t"), title and script.convert(title, "s2t"), fmt)
    assert trad.title == script.convert(want, "s2t")  # the same decision in either script


HEADS = ["春耕时节访农家", "老城区的最后一家照相馆", "秋粮收购全面展开"]


@pytest.mark.parametrize("titles_of, want", [
    # every page carries the site's slogan: each takes its own headline line, over its dateline
    (["某某三农 服务乡村每一天"] * 3, HEADS),
    # titles of their own (one shared by two pages is under the site's count): they stay
    (["今日说法", "今日说法", "田间地头"], ["今日说法", "今日说法", "田间地头"]),
])
def test_a_title_many_pages_of_a_site_share_yields_to_each_pages_headline(titles_of, want):
    pages = [Document(id=str(k), source="a", url=f"https://farm.example.cn/{k}.html", title=t,
                      text=f"首页\n{head}\n2023-04-12 09:30\n{P3}") for k, (t, head) in enumerate(zip(titles_of, HEADS))]
    counts: dict[int, int] = {}
    for doc in pages:
        for key in crossdoc.title_keys(doc.title):
            counts[key] = counts.get(key, 0) + 1
    decision = {k for k, n in counts.items() if n >= crossdoc.Config().min_pages}
    for doc in pages:
        crossdoc.apply(doc, crossdoc.Config(), StepStats(), decision)
    assert [doc.title for doc in pages] == want
    assert all(P3 in doc.text for doc in pages)  # the body stays
