"""News-page furniture in both scripts: the headline line, photo captions by position or by form, news bylines and
datelines, closing donation and subscription notices, a repost's provenance, credits, sign-off and closing promos. Every page is decided line by line the same in Traditional and Simplified.
"""

import pytest

from transforms import boilerplate as B
from transforms.document import Document, StepStats
from transforms.script import convert


def clean(text: str, title: str | None = None) -> Document:
    doc = Document(id="t", source="t", text=text, title=title)
    B.apply(doc, B.Config(), StepStats())
    return doc


def decisions(text: str, title: str | None) -> list[tuple[int, str | None]]:
    """For each line of the page: its index and the rule that removed it whole (None when it stays)."""
    doc = clean(text, title)
    gone = {r["text"].strip(): r["rule"] for r in doc.removed}
    return [(i, gone.get(line.strip())) for i, line in enumerate(text.split("\n")) if line.strip()]


# A charity-column page as a Taiwanese daily prints it (invented): headline, deck, photo with its caption, the lead
# with the reporter's credit, body, subheading, and the foundation's notice that closes every such page.
APPLE_LIKE = "\n".join([
    "獨居翁顧癱妻 三餐難繼",
    "兒女遠在他鄉 「只盼她能再叫我一聲」",
    "![](./picture/B1001-1.jpg) 陳伯（後右）每天替妻子按摩雙腿，盼她早日重新站起來。",
    "清晨六點，72歲的陳伯已在灶前熬好一鍋稀飯，一口一口餵給中風臥床的妻子，他說：「她以前照顧我一輩子，現在換我顧她。」報導．攝影╱林大同",
    "陳伯年輕時在港口當搬運工，靠一身力氣養活一家五口，三個孩子成家後都搬到北部，每月只能寄回幾千元貼補家用。",
    "房租積欠三個月",
    "去年底妻子中風後，陳伯辭去大樓警衛的工作專心照顧，收入頓失，房租已積欠三個月，里長協助申請急難救助金，蘋果基金會獲悉，已撥款暫紓困境。",
    "蘋果慈善基金會作業說明",
    "1.基金會在此感謝各位讀者愛心，針對所有捐款人皆製發收據，將在您捐款入帳後15日內寄發。",
    "2.您所指定轉贈的善款，基金會均會全數轉交指定協助對象；如蒙您「不指定」捐款，即匯入急難救助金。",
])
APPLE_TITLE = "獨居翁顧癱妻 三餐難繼"

# A wire story reposted by an account (invented): dateline, outlet line, reading time, reporters' credit.
WIRE_LIKE = "\n".join([
    "2018-04-13 15:00:06 每日人物",
    "每日人物卫小婕、张小婧报道",
    "全文共3218字，阅读大约需要8分钟。",
    "新华社北京3月5日电",
    "十三届全国人大一次会议5日上午在人民大会堂开幕，近三千名代表出席，听取政府工作报告。",
    "报告提出，今年发展主要预期目标是国内生产总值增长6.5%左右，城镇新增就业1100万人以上。",
    "特约撰稿人 王小摇、阿唐 发自上海、北京 20190503",
])

# A Hong Kong feature (invented): the headline as a heading, a list the article makes, the subscription notice.
HK_LIKE = "\n".join([
    "# 星級大狀再對壘 貪污案明開審",
    "",
    "案件由高等法院法官主審，控辯雙方均聘請資深大律師，預計審訊為期二十天，傳召證人超過三十名。",
    "",
    "控方由英國御用大律師帶領，曾代表政府處理多宗重大貪污案，辯方則由本地資深大律師出任。",
    "",
    "**●大律師陳小龍**",
    "",
    "---",
    "",
    "請加入成為本報的月費訂戶，長期支持我們的工作。所有訂戶都可以收到我們的每周通訊。",
    "",
    "月費訂戶 網址：news.example.hk/subscribe",
])
HK_TITLE = "星級大狀再對壘 貪污案明開審"

