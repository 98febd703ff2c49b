"""dedup: exact keys, MinHash band keys for near-duplicates, and deterministic clusters."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.document import Document
from transforms.dedup import (
    Config,
    assign_clusters,
    band_keys,
    canonical_text,
    exact_key,
    map_keys,
    page_keys,
    shingle_hashes,
)

CFG = Config()

# A made-up news report, fourteen paragraphs and about 1,500 characters.
METRO = [
    "滨江市地铁5号线一期工程于今天上午九时正式开通运营。这条线路全长二十八点六公里，共设车站二十一座，自北向南贯穿"
    "高新区、老城区和滨江新区，是全市第一条全自动无人驾驶地铁线路。开通首日，沿线各站客流平稳有序，不少市民专程前来体验。",
    "据滨江地铁集团介绍，5号线采用六节编组的B型列车，最高运行速度每小时八十公里，高峰时段行车间隔为三分四十秒。列车"
    "配备了智能空调、车厢拥挤度显示屏和无障碍专用区域，每节车厢还设有手机无线充电座位，方便乘客出行途中使用。",
    "为了保障新线安全运营，地铁集团在开通前组织了为期三个月的空载试运行，累计开行列车一万两千余列次，并先后开展了火灾"
    "疏散、大客流组织、设备故障处置等十余项应急演练。各车站均配备了专职安检人员和志愿者，引导乘客有序进出站。",
    "5号线与已运营的1号线、2号线和3号线分别在人民广场站、火车站站和体育中心站实现换乘。乘客在换乘站内无需出站，平均"
    "换乘步行距离不超过一百五十米。地铁集团表示，随着5号线的开通，全市轨道交通运营里程达到一百三十七公里。",
    "家住滨江新区的陈先生是第一批乘客之一。他告诉记者，过去从家里到老城区上班，需要换乘两趟公交车，路上要花一个多小时，"
    "遇上堵车时间更长。“现在坐地铁只要三十五分钟，而且准点，以后上班再也不用担心迟到了。”",
    "在高新区站，刚刚下车的大学生小刘拿出手机拍下了站厅里的壁画。这组以“江城印象”为主题的壁画长约四十米，描绘了滨江"
    "两岸从古渡口到现代新城的变迁。据了解，5号线沿线共有八座车站设置了主题文化墙，展示本地的历史人文和自然风光。",
    "票价方面，5号线执行全市统一的轨道交通票价标准，起步价二元，最高票价七元。乘客可以使用交通卡、手机扫码和银行卡闪付"
    "等多种方式进站。开通后的第一个月内，持有本市老年优待证的乘客在非高峰时段可免费乘坐。",
    "按照规划，5号线二期工程将继续向南延伸至临港工业园区，新增车站七座，预计在三年后建成通车。届时，滨江新区与港口之间"
    "将实现半小时通达，对于带动沿线产业发展、优化城市空间布局具有重要意义。",
    "开通仪式上，市长在致辞中感谢了参与工程建设的全体人员。他说，5号线建设历时五年，施工期间穿越了老城区密集的建筑群和"
    "两条河道，建设者们克服了地质条件复杂、施工场地狭小等多重困难，确保了工程质量和进度。",
    "工程指挥部负责人介绍，为了减少施工对周边居民的影响，项目部在老城区路段采用了低噪音的盾构设备，并在夜间严格控制运输"
    "车辆的通行时间。五年来，共接待居民来访和咨询两千余人次，处理各类意见建议三百多条。",
    "交通管理部门也同步优化了地面公交线路。截至目前，已新开和调整与地铁站衔接的公交线路十四条，在十二座车站周边增设了"
    "共享单车停放点和出租车临时停靠区，努力打通市民出行的“最后一公里”。",
    "记者在采访中注意到，部分车站出入口周边的道路仍在进行收尾施工，个别出入口暂未开放。对此，地铁集团表示，相关工程将在"
    "本月底前全部完成，未开放的出入口将陆续投入使用，具体信息将通过官方网站和微信公众号及时发布。",
    "据统计，开通当天5号线共运送乘客九万八千人次，其中换乘客流约占四成。晚高峰期间，人民广场站一度启动限流措施，工作人员"
    "在站外设置了排队区，乘客平均等候时间不超过十分钟，整体运营秩序良好。",
    "不少沿线商户也对地铁开通充满期待。在老城区经营一家茶叶店的林老板说，店门口就是新开的地铁出入口，这几天进店的顾客"
    "明显多了，他准备在周末推出优惠活动，吸引更多乘客前来品茶选购。",
]
EXTRA = (
    "另据了解，为方便外地游客，5号线各站的导向标识均采用中英文双语，部分车站还增设了日文和韩文的乘车指南。游客服务中心"
    "设在人民广场站站厅层，提供线路咨询、失物招领和轮椅借用等服务。"
)
# Another report on the same line, a week later: same topic, different page.
CROWDS = (
    "记者从滨江市交通运输局获悉，地铁5号线开通以来，日均客流已突破十五万人次，超过了此前的预测。其中，早高峰时段高新区站、"
    "人民广场站的进出站人数最多，部分列车的满载率接近百分之九十。\n"
    "针对客流增长较快的情况，运营单位决定从下周一起加开早晚高峰的区间车，将高峰期最小行车间隔由三分四十秒缩短至三分钟。"
    "同时，人民广场站将增加两台自动售票机，并在换乘通道内安排工作人员疏导客流。\n"
    "交通运输局相关负责人表示，下一步将持续跟踪分析客流数据，适时调整运营组织方案。市民如对地铁运营服务有意见和建议，"
    "可以拨打服务热线或在官方应用程序中留言反馈。\n"
    "不少乘客对加开列车的举措表示欢迎。在软件园工作的赵女士说，前几天早上在高新区站要等两趟车才能挤上去，希望加车以后"
    "情况能有所好转。"
)
LONG_PAGE = "\n\n".join(METRO)
SHORT_PAGE = "\n\n".join(METRO[:5])


def test_fixture_sizes():
    assert 1400 <= len(LONG_PAGE) <= 1700
    assert 500 <= len(SHORT_PAGE) <= 700


@pytest.mark.parametrize(
    "a, b, same",
    [
        ("今天，北京晴。", "今天 北京晴", True),  # punctuation and spacing do not count
        ("新华社北京10月5日电\n记者：张三", "新华社北京10月5日电 记者:张三", True),
        ("ＡＰＰ下载", "app下载", True),  # NFKC, lower case
        ("今天北京晴", "今天上海晴", False),
        ("10月5日", "10月6日", False),  # digits are content here
    ],
)
def test_exact_key(a, b, same):
    assert (exact_key(a) == exact_key(b)) is same


def test_canonical_text():
    assert canonical_text("新华社北京10月5日电，\n记者：张三。") == "新华社北京10月5日电记者张三"


def test_exact_duplicate_shares_every_key():
    copy = LONG_PAGE.replace("\n\n", "\n").replace("，", ",")  # re-formatted, same words
    assert page_keys(copy, CFG) == page_keys(LONG_PAGE, CFG)


def _shared(a: str, b: str) -> int:
    return len(set(band_keys(a, CFG)) & set(band_keys(b, CFG)))


def test_one_character_changed_is_a_near_duplicate():
    changed = SHORT_PAGE.replace("三十五分钟", "三十六分钟")
    assert changed != SHORT_PAGE
    assert exact_key(changed) != exact_key(SHORT_PAGE)
    assert _shared(changed, SHORT_PAGE) >= 1


def test_added_paragraph_is_a_near_duplicate():
    longer = "\n\n".join(METRO[:6] + [EXTRA] + METRO[6:])
    assert _shared(longer, LONG_PAGE) >= 1


@pytest.mark.parametrize(
    "a, b",
    [
        (CROWDS, LONG_PAGE),  # same line, same week, another story
        (CROWDS, SHORT_PAGE),
        ("\n\n".join(METRO[:6]), LONG_PAGE),  # the first half of a page is not a copy of it
        ("\n\n".join(METRO[7:]), "\n\n".join(METRO[:7])),
    ],
)
def test_different_pages_on_the_same_topic_are_not(a, b):
    assert _shared(a, b) == 0


def test_band_keys_shape():
    keys = band_keys(LONG_PAGE, CFG)
    assert len(keys) == CFG.bands
    assert all(-(1 << 63) <= k < (1 << 63) for k in keys)
    assert len(set(keys)) == CFG.bands  # the band index is mixed in
    assert len(band_keys(LONG_PAGE, Config(bands=16, rows=8))) == 16


@pytest.mark.parametrize("cfg", [CFG, Config(near=False), Config(exact=False)], ids=["both", "exact", "near"])
def test_map_keys_are_page_keys_as_kept(cfg):
    """A copy already seen keeps its exact key alone; ``near: false`` keeps no band: map_keys skips their MinHash."""
    seen: set[int] = set()
    pages = [METRO[0] * 2, METRO[1], METRO[0] * 2, "今天，北京晴。", ""]
    for i, text in enumerate(pages):
        exact, bands = page_keys(text, cfg)
        repeat = cfg.exact and exact in seen
        seen_before = set(seen)
        rows = map_keys(Document(id=str(i), source="s", text=text), cfg, seen)
        keys = ([exact] if cfg.exact else []) + (bands if cfg.near and not repeat else [])
        assert rows["key"] == keys and rows["id"] == [str(i)] * len(keys)
        assert seen == (seen_before | {exact} if cfg.exact else seen_before)


def test_short_and_empty_texts():
    assert len(shingle_hashes("新闻", 5)) == 1  # shorter than the n-gram: one shingle
    assert band_keys("新闻。", CFG) == band_keys("新闻", CFG) != []
    assert band_keys("新闻", CFG) != band_keys("体育", CFG)
    assert band_keys("，。！", CFG) == []


def test_bands_must_fit_in_the_signature():
    with pytest.raises(ValueError):
        Config(bands=20, rows=10)


def test_keys_are_the_same_in_another_process():
    script = (
        "import json, sys; from transforms.dedup import Config, page_keys;"
        "print(json.dumps(page_keys(sys.stdin.read(), Config())))"
    )
    root = Path(__file__).resolve().parents[1]
    exact, bands = page_keys(SHORT_PAGE, CFG)
    for seed in ("1", "2"):  # hash() would differ between these two
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = [sys.executable, "-c", script]
        out = subprocess.run(run, input=SHORT_PAGE, capture_output=True, text=True, env=env, cwd=root, check=True)
        assert json.loads(out.stdout) == [exact, bands]


@pytest.mark.parametrize(
    "groups, sizes, expected",
    [
        ([["a", "b"]], {"a": 100, "b": 300}, {"a": ("b", 2), "b": ("b", 2)}),  # the longest represents
        ([["b", "a"]], {"a": 300, "b": 300}, {"a": ("a", 2), "b": ("a", 2)}),  # then the smallest id
        ([["a", "b"], ["b", "c"], ["d"]], {"a": 1, "b": 1, "c": 5, "d": 9}, {k: ("c", 3) for k in "abc"}),
        ([["a"], ["b"], []], {"a": 1, "b": 1}, {}),  # no collision, no cluster
        ([["a", "a"]], {"a": 1}, {}),
    ],
)
def test_assign_clusters(groups, sizes, expected):
    assert assign_clusters(groups, sizes) == expected


IDS = st.sampled_from([f"doc{i}" for i in range(12)])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(IDS, max_size=4), max_size=10), st.randoms(use_true_random=False))
def test_assign_clusters_is_order_independent(groups, rnd):
    sizes = {f"doc{i}": (i * 7) % 5 for i in range(12)}
    result = assign_clusters(groups, sizes)
    shuffled = [rnd.sample(g, len(g)) for g in groups]
    rnd.shuffle(shuffled)
    assert assign_clusters(shuffled, sizes) == result
    for doc, (rep, size) in result.items():
        members = [d for d, (r, _) in result.items() if r == rep]
        assert len(members) == size >= 2
        assert min(members, key=lambda d: (-sizes[d], d)) == rep
        assert any(doc in g for g in groups)
