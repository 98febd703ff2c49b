"""quality: signals on every page, and thresholds that reject with the right reason and value."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.document import Document, Drop, StepStats
from transforms.quality import Config, apply, signals

NEWS = (
    "本报讯（记者 李明）10月5日上午，滨江市第三届秋季农产品展销会在市会展中心开幕。本届展销会为期五天，共设特色农产品、"
    "农机装备、乡村旅游三个展区，吸引了来自省内外的二百多家企业参展。市农业农村局有关负责人介绍，今年全市粮食播种面积稳定"
    "在一百二十万亩以上，蔬菜、水果等经济作物长势良好，预计秋粮总产量将比去年增长百分之三左右。\n"
    "开幕当天，不少市民一早便来到现场选购。家住城东的王女士说：“这里的东西新鲜，价格也实惠，我买了两箱苹果和一些小米。”"
    "据悉，展销会期间主办方还将举办农产品直播带货、农技专家咨询等活动，帮助农户拓宽销售渠道。"
)
MENU = "\n".join(
    "首页 新闻中心 国内 国际 财经 股票 基金 体育 娱乐 科技 手机 汽车 房产 家居 教育 考试 旅游 健康 育儿 美食 时尚 "
    "游戏 动漫 视频 图片 专题 评论 博客 论坛 天气 地图 招聘 二手 彩票 公益 文化 历史 读书 军事 法治 三农 "
    "数码 家电 留学 移民 理财 保险 银行 信托 期货 外汇 黄金 债券 星座 宠物 摄影 户外 婚嫁 装修 "
    "关于我们 联系我们 网站地图 广告服务 版权声明 隐私政策 友情链接 意见反馈 帮助中心".split()
)
ENGLISH = (
    "The third autumn farm produce fair opened on Thursday at the city exhibition centre. Over two hundred "
    "companies from across the province are taking part, and organisers expect more visitors than last year."
)
SPAM_LINES = "\n".join(["加微信领取免费资料，名额有限先到先得！"] * 15)
SPAM_PHRASE = "澳门赌场，" * 60
BROKEN = "".join("\ufffd" if i % 9 == 4 else c for i, c in enumerate(NEWS))  # a failed decode
LATIN1 = NEWS.encode("utf-8").decode("latin-1")  # UTF-8 read as Latin-1: 'æ\x9c¬æ\x8a¥è®¯…'
SHORT = NEWS[: NEWS.index("参展。") + 3]  # two sentences, 91 characters: under Gopher's 50 words
LISTING = "\n".join(f"滨江市第{i}届秋季农产品展销会开幕" for i in range(1, 15))  # headlines, no sentences

# Real pages the quality step once rejected, each an invented page of a family seen on Chinese sites.
BRIEF = (  # a news brief of three sentences, 106 characters
    "滨江讯 昨日下午，滨江市气象台发布今年首个高温橙色预警，预计未来三天全市最高气温将达三十八摄氏度以上。"
    "市防汛抗旱指挥部提醒市民减少午后户外活动，注意防暑降温。户外作业单位须调整作息时间，并为一线工人提供防暑物品。"
)
HEADED = (  # headline, dateline, subheads and a caption, none of them a sentence, around three paragraphs
    "滨江市启动老旧小区改造\n2024-05-20 08:30　来源：滨江日报\n一、改造范围\n"
    "今年全市计划改造老旧小区一百二十个，涉及居民四万余户，重点更新供水、排水、供气管网和电梯等设施。\n"
    "二、资金安排\n改造资金由市区两级财政共同承担，居民可按自愿原则出资参与楼道美化等项目。\n"
    "施工中的东湖小区\n市住建局表示，改造期间将设立临时便民点，并在每个小区公示施工计划和监督电话。"
)
CODE_PAGE = (  # a Chinese tutorial with its commands: more Latin letters than Han
    "本文记录在本机用容器部署数据库的步骤，供大家参考。\n先拉取镜像并启动容器：\n"
    "docker pull postgres:16\ndocker run -d --name pg -e POSTGRES_PASSWORD=secret -p 5432:5432 postgres:16\n"
    "然后进入容器，创建数据库和用户：\ndocker exec -it pg psql -U postgres\n"
    "CREATE DATABASE shop;\nCREATE USER shop_admin WITH PASSWORD 'secret';\n"
    "GRANT ALL PRIVILEGES ON DATABASE shop TO shop_admin;\n"
    "最后检查端口是否打开，如果连接失败，请先确认防火墙设置。"
)
BILINGUAL = (  # a statement in Chinese, then its English version
    "本会对事件深表关注，并促请当局尽快公布调查结果，向公众交代。本会将继续跟进事件，保障会员权益。\n"
    "The Association is deeply concerned about the incident and urges the authorities to publish the "
    "findings of the investigation as soon as possible. We will follow up on the matter closely."
)
VERSE = "\n".join([  # prose broken into short lines at every comma
    "我们没有高楼的气派，", "也没有名胜的名气。", "我们只是坐在河边，", "看人来人往，", "看云朵在天上变来变去，",
    "看黄昏时依偎着走过对岸的恋人。", "走过的人都说，", "我们在浪费时间。", "可是，", "除了这些日常，",
    "生活还需要些甚么？", "我们真的不知道。",
])
CAPTIONS = "\n".join(  # photo captions: a sentence, then the agency's credit
    f"{place}周三举行集会，数百名市民参加，要求当局改善公共交通服务。美联社"
    for place in ("柏林", "巴黎", "罗马", "马德里", "维也纳")
)
SCRIPT = (  # "docker stop pg && docker rm pg\n-e TZ=Asia/Shanghai \\": the same commands in two scripts
    "-e POSTGRES_PASSWORD=secret \\\n-e TZ=Asia/Shanghai \\\n-v /data/pg:/var/lib/postgresql/data \\"
)
CODE_TWICE = (  # a tutorial that shows its script for docker, then for podman: commands repeat on purpose
    "下面分别给出用docker和podman部署数据库的脚本，两者的参数基本一致，读者可以按自己的环境选择。\n"
    "docker脚本如下：\ndocker stop pg && docker rm pg\ndocker run -d --name pg \\\n" + SCRIPT + "\nbitnami/postgresql:16\n"
    "podman脚本如下：\npodman stop pg && podman rm pg\npodman run -d --name pg \\\n" + SCRIPT + "\nbitnami/postgresql:16\n"
    "需要注意的是，podman默认以普通用户运行，挂载目录的权限要提前设置好，否则容器会启动失败。"
)
KEYWORDS = (  # a keyword dump: long lines, no sentence
    "电饭煲 电饭锅 电饭煲哪个牌子好 电饭煲价格 电饭煲排行榜 智能电饭煲 迷你电饭煲 电饭煲内胆 电饭煲维修 "
    "电压力锅 电炖锅 电蒸锅 电热水壶 豆浆机 破壁机 榨汁机 空气炸锅 微波炉 电烤箱 6.5升电饭煲 3.0升电饭煲\n"
    "热门搜索 小家电 厨房电器 生活电器 个护电器 家电品牌 家电评测 家电导购 家电价格 家电维修 家电回收"
)
SALAD = (  # spam: phrases strung with commas, never a sentence
    "最新电影在线观看，高清电影免费下载，热门电视剧全集，好看的综艺节目，免费小说阅读网，"
    "手机电影网站，最新动漫在线看，经典老电影大全，韩剧在线观看免费，电影天堂最新版，"
    "免费看电影的网站，在线影院高清，午夜剧场免费，最新美剧下载，电影排行榜前十名"
)
SPEC = "\n".join(  # a product's parameter table
    ["品牌", "瑞隆", "型号", "DO-201AD", "封装", "直插", "包装", "盒装", "库存", "731个", "单价", "0.35元", "产地", "深圳",
     "重量", "1.2克", "温度范围", "零下55至150度", "认证", "RoHS", "交期", "现货", "起订量", "100个",
     "加入购物车", "立即购买", "收藏商品", "联系客服", "商品评价", "常见问题", "售后服务", "配送说明"]
)


@pytest.mark.parametrize(
    "text, reason",
    [
        (NEWS, None),
        (SHORT, "quality:n_chars"),
        (ENGLISH, "quality:han_ratio"),
        (LATIN1, "quality:han_ratio"),
        (MENU, "quality:mean_line_chars"),
        (SPAM_LINES, "quality:dup_line_frac"),
        (SPAM_PHRASE, "quality:top_ngram_frac"),
        (BROKEN, "quality:n_fffd"),
        (LISTING, "quality:no_terminal_frac"),
        (BRIEF, None),
        (HEADED, None),
        (CODE_PAGE, None),
        (CODE_TWICE, None),
        (BILINGUAL, None),
        (VERSE, None),
        (CAPTIONS, None),
        (KEYWORDS, "quality:no_terminal_frac"),
        (SALAD, "quality:no_terminal_frac"),
        (SPEC, "quality:mean_line_chars"),
        ("\n".join([ENGLISH] * 3), "quality:han_ratio"),  # English text in a Chinese corpus: rejected by language
        ("", "empty"),
        ("\n \u3000\n", "empty"),
    ],
)
def test_thresholds(text, reason):
    doc = Document(id="a", source="s", text=text)
    drop = apply(doc, Config(), StepStats())
    assert (drop.reason if drop else None) == reason
    if drop and reason != "empty":
        assert drop.value == doc.columns[reason.removeprefix("quality:")]
    assert doc.text == text  # quality never edits


def test_empty_page_drop():
    assert apply(Document(id="a", source="s", text=""), Config(), StepStats()) == Drop("empty", 0)


def test_drop_carries_the_value():
    drop = apply(Document(id="a", source="s", text=SHORT), Config(), StepStats())
    assert drop == Drop("quality:n_chars", len(SHORT))


def test_every_signal_becomes_a_rounded_column():
    doc = Document(id="a", source="s", text=NEWS)
    assert apply(doc, Config(), StepStats()) is None
    expected = {"n_chars", "han_ratio", "punct_ratio", "n_lines", "mean_line_chars", "dup_line_frac"}
    expected |= {"top_ngram_frac", "no_terminal_frac", "n_fffd"}
    assert set(doc.columns) == expected
    for value in doc.columns.values():
        assert value == round(value, 4)
    assert doc.columns["n_lines"] == 2 and doc.columns["n_fffd"] == 0
    assert doc.columns["no_terminal_frac"] == 0.0
    assert doc.columns["han_ratio"] == 1.0  # no Latin word
    assert 0.05 < doc.columns["punct_ratio"] < 0.2


def test_fffd_is_counted_on_the_text_kept():
    # the unicode step counted 12 in lines the boilerplate step then removed (a row of broken icons): the page is whole
    doc = Document(id="a", source="s", text=NEWS, columns={"n_fffd": 12})
    assert apply(doc, Config(), StepStats()) is None and doc.columns["n_fffd"] == 0
    doc = Document(id="b", source="s", text=NEWS.replace("，", "\ufffd"), columns={"n_fffd": 0})
    assert apply(doc, Config(), StepStats()).reason == "quality:n_fffd"


def test_none_switches_a_threshold_off():
    doc = Document(id="a", source="s", text=MENU)
    assert apply(doc, Config(min_mean_line_chars=None, max_no_terminal_frac=None), StepStats()) is None
    assert apply(Document(id="b", source="s", text=SHORT), Config(min_chars=None), StepStats()) is None


def test_signals_of_a_small_page():
    s = signals("北京今日晴。\n北京今日晴。\n首页")
    assert s["n_chars"] == 16 and s["n_lines"] == 3
    assert s["han_ratio"] == 1.0
    assert s["punct_ratio"] == pytest.approx(2 / 14)
    assert s["mean_line_chars"] == pytest.approx(14 / 3)
    assert s["dup_line_frac"] == pytest.approx(1 / 3)
    assert s["top_ngram_frac"] == pytest.approx(2 * 2 / 12)
    assert s["no_terminal_frac"] == pytest.approx(2 / 14)  # the characters of 首页


@pytest.mark.parametrize(
    "text, ratio",
    [
        ("北京今日晴", 1.0),
        ("我用Python写代码", 5 / 6),  # a Latin word counts once, as a Han character does
        ("docker run -d 启动容器", 4 / 7),  # docker, run, d
        ("版本3.10.2发布", 1.0),  # digits are no language
        ("ソウルで会議を開いた", 3 / 10),  # kana count one by one, as Han do
        ("서울에서 회의", 0.0),
        ("12345 !!!", 0.0),
    ],
)
def test_han_ratio_is_over_words(text, ratio):
    assert signals(text)["han_ratio"] == pytest.approx(ratio)


@pytest.mark.parametrize(
    "text, mean",
    [
        ("首页\n新闻\n体育", 2.0),
        ("床前明月光，\n疑是地上霜。\n举头望明月，\n低头思故乡。", 12.0),  # a comma carries the line on
        ("苹果、\n香蕉、\n橙子", 8 / 1),
        ("结尾，", 3.0),
    ],
)
def test_mean_line_chars_joins_lines_ending_in_a_comma(text, mean):
    assert signals(text)["mean_line_chars"] == pytest.approx(mean)


def test_a_sentence_broken_at_its_commas_is_one_sentence():
    assert signals("食面反碗底，\n除了是一句老话外，\n还是一种民间美吃。\n一个标题")["no_terminal_frac"] == pytest.approx(4 / 28)


def test_repeated_code_is_no_repeat():
    assert signals(CODE_TWICE)["dup_line_frac"] == 0.0
    spam = "加微信领取资料\n" * 3 + "docker stop pg && docker rm pg\n" * 3
    assert signals(spam)["dup_line_frac"] == pytest.approx(2 / 6)  # the text's repeats count


@pytest.mark.parametrize(
    "line, ends",
    [
        ("他说：“我买了两箱苹果。”", True),  # closing quotes do not hide the full stop
        ("真的吗？", True),
        ("（完）", False),
        ("未完待续……", True),
        ("一、基本情况", False),
        ("See you.", True),
        ("布伦森全场出战29分钟，得到17分。[3]", True),  # a note number after the full stop
        ("市民集会要求改善交通。美联社", True),  # a credit after it
        ("解放 J6F 6.2米单排栏板载货车", False),  # a decimal point
        ("详见 www.example.com 网站", False),
        ("Version 2.0 is out! Get it now", True),
    ],
)
def test_terminal_punctuation(line, ends):
    assert signals(line)["no_terminal_frac"] == (0.0 if ends else 1.0)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_signals_are_bounded(text):
    s = signals(text)
    assert s["n_chars"] == len(text)
    for key in ("han_ratio", "punct_ratio", "dup_line_frac", "top_ngram_frac", "no_terminal_frac"):
        assert 0.0 <= s[key] <= 1.0
    assert s["mean_line_chars"] <= len(text)
    assert s["n_lines"] <= text.count("\n") + 1


def test_code_holds_no_sentence_and_lacks_none():
    assert signals("先停掉旧容器。\ndocker stop pg && docker rm pg\n完成")["no_terminal_frac"] == pytest.approx(2 / 9)
    only_code = Document(id="a", source="s", text="docker stop pg && docker rm pg --force\n" * 2 + "-e TZ=UTC \\\n" * 9)
    assert apply(only_code, Config(), StepStats()).reason == "quality:han_ratio"  # no Chinese: another language
