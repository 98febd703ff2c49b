"""List pages, repost source lines, headlines and the learned line model (transforms/lines.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.recipe import load_line_model
from transforms import boilerplate as B
from transforms import lines as L
from transforms import quality as Q
from transforms.document import Document, StepStats

BODY = ("记者从市园林局了解到，今年一季度城区新增三处口袋公园，分别位于老城街道、滨江街道和高新区。\n"
        "这些公园面积都不大，最小的只有八百平方米，但配备了座椅、健身器材和儿童游乐设施，周边居民步行五分钟就能到达。\n"
        "园林局有关负责人介绍，今年全市计划建设二十处口袋公园，优先选择老旧小区密集、公共空间不足的片区。")
TITLES = ["如何挑选电饭煲", "春季养生小常识", "夏天喝什么茶好", "秋季进补要注意什么", "冬天泡脚的好处", "老人补钙吃什么",
          "孩子近视怎么办", "办公室久坐的危害", "晚饭吃多少合适", "失眠的几个原因", "早餐不能这样吃", "跑步膝盖疼怎么办",
          "糖尿病饮食禁忌", "空调病如何预防", "夏季防晒小窍门", "胃不好吃什么养胃", "颈椎病的早期信号", "体检前要注意什么",
          "头疼的常见原因", "口腔溃疡怎么办"]


def run(text: str, title: str | None = None, **cfg) -> Document:
    doc = Document(id="t", source="t", text=text, title=title)
    if cfg.get("model"):
        cfg["weights"] = load_line_model()  # flows load the model; the step only scores with it
    B.apply(doc, B.Config(**cfg), StepStats())
    return doc


# --- list pages --------------------------------------------------------------------------------------
def test_a_page_of_numbered_titles_is_a_list_page_and_quality_rejects_it_with_the_value():
    doc = run("\n".join(f"{k}{t}" for k, t in enumerate(TITLES, 1)))
    assert doc.columns["list_page"] == 1.0
    drop = Q.apply(doc, Q.Config(max_list_page=0.9), StepStats())
    assert drop.reason == "quality:list_page" and drop.value == 1.0


# Invented pages: lists of other pages (no body of their own) and pages with a body that look list-like.
NAV = ["首页", "新闻中心", "产品展示", "关于我们", "联系我们"]
FOOT = ["版权所有 © 2023 某某科技有限公司", "京ICP备12345678号"]
HEADLINES = ["如何挑选电饭煲", "春季养生小常识", "夏天喝什么茶好", "秋季进补要注意什么", "冬天泡脚的好处", "老人补钙吃什么",
             "孩子近视怎么办", "办公室久坐的危害", "晚饭吃多少合适", "失眠的几个原因", "早餐不能这样吃", "跑步膝盖疼怎么办",
             "糖尿病饮食禁忌", "空调病如何预防", "夏季防晒小窍门", "胃不好吃什么养胃", "颈椎病的早期信号", "体检前要注意什么"]
NUMBERED = NAV + [f"{k}、{t}" for k, t in enumerate(HEADLINES, 1)] + FOOT
DATED = NAV + [f"{t}　2023-0{k % 9 + 1}-1{k % 10}" for k, t in enumerate(HEADLINES)] + FOOT
PRODUCTS = NAV + [f"{name} ￥{price} 月销{sales}件" for name, price, sales in [
    ("美的电饭煲MB-FB40", 299, 1200), ("苏泊尔电压力锅", 359, 860), ("九阳豆浆机D520", 249, 2300),
    ("小熊酸奶机", 89, 540), ("格力电风扇FD-40", 199, 3100), ("飞利浦电动牙刷", 399, 780),
    ("松下吹风机EH-NA98", 1299, 230), ("戴森吸尘器V8", 2490, 120), ("海尔热水壶", 79, 4100),
    ("摩飞榨汁杯", 199, 960), ("小米空气净化器4", 899, 650), ("科沃斯扫地机器人", 1999, 310),
    ("米家电饭煲C1", 199, 1800), ("荣事达破壁机", 459, 270), ("奥克斯取暖器", 159, 2200)]] + FOOT
NAV_ONLY = NAV + ["公司简介", "企业文化", "发展历程", "荣誉资质", "新闻动态", "行业资讯", "公司新闻", "产品中心", "解决方案",
                  "成功案例", "服务支持", "下载中心", "在线留言", "人才招聘", "联系方式", "网站地图"] + FOOT
TEASERS = [x for t in HEADLINES for x in (t, "今年一季度城区新增三处口袋公园，周边居民步行五分钟就能到达。")]

NEWS = NAV + ["城区新增三处口袋公园", "2023-04-12 10:30　来源：本网",
              "记者从市园林局了解到，今年一季度城区新增三处口袋公园，分别位于老城街道、滨江街道和高新区。",
              "这些公园面积都不大，最小的只有八百平方米，但配备了座椅、健身器材和儿童游乐设施，周边居民步行五分钟就能到达。",
              "园林局有关负责人介绍，今年全市计划建设二十处口袋公园，优先选择老旧小区密集、公共空间不足的片区。",
              "责任编辑：王明", "相关新闻", "市区新增两条绿道", "滨江公园完成改造"] + FOOT
POEM = ["秋夜登楼", "作者：林远", "题记：", "癸卯年中秋夜登城楼有感", "夜色沉沉锁旧楼，", "一轮明月照江流。",
        "故人千里音书断，", "独倚栏杆数落舟。", "风起长街灯影乱，", "霜侵短鬓雁声稠。", "人间几度团圆夜，",
        "且把清光寄九州。", "发表于 2023-09-29"]
FORUM = ["论坛首页", "生活休闲", "家里的猫突然不吃饭了怎么办？", "楼主 发表于 2023-05-01 12:30",
         "我家猫三岁了，从昨天开始就不怎么吃东西，精神还可以。", "有没有人遇到过？要不要马上去医院？",
         "1楼 喵喵酱", "先看看是不是换了猫粮，有的猫很挑。", "2楼 老王", "精神好的话可以先观察一天。",
         "3楼 楼主", "没有换粮，就是天气突然热了。", "4楼 小鱼干", "天热食欲差很正常，多喂点水。",
         "5楼 楼主", "好的，谢谢大家，明天再看看。", "回复", "返回列表"]
NOTICE = NAV + ["关于春节期间办事大厅调整办公时间的通知", "各位市民：",
                "根据工作安排，春节期间（2月9日至2月17日）办事大厅暂停对外服务，2月18日起恢复正常办公。",
                "如有紧急事项，请拨打以下热线：", "户籍咨询：0571-12345678", "社保咨询：0571-87654321",
                "医保咨询：0571-11223344", "公积金咨询：0571-55667788", "特此通知。", "某某区政务服务中心",
                "2024年2月1日"] + FOOT

SNIPPET = ("记者从市园林局了解到，今年一季度城区新增三处口袋公园，分别位于老城街道、滨江街道和高新区，这些公园面积都不大，"
           "最小的只有八百平方米，但配备了座椅、健身器材和儿童游乐设施，周边居民步行五分钟就能到达，园林局有关负责人介绍")
# Snippets of other pages, each cut off with an ellipsis, under a short date: no headline between them.
CUT_TEASERS = NAV + [x for k in range(6) for x in (f"{SNIPPET[k:]}……[详细]", f"05-0{k + 1}")] + FOOT
# A tag cloud on one line: short words, a few long ones, no punctuation.
TAGS = ["养生", "健康", "饮食", "运动", "睡眠", "中医", "体检", "护眼", "减肥", "保健", "食谱", "春季养生常见误区大盘点",
        "夏季饮食清淡才是最好的选择", "老年人冬季保暖的十个小窍门"]
TAG_CLOUD = NAV + TITLES[:12] + [" ".join(TAGS * 6)] + FOOT
# Pages with no body of their own that the first shapes above do not catch.
NEWS_SENTENCES = ["今年一季度全市新增城镇就业两万三千人，同比增长百分之六。", "市交通局表示，地铁五号线将于年底前完成全部土建工程。",
                  "受冷空气影响，本周后半段全省大部地区气温将下降八到十度。", "市场监管部门近日抽检了二百批次食品，合格率达到百分之九十八。",
                  "老城区改造项目已完成居民签约，预计明年春天开工建设。", "该县今年粮食播种面积稳定在八十万亩以上，夏粮长势良好。",
                  "高新区新引进的十二个项目总投资超过四十亿元。"]
_W = [NEWS_SENTENCES[k] + NEWS_SENTENCES[k + 1] + NEWS_SENTENCES[k + 2] + NEWS_SENTENCES[k + 3] for k in range(4)]
# SEO spam: unrelated news sentences stitched in shifting windows under a title they have nothing to do with.
STITCHED = (["某某资讯网", "首页", "海南特产椰子糖批发价格", HEADLINES[0], _W[0], _W[1], HEADLINES[1], HEADLINES[2], _W[2],
             NEWS_SENTENCES[3], _W[3], NEWS_SENTENCES[4]] + HEADLINES[5:11] + FOOT)
# A forum's thread list: each thread's reply count glued to its title and first words.
THREADS = ["今天地铁二号线又晚点了，上班迟到半小时，有没有一起的？", "求推荐周末带孩子去的公园，人少一点的最好。",
           "听说小区门口新开了一家面馆，味道很不错，有人去过吗？", "楼下的快递柜又坏了，物业什么时候来修？已经三天了。",
           "有没有人知道附近哪里能修自行车，链条掉了。", "这周六市图书馆有免费的亲子阅读活动，感兴趣的可以报名。",
           "二手婴儿车转让，九成新，自提，价格好商量。", "本地的驾校哪家好？科目二考了两次都没过。",
           "晚上十点以后楼上还在装修，打了热线也没人管。", "分享一下上周去山里露营的照片，空气特别好。"]
THREAD_LIST = (["某某城市论坛", "本地生活", "发帖", "- "]
               + [x for n, t in zip([17, 0, 356, 4, 0, 88, 12, 0, 5, 231], THREADS) for x in (f"{n}{t}", "- ")]
               + ["下载客户端", "吧务"])
# A company site's news page: headlines, each over the first words of its article, cut off.
HEADLINE_TEASERS = ["某某食品公司", "产品中心"] + [x for t in HEADLINES[:4] for x in (t, SNIPPET[:80] + "…")]
# A video site's page: a blurb of prose over a hundred and more titles of other pages, no body of its own.
SHOWS = ["古镇", "江湖", "山城", "长河", "远方", "归途", "春风", "晚秋"]
VIDEO_TITLES = (["某某影视", "首页", "本站所有影视资源均来自互联网，仅供学习交流，如有侵权请联系我们删除，我们会在二十四小时内处理。"
                               "本站不提供任何视频的存储和下载服务，所有内容均由网友自行分享，观看时请遵守当地法律法规，未成年人请在家长陪同下观看，"
                               "如遇播放卡顿请刷新页面或更换线路。"]
                + [f"{SHOWS[k % 8]}往事第{k}集 高清完整版免费在线观看 2022-{k % 12 + 1:02d}-{k % 28 + 1:02d}" for k in range(1, 131)] + FOOT)
# A supplier's catalogue: each item a head cut from one template (name, maker, price, delivery), then its blurb.
ITEMS = [("称重传感器A100", ["简要说明：本系列传感器适用于拉压方向的测量，可以进行静态或动态测量并保持高精度，传感器采用不锈钢材质制成，"
                           "适合在恶劣条件下使用，无需维护，可安装在难以触及的位置，广泛用于各类"]),
         ("拉力传感器B20", ["简要说明：结构紧凑，安装方便，适用于各类吊钩秤、配料秤及专用秤，输出对称性好，抗偏载能力强，"
                          "可选择内置式变送器，标准信号四到二十毫安输出，出厂前逐台检定并附"]),
         ("轮辐式传感器C3", ["简要说明：合金钢材质，额定载荷六吨到五十吨，体积小重量轻，具有过载保护功能，通孔式结构特别适合注塑机，"
                           "也可用于包装机械和料斗秤的改造，安装时请注意受力方向与"]),
         ("柱式传感器D8", ["量程覆盖五十牛到十千牛，适合工业标定和实验室研究，每台出厂前均经过严格检定，附带检定证书和使用说明书，"
                         "典型的高端设备，精度等级零点零二，已获得多项",
                         "同系列另有高温型号，可在一百五十度以下的环境中连续工作，适合烘箱和热压设备，订货时请注明工作温度范围和"]),
         ("平板式传感器E5", ["简要说明：可瞬间安装完成，允许超过一半的横向力，适用于生产线上的压装力监控和质量检测，"
                           "与多数采集仪表直接兼容，优异的测量品质和极为容易的安装是它的"]),
         ("微型传感器F1", ["简要说明：外形小巧，可安装在难以触及的位置，适合医疗器械和精密仪器中的小量程测量，"
                         "精度等级零点零五，有五个量程可选，每种型号都有相同的尺寸和外形，使"])]
CATALOGUE = ["某某仪器网", "传感器"] + [x for name, blurbs in ITEMS for x in (f"{name} 某某仪器 不详 询价 48小时内", *blurbs)] + FOOT
# Teasers of other pages, each closed by a "more" link, about different people: no body of their own.
MORE_TEASERS = ["艺术名家", "书画", "摄影"] + [f"{t} [详细]" for t in [
    "王某以风光摄影见长，湖山系列为其代表作，近年致力于水乡题材的探索和创作。", "李某某，省书法家协会会员，作品多次入选全国性大展并获奖。",
    "陶艺家陈某用柴烧的火痕诠释泥土的温度，作品被多家美术馆收藏。", "版画家赵某并不依他的生活方式来创造，而是活出他的创造之道。",
    "台湾版画学第一人", "在以往的文字中我们多是探讨和田玉鉴赏的难题，这一篇从入门讲起。"]] + FOOT
LISTS = {"catalogue of templated items with blurbs": CATALOGUE, "teasers closed by a more link": MORE_TEASERS,
         "numbered headlines": NUMBERED, "a blurb over a long list of titles": VIDEO_TITLES, "teasers cut off with an ellipsis": CUT_TEASERS,
         "headlines and a tag cloud": TAG_CLOUD, "dated headlines": DATED, "product listing": PRODUCTS,
         "navigation only": NAV_ONLY, "headlines with teasers": TEASERS, "stitched sentences": STITCHED,
         "thread list with reply counts": THREAD_LIST, "headlines over cut-off teasers": HEADLINE_TEASERS}
LEAD = "今年一季度城区新增三处口袋公园，分别位于老城街道、滨江街道和高新区。"
WITH_SUMMARY = NAV + ["城区新增三处口袋公园", "摘要：" + LEAD + "这些公园面积都不大。",
                      LEAD + "这些公园面积都不大，最小的只有八百平方米，但配备了座椅、健身器材和儿童游乐设施。",
                      "园林局有关负责人介绍，今年全市计划建设二十处口袋公园，优先选择老旧小区密集、公共空间不足的片区。",
                      "周边居民步行五分钟就能到达，附近的老人每天都来散步。"] + FOOT
RECIPE = NAV + ["白粥的做法"] + [f"{k}{t}" for k, t in enumerate([
    "先把大米淘洗干净，用清水浸泡半小时左右。", "锅里加足量的水，大火烧开后再放入泡好的米。",
    "水再次沸腾后转小火，盖上锅盖留一条缝，慢慢熬四十分钟。", "熬的过程中每隔十分钟搅拌一次，以免米粒粘在锅底。",
    "出锅前加一小勺香油，撒一点葱花，口感会更好。"], 1)] + FOOT
# A year's round-up whose paragraphs open with figures glued to their text: quantities, in no order, not reply counts.
FIGURES = NAV + ["县里这一年"] + [
    "300多名村民参加了当天的义务植树活动，共种下树苗两千余株。", "50余辆农用车排成长队，把化肥送到了田间地头。",
    "12支志愿服务队走进社区，为老人测量血压、讲解防诈知识。", "8成以上的受访者表示对今年的公共服务感到满意。",
    "100多家企业在招聘会上提供了三千多个岗位，吸引了大批求职者。", "20多位专家学者围绕乡村振兴展开研讨，提出了不少建议。",
    "3台新购置的收割机已经运抵合作社，下周就能投入使用。", "60多亩试验田里，新品种水稻长势喜人。"] + FOOT
# A personal essay with subheadings whose paragraphs trail off in a writer's ellipsis (……), not a cut teaser's.
ESSAY = NAV + ["那年夏天", "一、老屋"] + [
    "外婆家的老屋在河边，门前有一棵很老的槐树，夏天的傍晚我们总在树下乘凉，听外婆讲那些讲了很多遍的故事……",
    "后来老屋拆了，槐树也不知去向，我站在一片新楼中间，怎么也找不到当年的那条小路……", "二、河",
    "河水比记忆里窄了许多，岸边堆着建筑垃圾，我蹲下来摸了摸水，还是那么凉……",
    "小时候我们在这里摸鱼、打水仗，被大人追着打也舍不得上岸，那样的日子再也回不来了……", "三、外婆",
    "外婆走的那年冬天特别冷，她临走前还惦记着给我织的那副手套，只差一根手指没有织完……",
    "那副手套我一直留着，每年冬天拿出来看看，却从来舍不得戴……"] + FOOT
# A travel essay whose photos' captions share a credit, between its paragraphs: captions are sentences, not heads.
LATE = ("那几天天气一直很好，白天去博物馆和书店，傍晚就骑车在城里乱转，走到哪里算哪里，累了就找一家小店坐下来喝杯茶。"
        "店主大多很健谈，听说我们从香港来，总要推荐几个本地人才知道的去处。")
PHOTO_ESSAY = ["骑车逛台北", "作者：林远"] + [x for cap, para in [
    ("共享单车在街角随处可见", "有一张本地电话卡，再加一张交通卡，在路边的机器上按几下登记，就能骑车出发了。这里的共享单车比想象中方便得多，"
     "几乎每个地铁站口都有停车点，还车也不用找很久。"),
    ("夜里骑车的人很多", "夜里骑车去吃晚饭最舒服，不晒也不热。沿着大路一直往东骑，二十分钟就到了那家老店门口，门外照例排着长队，"
     "我们索性先去旁边的小巷转了一圈。"),
    ("老店门外经常排着长队", "如果吃腻了那家老店，转个街口还有一家开了几十年的生煎包，据说早年常有名人光顾。生煎包底脆皮薄，"
     "一口咬下去满嘴汤汁，味道一点不输给名店。"),
    ("街边的葱抓饼香味扑鼻", "吃饱以后再骑一圈消消食，顺路买了一份葱抓饼当夜宵。回到住处已经快十一点，街上还是很热闹，"
     "这座城市的夜晚好像永远不会结束。")] for x in (f"{cap}。图片由作者提供", para + LATE)] + FOOT
NOT_LISTS = {"essay with captions sharing a photo credit": PHOTO_ESSAY,
             "essay with captions sharing a credit, no stop": [s.replace("。图片", " 图片") for s in PHOTO_ESSAY], "short news article": NEWS, "article over sixty related headlines": NEWS + VIDEO_TITLES[3:63], "article with its lead quoted as a summary": WITH_SUMMARY,
             "round-up with figures opening its paragraphs": FIGURES,
             "recipe with numbered steps": RECIPE, "article with a paragraph trailing off": NEWS[:-7] + [SNIPPET + "……"] + NEWS[-7:], "poem": POEM, "forum thread with short replies": FORUM,
             "notice with hotlines": NOTICE, "essay whose paragraphs trail off": ESSAY}


@pytest.mark.parametrize("name", LISTS)
def test_a_list_page_is_rejected_with_the_signal_value(name):
    doc = run("\n".join(LISTS[name]))
    drop = Q.apply(doc, Q.Config(), StepStats())
    assert drop is not None and drop.reason == "quality:list_page", name
    assert drop.value == doc.columns["list_page"] > Q.Config().max_list_page


@pytest.mark.parametrize("name", NOT_LISTS)
def test_a_page_with_a_body_is_not_a_list_page(name):
    doc = run("\n".join(NOT_LISTS[name]))
    assert doc.columns["list_page"] <= Q.Config().max_list_page, name
    assert not Q.is_list_page(doc, Q.Config())


@pytest.mark.parametrize("text", [BODY, "首页\n新闻\n" + BODY + "\n版权所有", "\n".join(TITLES[:4]) + "\n" + BODY])
def test_an_article_is_not_a_list_page(text):
    doc = run(text)
    assert doc.columns["list_page"] < 0.5
    assert not Q.is_list_page(doc, Q.Config())


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(HEADLINES + NAV), min_size=5, max_size=40), st.integers(0, 40))
def test_adding_a_paragraph_never_makes_a_page_more_of_a_list(entries, at):
    """Property: a body paragraph inserted anywhere in a page of entries never raises its score."""
    para = "园林局有关负责人介绍，今年全市计划建设二十处口袋公园，优先选择老旧小区密集、公共空间不足的片区，方便居民就近休闲。"
    with_body = entries[:at] + [para, para] + entries[at:]
    assert L.list_page_score(with_body) <= L.list_page_score(entries)
    assert 0.0 <= L.list_page_score(entries) <= 1.0


def test_list_page_check_can_be_switched_off():
    doc = Document(id="t", source="t", text=BODY, columns={"list_page": 1.0})
    assert not Q.is_list_page(doc, Q.Config(max_list_page=None))


# --- repost source lines -----------------------------------------------------------------------------
REPOSTS = [
    ("出自 ~~[某某日报：春耕时节访农家](https://news.example.cn/a/1.html)~~，已消失", "https://news.example.cn/a/1.html", "春耕时节访农家"),
    ("源自微信公号「某某」：[城中村的最后一个夏天](https://mp.example.com/s/abc)", "https://mp.example.com/s/abc", "城中村的最后一个夏天"),
    ("原文链接：~~[北京：一条老胡同的四十年](https://mp.example.com/s/xyz)~~", "https://mp.example.com/s/xyz", "一条老胡同的四十年"),
    ("信息源自某某公社： [老田：从一场暴雨谈城市排水](http://example.org/article/10249)", "http://example.org/article/10249",
     "从一场暴雨谈城市排水"),
    ("作者某某，微信原文~~[链接](https://mp.example.com/s/p)~~，图片已丢失。", "https://mp.example.com/s/p", None),
]


@pytest.mark.parametrize("line, url, title", REPOSTS)
def test_repost_source_line_gives_url_and_title_then_goes(line, url, title):
    doc = run(f"{BODY}\n{line}")
    assert doc.text == BODY
    assert doc.url == url
    assert doc.title == title
    assert doc.removed[0]["rule"] == "repost"


def test_repost_url_beats_front_matter_but_the_page_keeps_its_own_title():
    doc = Document(id="t", source="t", text=f"{BODY}\n{REPOSTS[0][0]}", url="https://mirror.example.io/p/1",
                   title="春耕时节，走访农家")
    B.apply(doc, B.Config(), StepStats())
    assert doc.url == REPOSTS[0][1] and doc.title == "春耕时节，走访农家"


@pytest.mark.parametrize("line", [
    "他在文章里引用了[国务院公告](http://gov.cn/a)的原文，说明政策不会变。",
    "详见[这篇报道](http://a.cn/1.html)。",
    "来源于民间的智慧往往最朴素，也最有生命力，这是老人们常挂在嘴边的话，[出处](http://a.cn/x)在县志里有记载，后人多次引用。",
])
def test_body_lines_with_links_are_not_repost_lines(line):
    assert L.repost_source(line) is None


# Reposts name their source above the text in more than one way; each line gives the URL and goes.
HEAD_SOURCES = [
    # a converter's credit link first, the source link after the provenance word
    ("> 本文由[某某阅读](http://tool.example.com/)转码，原文来自微信「某某」：~~[某某：城中村的雨夜](https://mp.example.com/s/q1)~~",
     "https://mp.example.com/s/q1"),
    # the address as an autolink after a label
    ("> 网站地址 <http://news.example.org/article/10572>", "http://news.example.org/article/10572"),
    # an archive copy, the link text a respelling of the title
    ("備份：[老街 chai 迁，居民去哪儿了？](http://archive.example.is/6dk6h)", "http://archive.example.is/6dk6h"),
    # a bare link whose text is the title
    ('[李某："口袋公园"的十年](https://archive.example.li/wRF2t)', "https://archive.example.li/wRF2t"),
    # a bare address, struck through
    ("来源：~~https://www.example.com/note/667529321/~~", "https://www.example.com/note/667529321/"),
    # a link broken over two lines by the converter
    ("原文来自某某财经：~~[老街拆迁，居民去哪儿了？\n](https://mp.example.com/s/OCmXvD)~~", "https://mp.example.com/s/OCmXvD"),
    # with a long tracking address the line is still short as it reads
    ("原文来自「某某人物」：~~[老街拆迁，居民去哪儿了？](https://mp.example.com/s?__biz=MzA5&mid=26&" + "x=1&" * 120 + "y=2)~~",
     "https://mp.example.com/s?__biz=MzA5&mid=26&" + "x=1&" * 120 + "y=2"),
]


@pytest.mark.parametrize("line, url", HEAD_SOURCES)
def test_a_source_line_above_the_text_gives_the_url_and_goes(line, url):
    title = "李某：「口袋公园」的十年" if "李某" in line else "老街拆迁，居民去哪儿了？"
    doc = run(f"{line}\n\n{BODY}", title=title)
    assert doc.text == BODY
    assert doc.url == url
    assert doc.title == title


def test_an_image_credited_to_a_source_names_no_url():
    doc = run(f"{BODY}\n![图片来源：某某社](https://img.example.cn/w700/a.jpg)\n{BODY}")
    assert doc.url is None


def test_a_converter_credit_line_goes():
    assert run(f"本文由 某某阅读 转码\n{BODY}").text == BODY


@pytest.mark.parametrize("text", [
    f"{BODY}\n[城区新增三处口袋公园](https://a.cn/2.html)",  # below the first paragraph: a related link, not the source
    f"[城区新增三处菜市场](https://a.cn/3.html)\n{BODY}",  # another page's headline
    f"详见[城区新增三处口袋公园](https://a.cn/1.html)一文，写得很细致，值得一读。\n{BODY}",  # prose citing it
])
def test_links_that_are_not_the_source_leave_the_url_alone(text):
    doc = run(text, title="城区新增三处口袋公园")
    assert doc.url is None


# --- headline ---------------------------------------------------------------------------------------
def test_a_page_without_title_takes_its_headline_line():
    doc = run(f"首页 > 新闻中心\n城区新增三处口袋公园\n2022-10-01 来源：本网\n{BODY}")
    assert doc.title == "城区新增三处口袋公园"


def test_a_title_with_a_site_suffix_is_cut_to_the_headline_line():
    doc = run(f"城区新增三处口袋公园\n{BODY}", title="城区新增三处口袋公园-滨海新闻网")
    assert doc.title == "城区新增三处口袋公园"


def test_a_headline_is_never_a_body_sentence():
    doc = run(BODY)
    assert doc.title is None


# --- the line model ---------------------------------------------------------------------------------
def test_model_removals_carry_the_rule_name_and_score():
    text = BODY + "\n" + "\n".join(TITLES[:6])
    doc = run(text, model=True, model_threshold=0.0)
    scored = [r for r in doc.removed if r["rule"] == "model"]
    assert scored and all(0.0 <= r["score"] <= 1.0 and r["step"] == "boilerplate" for r in scored)


def test_model_threshold_trades_recall_for_precision():
    text = BODY + "\n" + "\n".join(TITLES[:6])
    kept = [len(run(text, model=True, model_threshold=t).text) for t in (0.0, 0.5, 0.9, 1.01)]
    assert kept == sorted(kept)
    assert run(text, model=True, model_threshold=1.01).text == run(text).text


def test_model_is_deterministic():
    text = BODY + "\n" + "\n".join(TITLES[:6])
    a, b = run(text), run(text)
    assert a.text == b.text and a.removed == b.removed


def test_features_are_one_vector_per_line():
    plain = ["首页", "", BODY.split("\n")[0], "版权所有"]
    x = L.line_features(plain, ["text"] * 4, [None, None, None, "furniture"], "口袋公园")
    assert len(x) == 4 and all(len(v) == len(L.FEATURES) for v in x)
    assert x[1] == [0.0] * len(L.FEATURES)
    assert x[2][L.FEATURES.index("next_rule_hit")] == 1.0


def test_shipped_model_is_small_and_names_known_features():
    model = load_line_model()
    assert set(model["features"]) <= set(L.FEATURES)
    assert 0.0 < model["threshold"] <= 1.01


def test_the_model_comes_from_flows_and_the_step_reads_no_file():
    from flows.recipe import load_recipe

    cfg = load_recipe(None, ["boilerplate.model=true"]).get("boilerplate")
    assert cfg.weights == load_line_model()
    assert "weights" not in cfg.model_dump()  # the recipe as written, not the model
    assert load_recipe(None).get("boilerplate").weights is None  # off: nothing loaded
    text = BODY + "\n" + "\n".join(TITLES[:6])
    assert run(text, model=True).text == run(text, model=True).text


# --- the title of a page with none: its first line (CommonCrawl text opens with the HTML title) -----------
FIRST_LINE_TITLES = [
    (f"春耕时节访农家_新闻中心_某某网\n首页\n新闻\n{BODY}", "春耕时节访农家"),
    (f"工频变压器 - 上海某某电气有限公司\n产品中心\n{BODY}", "工频变压器"),
    (f"J123-某某建材有限公司\n首页\n{BODY}", "J123"),
    (f"城区新增三处口袋公园-某某新闻网\n首页\n城区新增三处口袋公园\n{BODY}", "城区新增三处口袋公园"),
]


@pytest.mark.parametrize("text, title", FIRST_LINE_TITLES)
def test_a_page_without_title_takes_its_first_line_and_drops_it(text, title):
    doc = run(text)
    assert doc.title == title
    assert text.split("\n")[0] not in doc.text.split("\n")
    assert any(r["rule"] == "title_line" for r in doc.removed)
    again = run(doc.text, doc.title)  # a second pass keeps both
    assert (again.title, again.text) == (doc.title, doc.text)


@pytest.mark.parametrize("text, title", [
    (f"春耕时节访农家_新闻中心_某某网\n首页\n{BODY}", "记录给的标题"),  # the record's title is trusted more
    (BODY, None),  # the first line is a sentence
    ("首页 > 新闻中心 > 正文\n" + BODY, None),  # a breadcrumb
    ("城区新增三处口袋公园\n记者从市园林局了解到，今年一季度城区新增三处口袋公园。", None),  # a page needs more than its title
])
def test_the_first_line_stays_when_it_is_not_a_title(text, title):
    doc = run(text, title)
    assert not any(r["rule"] == "title_line" for r in doc.removed)  # other rules may still drop a menu
    if "正文" not in text.split("\n")[0]:
        assert text.split("\n")[0] in doc.text.split("\n")


# Han and Latin counts by numpy stand in for the regexes they replace: the same numbers on any text,
# lone surrogates, astral characters and the code points either side of each range included.
_COUNT_CHARS = st.sampled_from(list("aZ@[`{z中文，。 \x00") + ["\u4dff", "\u4e00", "\u9fff", "\ua000", "𠀀", "\ud800"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(_COUNT_CHARS, max_size=12), max_size=8))
def test_han_and_latin_counts_agree_with_the_regexes(texts):
    han, latin = L.han_latin(texts)
    assert han == [len(L._HAN.findall(t)) for t in texts]
    assert latin == [len(L._LATIN_LETTER.findall(t)) for t in texts]
    assert [L.han_count(t) for t in texts] == han


def test_a_line_seen_before_gets_the_same_verdicts():
    """The step remembers short lines' pure tests across pages: a page seen twice comes out the same."""
    text = "首页\n" + BODY + "\n责任编辑：王小明\n分享到：微信 微博\n![](a.jpg)\n村口的老槐树\n- [相关报道](http://a.cn/1.html)"
    first, again = run(text, None), run(text, None)
    assert (first.text, first.removed, first.columns) == (again.text, again.removed, again.columns)


CODE_PIECES = st.sampled_from(list("aZ_9 .-/:=$({&|\t中") + ["&&", "||", "--", "./", "../", "A_B=", "=x", "http://a.cn/x", "é"])


@settings(max_examples=2000, deadline=None)
@given(st.lists(CODE_PIECES, max_size=14).map("".join))
def test_code_mark_in_parts_is_the_one_regex(s):
    assert L._code_mark(s) == (L.CODE_MARK.search(s) is not None)