# A WeChat post reposted as markdown (invented): the outlet's link and credits above the rule, the body, then the
# author's sign-off, a reprint notice, the title picture's credit and the account's book tip and blurb.
REPOST_LIKE = "\n".join([
    "Matters [链接](https://matters.example/@lin/123)",
    "阿乐 | 整理&文案",
    "（原文刊登于南方某报，2016年12月7日，B15版，此处为全文）",
    "---",
    "去年冬天，城中村的出租屋里住进了十几户从外省来的装修工人，他们白天跑工地，晚上挤在一间屋里吃饭。",
    "房东说，这一片明年就要拆了，可工人们还是每天把门口扫得干干净净，说住一天就要像个家。",
    "工人老周告诉我，他最大的心愿是孩子能在城里读完初中，不用再回老家当留守儿童。",
    "林小周 2020年2月5日凌晨完稿于广州",
    "本文放弃版权，欢迎自行转载。",
    "* 标题图：某某的漫画。画里的城中村挤满了握手楼，很多读者都说这就是他们住过的地方。",
    "荐书：《城中村的十年》",
    "本书记录了十年间一座城中村的变迁，作者走访了上百户人家。",
])
REPOST_TITLE = "城中村的最后一个冬天"

# Captions glued to their photos (invented): one says where people stand, one does not; a glyph image inside a sentence.
CAPTION_LIKE = "\n".join([
    "失業爸獨撐三子 房租難繳",
    "![](./picture/C2001-1.jpg) 阿明每天清晨騎車送三個孩子上學，再趕去工地找零工。",
    "清晨五點半，45歲的阿明已經在廚房煮好一鍋稀飯，叫醒三個孩子，一個一個替他們穿好制服，再騎著機車把他們送到學校門口，"
    "自己則趕往工地等候零工機會，他說：「只要有工作，再累都不怕。」",
    "阿明的妻子三年前因病過世，留下三名年幼子女，當時最小的兒子才兩歲，阿明只能一邊打零工一邊照顧孩子，收入時有時無，"
    "房租已經積欠兩個月，房東雖然體諒，但也希望他能盡快補繳，否則只好另覓房客。鄰居們看在眼裡都很不捨",
    "![](./picture/ro.gif) 灌了熱湯送來，讓孩子們有頓溫飽的晚餐，阿明說這份人情他一輩子都記得，一定會想辦法報答大家的照顧。",
    "![](./picture/C2001-3.jpg) 阿明（右）陪小兒子寫功課。",
    "里長表示，已協助阿明申請急難救助，也會替他留意穩定的工作機會，希望這個家能早日走出困境，讓孩子安心長大。",
])
CAPTION_TITLE = "失業爸獨撐三子 房租難繳"


@pytest.mark.parametrize("text, title, gone, kept", [
    (APPLE_LIKE, APPLE_TITLE,
     {0: "headline_line", 2: "caption", 7: "appeal", 8: "appeal", 9: "appeal"}, [1, 4, 5, 6]),
    (WIRE_LIKE, None, {0: "dateline", 1: "news_byline", 2: "furniture", 3: "news_byline", 6: "news_byline"}, [4, 5]),
    (HK_LIKE, HK_TITLE, {0: "headline_line", 10: "appeal", 12: "appeal"}, [2, 4, 6]),
    (REPOST_LIKE, REPOST_TITLE, {0: "repost", 1: "credit", 2: "source", 7: "signoff", 8: "furniture", 9: "photo_credit",
                                 10: "closing_note", 11: "closing_note"}, [4, 5, 6]),
    (CAPTION_LIKE, CAPTION_TITLE, {0: "headline_line", 1: "caption", 5: "caption"}, [2, 3, 4, 6]),
], ids=["apple-like", "wire-like", "hk-like", "repost-like", "caption-like"])
def test_news_furniture_goes_and_the_body_stays(text, title, gone, kept):
    got = dict(decisions(text, title))
    for i, rule in gone.items():
        assert got[i] == rule, (i, text.split("\n")[i])
    for i in kept:
        assert got[i] is None, (i, text.split("\n")[i])


