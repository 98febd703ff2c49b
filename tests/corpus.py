"""A small synthetic corpus, written by hand, in every input format the flow reads."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

SITE = "http://news.example.cn/local"
SLOGAN = "滨海新闻网，记录这座城市的每一天"
NAV = "首页 > 新闻中心 > 本地要闻"

PAGES = {
    "park": "记者从市园林局了解到，今年一季度城区新增三处口袋公园，分别位于老城街道、滨江街道和高新区。\n"
            "这些公园面积都不大，最小的只有八百平方米，但配备了座椅、健身器材和儿童游乐设施，周边居民步行五分钟就能到达。\n"
            "园林局有关负责人介绍，今年全市计划建设二十处口袋公园，优先选择老旧小区密集、公共空间不足的片区，并邀请居民参与设计，让公园更贴近日常需要。\n"
            "附近的居民说，以前傍晚只能在路边散步，现在带孩子下楼就有地方玩，老人们也常在树荫下聊天下棋。",
    "metro": "地铁四号线南延段开始空载试运行，试运行期间列车将按照正式运营的时刻表运行，检验设备系统的稳定性。\n"
             "南延段全长十二公里，设车站七座，建成后将把南部新城与主城区连接起来，沿线居民进城时间预计缩短二十分钟。\n"
            "运营公司表示，试运行结束后还需通过专家评审，正式开通时间将另行公布。沿线几个街道已经开始规划接驳公交线路，方便居民换乘。\n"
            "记者在试运行首日乘坐列车看到，车厢内空调、照明和广播系统运转正常，站台屏蔽门开关顺畅。",
    "lift": "今年以来，全市老旧小区加装电梯工作进展顺利，已有六十多台电梯完成安装并投入使用。\n"
            "家住滨江街道的李阿姨今年七十八岁，过去下楼买菜要歇好几次，现在坐电梯几十秒就到了，她说这是今年最高兴的一件事。\n"
            "住建部门表示，将继续简化审批流程，对符合条件的项目给予资金补贴，并引导居民协商解决分摊费用等问题，争取年内再完成一百台。\n"
            "社区工作人员介绍，加装电梯最难的是协调低层住户的意见，他们挨家挨户上门沟通，前后开了十几次协商会。",
    "grain": "随着秋收接近尾声，全省秋粮收购工作全面展开。记者在多个收购点看到，售粮车辆排起长队，工作人员正在抽样检测水分和杂质。\n"
             "粮食部门介绍，今年全省秋粮长势良好，预计收购量将比去年增加百分之五左右，各收购点还延长了营业时间。\n"
            "一位来自城郊的种粮大户说，今年他种了两百多亩玉米，亩产超过一千二百斤，价格稳定，心里踏实，明年还打算再多流转一些土地。\n"
            "市场监管部门也派出检查组，对收购点的计量器具和价格公示情况进行抽查，防止压级压价和克扣斤两。",
    "tea": "清明前的半个月，是龙井村最忙的时候。天刚亮，采茶工就背着竹篓上了山，一芽一叶地采下嫩尖。\n"
           "茶农王师傅家有十几亩茶园。他说，今年开春气温回升快，茶芽比往年早冒了一周，量不算多，但味道好。\n"
            "炒茶是最见功夫的环节。铁锅烧到两百多度，手掌贴着锅壁不停地抓、抖、压、磨，一锅茶要炒二十多分钟，王师傅说这手艺练了三十年。\n"
            "傍晚时分，炒好的新茶装进铁罐，村口的茶叶店里已经坐满了前来品茶的游客，空气里都是豆花一样的清香。",
}


def _record(i: int, key: str) -> dict:
    return {"url": f"{SITE}/{i}.html", "title": f"本地新闻{i}", "raw_content": f"{NAV}\n{PAGES[key]}\n{SLOGAN}"}


def write_corpus(root: Path) -> dict[str, int]:
    """Write the corpus; return how many documents (records) each input holds."""
    (root / "crawl").mkdir(parents=True)
    (root / "posts").mkdir()
    (root / "html").mkdir()
    records = [_record(i, k) for i, k in enumerate(["park", "metro", "lift", "grain"])]
    records.append({**records[0], "url": f"{SITE}/repost.html"})  # an exact duplicate
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    lines.insert(2, '{"url": "broken", "raw_content": "没有结束')  # malformed: errored, not fatal
    (root / "crawl" / "news.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with gzip.open(root / "crawl" / "more.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write(json.dumps({"url": "https://blog.example.org/tea", "title": "明前茶", "text": PAGES["tea"]},
                           ensure_ascii=False) + "\n")
    (root / "posts" / "tea.md").write_text(
        f"---\ntitle: 龙井村的春天\nauthor: 陈雨\ndate: 2024-04-02\n---\n\n{PAGES['tea'].replace('量不算多', '产量不多')}\n",
        encoding="utf-8")
    html = (f"<html><head><meta charset=\"gb2312\"><title>秋粮收购全面展开</title></head><body><article>"
            f"<h1>秋粮收购全面展开</h1>{''.join(f'<p>{p}</p>' for p in PAGES['grain'].split(chr(10)))}"
            f"<p>{PAGES['lift']}</p></article></body></html>")
    (root / "html" / "grain.html").write_bytes(html.encode("gbk"))
    (root / "notes.bin").write_bytes(b"\x00\x01binary")
    return {"crawl/news.jsonl": 6, "crawl/more.jsonl.gz": 1, "posts/tea.md": 1, "html/grain.html": 1, "notes.bin": 1}