def test_the_lead_under_the_photo_keeps_its_text_and_loses_only_the_credit():
    doc = clean(APPLE_LIKE, APPLE_TITLE)
    assert "清晨六點，72歲的陳伯已在灶前熬好一鍋稀飯" in doc.text
    assert "報導．攝影╱林大同" not in doc.text
    assert doc.title == APPLE_TITLE


@pytest.mark.parametrize("text, title", [
    # a line saying the title below the first paragraph is the body's
    ("春耕時節，村裡的老人說，今年的雨水比往年多，秧苗長得特別好，大家都盼著豐收。\n春耕時節訪農家\n" + "鎮上的集市每逢初一十五開張。" * 3,
     "春耕時節訪農家"),
    # body sentences that name a report, a TV channel, a donation
    ("記者從市園林局了解到，今年一季度城區新增三處口袋公園。\n北京3月5日電視台播出了這部紀錄片的第一集。\n"
     "當地里長說，去年曾透過報紙披露她的困境，約獲7萬元善款，但早已用完，她只能再向親友借錢。", None),
    # a series part under a picture, and a short subheading that only looks like a byline
    ("![](a.jpg)\n他把稿子分成（上）（中）（下）三篇，今天先登出第一篇，講的是村裡修路的事。\n實習生心得\n"
     "今年春天雨水偏多，村裡的稻田比往年提前半個月插秧，老人們都說這是個好兆頭。", None),
    # one line asking for a subscription is no notice
    ("今年春天雨水偏多，村裡的稻田比往年提前半個月插秧，老人們都說這是個好兆頭。\n歡迎讀者訂閱我們的周報。", None),
], ids=["title-below-body", "report-tv-donation", "series-and-subheading", "one-ask"])
def test_look_alikes_stay(text, title):
    doc = clean(text, title)
    assert [line for line in text.split("\n") if line.strip() and not line.startswith("![")] == \
        [line for line in doc.text.split("\n") if line.strip()]


@pytest.mark.parametrize("text, title", [(APPLE_LIKE, APPLE_TITLE), (WIRE_LIKE, None), (HK_LIKE, HK_TITLE),
                                         (REPOST_LIKE, REPOST_TITLE), (CAPTION_LIKE, CAPTION_TITLE)],
                         ids=["apple-like", "wire-like", "hk-like", "repost-like", "caption-like"])
def test_traditional_and_simplified_pages_get_the_same_decisions(text, title):
    for config in ("t2s", "s2t"):
        other = convert(text, config)
        assert decisions(other, title and convert(title, config)) == decisions(text, title)


def test_a_markdown_table_left_at_the_page_end_keeps_its_header_row():
    # once the closing notice goes, the table is the last thing on the page: its header is no menu
    text = "\n".join([
        "# 補選結果分析",
        "編者將政府公布的投票人數減去各候選人取得的有效票數，得出各區的無效選票如下，供讀者參考。" * 2,
        "| **票數** | **新界東** | **九龍西** | **香港島** |",
        "| --- | --- | --- | --- |",
        "| **投票人數** | **416,688** | **216,895** | **272,974** |",
        "| **無效選票** | **4,363** | **1,562** | **2,377** |",
        "---",
        "請加入成為本報的月費訂戶，長期支持我們的工作。所有訂戶都可以收到我們的每周通訊。",
        "月費訂戶 網址：news.example.hk/subscribe",
    ])
    doc = clean(text, "補選結果分析")
    assert "票數" in doc.text and "投票人數" in doc.text and "訂戶" not in doc.text


@pytest.mark.parametrize("text, title", [(REPOST_LIKE, REPOST_TITLE), (CAPTION_LIKE, CAPTION_TITLE)],
                         ids=["repost-like", "caption-like"])
def test_a_second_pass_changes_nothing(text, title):
    once = clean(text, title)
    assert clean(once.text, once.title).text == once.text


def test_a_glyph_image_inside_a_sentence_keeps_the_sentence():
    doc = clean(CAPTION_LIKE, CAPTION_TITLE)
    assert "灌了熱湯送來" in doc.text and "阿明每天清晨騎車" not in doc.text
