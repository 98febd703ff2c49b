"""Line rules of the boilerplate step: each says whether one line (or its tail) is page furniture.

Every rule sees one stripped line of plain text. Keyword rules only fire on short lines or at a
line's start or end, so a body sentence that merely mentions 来源 or 编辑 survives.
"""

from __future__ import annotations

import functools
import re
from collections import Counter

from transforms.document import Rule
from transforms.text import by_first_char, per_line

# A colon, bar or slash as pages write them after a label, ASCII or full-width.
# ︱ is the vertical bar some portals print (出品︱某某栏目组); a capital I between spaces stands for one (编辑 I 某某).
SEP = r"(?:[:：|｜丨︱/／]|(?<=\s)I(?=\s))"
# Sentence-final punctuation: a line ending in it reads like prose, not like a caption or a title.
END_PUNCT = "。！？!?…；;”」』\"'"
END_PUNCT_TUPLE = tuple(END_PUNCT)

CREDIT_LABELS = (
    "作者|撰文|撰稿|文字|文|记者|编辑|责任编辑|责编|编审|校对|审核|审校|审稿|美编|排版|编排|采写|采访|整理|"
    "编译|翻译|译者|通讯员|实习生|实习记者|图|图片|摄影|视频|剪辑|出品|出品人|策划|监制|主编|总编|统筹|视觉|设计|"
    "制图|插图|配图|题图|封面|运营|值班编辑|新媒体编辑|本期编辑|作者单位|來源|作者簡介|作者简介|編輯|責任編輯|撰文者|"
    "採訪|採訪整理|記者|攝影|文案|执笔|執筆"
)
# One label or two joined (``运营统筹 / 某某``, ``图文：某某``, ``整理&文案``).
CREDIT_LINE = re.compile(rf"^[【\[（(]?(?:{CREDIT_LABELS})(?:[&＆、]?(?:{CREDIT_LABELS}))?\s*{SEP}")
# The name first, the role after the bar: ``某某 | 整理&文案``, ``阿乐／文``.
CREDIT_AFTER = re.compile(
    rf"^[^\s，。！？,]{{1,12}}(?:\s[^\s，。！？,]{{1,12}})?\s*[|｜/／]\s*(?:{CREDIT_LABELS})(?:\s*[&＆、/／]\s*(?:{CREDIT_LABELS}))*$")
CREDIT_PREFIXED = re.compile(
    r"^[\u4e00-\u9fff《》「」]{0,8}(?:记者|記者|作者|通讯员|通訊員|编辑|"
    r"編輯)[\s:：]*[\u4e00-\u9fff·]{2,4}(?:[\s、，,]+[\u4e00-\u9fff·]{2,4}){0,3}$"
    r"|^[\u4e00-\u9fff·]{2,4}[（(](?:媒体人|媒體人|作者|本报记者|记者|評論員|评论员|特约评论员|学者|律师|教授)[^）)]{0,12}[）)]$"
    r"|^[（(][^（）()]{0,24}(?:亦有贡献|亦有貢獻|有所贡献)[）)]$"
)
# A role with a platform or desk before it (``微信编辑 | 某某``, ``网络编辑：某某``): a short line, a name after the bar.
CREDIT_DESK = re.compile(rf"^[\u4e00-\u9fff]{{1,4}}(?:编辑|編輯|记者|記者|校对|校對|美编|美編)\s*{SEP}\s*[^\s。！？!?，,]{{2,12}}$")
# Two or more roles with their names, between bars and no label's colon: ``编辑 某某 ｜ 排版 某某``.
CREDIT_PAIRS = re.compile(rf"^(?:{CREDIT_LABELS})\s+[\u4e00-\u9fff·A-Za-z]{{2,8}}"
                          rf"(?:\s*[|｜/／丨]\s*(?:{CREDIT_LABELS})\s+[\u4e00-\u9fff·A-Za-z]{{2,8}})+$")
CREDIT_BARE = re.compile(
    r"^(?:原创|本报记者|見習記者|见习记者|实习记者|本报通讯员|本台记者|特约记者|新华社记者|央视记者|记者|通讯员)"
    r"\s*[\u4e00-\u9fff·]{2,4}(?:[\s、，,]+[\u4e00-\u9fff·]{2,4})*$"
)
# A news credit or dateline standing alone: 【某某╱台北报导】, （中央社记者某某台北5日电）, 新华社北京3月5日电,
# 每日人物某某、某某报道, 特约撰稿人 某某 发自上海, 南方周末实习生 某某. Short, no clause, names or places only.
_ROLE = r"记者|实习生|撰稿人|特约撰稿人|通讯员|特派员|特派记者|驻站记者"
_NAME = r"(?:(?![的是了在和与])[\u4e00-\u9fff·]){2,4}"
NEWS_BYLINE = re.compile(
    rf"^[【\[（(][^【】\[\]（）()。，！？]{{2,30}}(?:报导|报道|电|讯)[】\]）)]$"
    rf"|^[^。，！？：:的]{{0,16}}(?:\d{{1,2}}月)?\d{{1,2}}日电$|^[^。，！？：:的]{{0,16}}\d{{1,2}}月\d{{1,2}}日\s*(?:报道|报导)$"
    rf"|^[^。，！？：:的]{{0,12}}(?:{_ROLE})\s*{_NAME}(?:[、\s]+{_NAME})*\s*(?:[╱/／]\s*\S{{2,4}})?\s*(?:报导|报道)$"
    rf"|^[^。，！？：:的]{{0,12}}?{_NAME}(?:、{_NAME})+\s*(?:报导|报道)$|^{_NAME}\s*[╱/／]\s*[\u4e00-\u9fff]{{2,4}}(?:报导|报道)$"
    rf"|^[^。，！？：:的]{{0,12}}(?:{_ROLE})\s+{_NAME}(?:[、\s]+{_NAME})*(?:\s*发自[\u4e00-\u9fff、]{{2,12}})?(?:\s*\d{{6,8}})?$"
    rf"|^[^。，！？：:的]{{0,12}}{_NAME}(?:[、\s]+{_NAME})*\s+发自[\u4e00-\u9fff、]{{2,12}}(?:\s*\d{{6,8}})?$"
)
TRAILING_CREDIT = re.compile(
    r"(?:[（(【\[]\s*(?:记者|通讯员|实习生|编辑|责任编辑|责编|作者|来源|來源|稿源|记者\s*通讯员)[\s:：]*[^（）()【】\[\]]{1,30}[）)】\]]"
    r"|(?:责任编辑|责编|编辑|審核|审核|校对|來源|来源|稿源)\s*[:：]\s*[^。！？\s]{1,20})\s*$"
)

SOURCE_LINE = re.compile(
    rf"^[【\[（(]?(?:原文来自|原文地址|原文链接|原文網址|原文网址|原始链接|来源|來源|稿源|消息来源|新闻来源|文章来源|文章來源|本文来源|"
    rf"资料来源|資料來源|信息来源|信息來源|"
    rf"原标题|原標題|本文原标题|本文原標題|本文转载自|本文轉載自|转载自|轉載自|本文来自|文章来自|本文首发于|首发于|首发|首發|出处|出處|原载|原載|"
    rf"本文原载|本文由|转自|轉自|via|Source|source|原文)(?:\s*{SEP}|\s*(?=https?://)|[^\n]{{0,40}}?(?:公众号|公號|公号|微信|网站|網站))"
)
# Openings that mark a whole line as provenance, whatever follows them.
SOURCE_OPENING = re.compile(
    r"^[【\[（(]?(?:原文来自|原文來自|文章来自|文章來自|本文来自|本文來自|原文地址|原文链接|原文網址|原文时间|原文時間|"
    r"本文转载自|本文轉載自|转载自|轉載自|本文首发于|首发于|原载于|原載於|本文(?:由|为|系|為).{0,24}(?:整理|原创|编辑|提供|授权|转码|轉碼)|"
    r"(?:注\s*[:：]\s*)?本文(?:经|經|已获|已獲).{0,12}(?:授权|授權)(?:发布|發布|转载|轉載|刊发|刊發|发表|發表)|"
    r"(?:原文|本文|此文)?(?:原刊于|原刊於|刊登于|刊登於|刊发于|刊發於|始发于|始發於|最初发布于|最初發布於|最初发表于|最初發表於)|"
    r"本文转自|本文轉自|(?:以上|本文)(?:内容)?(?:整理|摘编|摘編|编译|編譯|节选|節選)自|综合整理自|綜合整理自|(?:原题为|原題為)\s*[《“「:：])"
)
# A line that is one link and at most a short label before it (``Matters [链接](…)``): above the first paragraph
# of a repost, that is where the text came from.
HEAD_LINK = re.compile(r"^\s*>?\s*(?:[^\s\[\]()*+-][^\s\[\]()]{0,7}\s*)?(?:~~)?\[[^\]\n]{1,40}\]\(https?://[^)\s]+\)(?:~~)?\s*$")


def is_head_link(raw: str) -> bool:
    """一行只有一个链接（前面至多一个短标签）：在转载文章正文之前，这就是出处。

    >>> is_head_link("Matters [链接](https://matters.example/@a/1)"), is_head_link("[城中村的雨夜](https://m.example.com/n/1)")
    (True, True)
    >>> is_head_link("详见[国务院公告](http://gov.cn/a)的全文。"), is_head_link("- [第一篇](http://a.cn/1)")  # a list item
    (False, False)
    """
    return len(raw) <= 400 and HEAD_LINK.match(raw) is not None


FOOTER_TITLE = re.compile(r"^标题\s*[:：]\s*(?P<v>.+)$|^標題\s*[:：]\s*(?P<w>.+)$")
URL_IN_LINE = re.compile(r"https?://[^\s)\]）>\"'<]+")
URL_LABEL = re.compile(r"^(?:地址|网址|網址|原文地址|原文链接|原文網址|原文网址|链接|鏈接|本文链接|本文地址|文章地址|原始链接)\s*[:：]")

SHARE_STRONG = re.compile(
    r"二维码|二維碼|扫码|掃碼|扫一扫|掃一掃|长按识别|長按識別|长按二维码|长按关注|长按扫码|阅读原文|閱讀原文|公众号|公眾號|"
    r"微信号|微信號|微信ID|关注我们|關注我們|欢迎关注|歡迎關注|点击关注|點擊關注|点击上方|點擊上方|点击蓝字|點擊藍字|"
    r"点击此处|點擊此處|欢迎扫描|歡迎掃描|扫描|掃描|分享到|分享至|订阅号|訂閱號|购买会员|購買會員|设为星标|設為星標|点个在看|點個在看|点在看|戳这里|戳這裡|"
    r"更多精彩|点击图片|點擊圖片|点击查看|點擊查看|点击进入|点击这里|點擊這裡|下载客户端|下載客戶端|下载APP|下載APP|打开APP|打開APP|微信后台|微信後台|后台回复|後台回覆|赞赏支持|讚賞支持|打赏|打賞|【在看】|点击菜单|點擊菜單"
)
# A public account's reply menu: ``回复【电子书】获取资料``, ``3、后台回复“招聘”查看更多``, one row a line; the reader is to
# send the bracketed keyword to the account. A whole short line of that form only: a sentence quoting a command, or a
# forum's ``回复【3楼】张三：…``, goes on.
REPLY_MENU = re.compile(
    r"^(?:[\d①-⑩]{1,2}\s*[.、．)）]?\s*|[-·•▶►☞👉]\s*)?(?:在?(?:公众号|公眾號|微信|对话框|對話框|本号|本號)?(?:后台|後台|对话框|對話框)?)"
    r"(?:回复|回覆|回復)\s*[【「“\"『\[（(<《][^】」”\"』\]）)>》\s，,]{1,12}[】」”\"』\]）)>》]\s*[，,：:]?\s*"
    r"(?:即可|就可以?|可以?|就能|便可)?\s*(?:免费)?(?:查看|查询|查詢|看看|获取|獲取|领取|領取|获得|獲得|了解|下载|下載|阅读|閱讀|收看|进入|進入|加入|收听|收聽)")
_SHARE_WORDS = r"分享|转发|轉發|收藏|评论|評論|关注|關注|订阅|訂閱|微博|微信|QQ空间|Facebook|Twitter|LINE|推特|复制链接|複製連結|点赞|點讚|按讚|赞赏|讚賞|打印|列印"
# A line made of nothing but share words and separators: a share bar.
SHARE_ONLY = re.compile(rf"^(?:(?:{_SHARE_WORDS})[\s|｜/／、:：·•\d()（）+]*)+$")

# Furniture words that no body sentence needs; a gate of 100 characters is enough.
FURNITURE = re.compile(
    r"版权所有|版權所有|版权声明|版權聲明|Copyright|©|All Rights Reserved|ICP备|ICP證|ICP证|公网安备|公網安備|网安备|"
    r"不良信息举报|免责声明|免責聲明|不代表本(?:站|网|網|平台|号|號|刊|报|報)|仅代表作者|僅代表作者|转载请|轉載請|禁止转载|严禁转载|嚴禁轉載|"
    r"请勿转载|請勿轉載|欢迎转载|歡迎轉載|放弃版权|放棄版權|商务合作|商務合作|未经(?:同意|允许|授权|许可)[，,]?\s*(?:请勿|不得|禁止)|"
    r"禁止轉載|不得转载|不得轉載|谢绝转载|謝絕轉載|如有侵权|如有侵權|侵删|侵刪|本文关键词|本文關鍵詞|相关标签|相關標籤|"
    r"热门城市|打印本页|关闭窗口|關閉窗口|【打印】|【关闭】|文章导航|当前位置|當前位置|您的位置|所属分类|所屬分類|"
    # Reading-time lines; each alternative opens with a literal, which keeps the whole pattern's scan fast.
    r"全文(?:共|约|大约)?\s*\d+\s*字.{0,12}(?:阅读|閱讀)|本文(?:共|约|大约)?\s*\d+\s*字.{0,12}(?:阅读|閱讀)|"
    r"预计阅读(?:时间|时长)?(?:大约|约)?(?:需要)?\s*\d+\s*分钟|預計閱讀(?:時間|時長)?(?:大約|約)?(?:需要)?\s*\d+\s*分钟|"
    r"阅读(?:时间|时长)?(?:大约|约)?(?:需要)?\s*\d+\s*分钟|閱讀(?:時間|時長)?(?:大約|約)?(?:需要)?\s*\d+\s*分钟|"
    # the comment form and skip links every blog theme prints (WordPress and the like, in Chinese and English)
    r"以便下次评论时使用|以供下次发布留言时使用|以便下次发表评论时使用|没有评论可显示|还木有评论|"
    r"Skip to content|Skip to main content|Toggle navigation|跳至内容|跳到内容|跳至正文|回到顶部|"
    r"订阅后可畅读|加载更多|載入更多|仅供其表达个人看法|并不表明.{0,8}立场|热门跟贴|目前没有跟贴|网站地图|網站地圖|字号[:：]?\s*[大中小]|"
    # the templates of blog and board software: Blogger's share row and pager, Discuz's timing line, a CMS credit
    r"BlogThis!|Post Comments \(Atom\)|博文评论 \(Atom\)|Newer Post.{0,20}Older Post|较新的博文|较早的博文|"
    r"Processed in [\d.]+ second|Powered by (?:Discuz|WordPress|phpwind|PHPWind|DedeCMS|Z-Blog|Typecho|Blogger|Ghost)"
)
# Words a body sentence may use; they only mark furniture on very short lines or at the start.
FURNITURE_START = re.compile(
    r"^[【\[（(]?(?:关键词|關鍵詞|关键字|标签|標籤|Tags?|分类|分類|栏目|欄目|点击量|點擊量|阅读量|閱讀量|浏览次数|瀏覽次數|"
    r"浏览量|瀏覽量|阅读数|发布者|發布者|联系我们|關於我們|关于我们|聯絡我們|广告|廣告|版权归|版權歸|未经授权|未經授權|"
    r"投稿邮箱|投稿信箱|投稿郵箱|投稿地址|字号|字號)"
    r"(?:[】\]）)]|\s*[:：>＞》]|$)"
)
NAV_START = re.compile(
    r"^(?:此分类|本分类|本栏目|本类)?(?:上一篇|下一篇|上一文章|下一文章|前一篇|后一篇|後一篇|上一条|下一条|上一則|下一則|上篇|下篇|"
    r"上一个|下一个)(?:文章|新闻|资讯|产品)?\s*[:：>》|｜]|^(?:上一篇|下一篇|上一条|下一条|上一个|下一个)$"
    r"|^(?:上一页|下一页|上一頁|下一頁)(?:\s|$)|^(?:首页|首頁)(?:\s|[>＞])"
    # the greeting a site's header prints: 欢迎访问某某有限公司官方网站！
    r"|^(?:发表评论|发表留言|发布评论|发布留言|取消回复|我要评论|写评论)(?:\s*取消回复)?$"
    # a site's search box and login links, standing alone (a lone 登录 or 搜索 may be a feature in a manual's list)
    r"|^(?:搜索\s*[:：]|搜\s索|站内搜索|请输入关键[词字]|请输入搜索内容|登录\s*[|｜/]?\s*注册|注册\s*[|｜/]?\s*登录)\s*[:：]?$"
    r"|^(?:热门搜索|搜索关键[词字]|热门关键[词字])\s*[:：]"
    # back links, only as the whole line: a paragraph may end with one glued to its last sentence
    r"|^返回(?:[\u4e00-\u9fff]{1,6})?(?:首页|首頁|顶部|頂部)\s*(?:>>|》》|»|>)?$"
    r"|^欢迎(?:访问|光临|来到|进入)[^。！？!?，,\n]{1,30}?(?:网站|官网|本站|商城|网)\s*[!！。.]?$"
)
# A "read more" link left alone on its line: 【详细】, [全文], 查看全文>>.
# The ones that close a teaser (the rest of that text is elsewhere); 更多 closes a section, not a teaser.
READ_ON = re.compile(r"^[【\[［(（]?\s*(?:详细|詳細|详情|詳情|全文|查看全文|阅读全文|閱讀全文|点击阅读全文)\s*[】\]］)）]?\s*(?:>>|》》|»|>)?$")
READ_MORE = re.compile(r"^[【\[［(（]?\s*(?:详细|詳細|详情|詳情|全文|更多|查看全文|阅读全文|閱讀全文|查看更多|阅读更多|閱讀更多|"
                       r"展开全文|展開全文|点击阅读全文)\s*[】\]］)）]?\s*(?:>>|》》|»|>)?$")
TIME_ONLY = re.compile(r"^\d{1,2}\s+\d{1,2}:\d{2}(?::\d{2})?$")
END_MARK = re.compile(r"^[（(\[【]?\s*(?:完|全文完|END|End|end|本文完|编辑完|(?:-+\s*)?(?:THE|The)\s+END(?:\s*-+)?|-+\s*END\s*-+)\s*[）)\]】]?$")

# Forum post furniture: whole lines of a thread's template (edit and deletion notices, post headers, floor
# labels, the post bar's buttons, rank and pagination lines). Each is the whole line and carries no sentence.
_DT = r"\d{2,4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
_CARD_LABEL = r"主题|帖子|积分|精华|威望|金钱|贡献|听众|收听|好友|在线时间|注册时间|最后登录|阅读权限|UID"
_BAR_MORE = r"支持|反对|评分|点评|分享|收藏|编辑|删除|私信|道具|打赏|TOP|顶端|显示全部楼层|跳转到指定楼层"
_POST_BAR = (
    r"只看该作者|只看楼主|倒序浏览|阅读模式|电梯直达|返回列表|快速回复|发消息|当前离线|当前在线|\[?复制链接\]?|"
    r"使用道具|收起回复|展开回复|楼主|沙发|板凳|地板|回复|举报|引用|回复\s*举报|私信TA|向TA提问\s*私信TA|加为好友"
)
FORUM_META = re.compile(
    rf"^(?:本帖)?最后由\s*\S{{0,24}}\s*(?:于\s*)?(?:{_DT})?\s*编辑(?:\s*{_DT})?$|^已编辑$"
    rf"|^(?:此|该)(?:回复|帖子|楼层|内容|评论|主题)(?:疑似违规)?已被[^，。,]{{1,24}}$"
    rf"|^(?:楼主|沙发|板凳|地板|\d{{1,5}}\s*[楼#])?\s*(?:发表于|发表在)\s*{_DT}[^，。]{{0,16}}$"
    rf"|^本主题由\s*\S{{1,24}}\s*于\s*{_DT}\s*\S{{2,6}}$"
    rf"|^\S{{0,8}}[，,]\s*积分\s*\d+[，,]\s*距离下一级还需\s*\d+\s*积分$"
    rf"|^{_DT}\s+来自\s\S.{{0,24}}$|^来自\s*-\s*\S{{1,12}}$"
    rf"|^\d{{1,4}}\s*/\s*\d{{1,4}}\s*页$|^\d{{1,4}} / \d{{1,4}}$"
    rf"|^(?:{_POST_BAR})$"
    # A reply's quote header (``回复 2# 老王``), and the poster card: its sign-in, rank and counter labels.
    rf"|^回复\s*\d{{1,5}}\s*#\s*\S{{1,20}}$|^该用户从未签到$|^TA的每日心情.{{0,30}}$|^签到天数\s*[:：]\s*\d+\s*天$"
    rf"|^\[LV\.\d{{1,3}}\]\S{{0,12}}$|^(?:(?:{_CARD_LABEL})\s*[:：]?\s*[\d.:\-]*\s*(?:小时|天)?\s*){{2,}}$"
    # A floor number alone: ``2#``, ``#3``, ``12楼``, ``第5楼``.
    rf"|^(?:#\s*\d{{1,5}}|\d{{1,5}}\s*(?:#|楼|F)|第\s*\d{{1,5}}\s*楼)$"
    # The post bar as one line: two or more of its buttons, with counts (``支持(3)``) and bars between them.
    rf"|^(?:(?:{_POST_BAR}|{_BAR_MORE})(?:\s*[(（]?\d{{1,6}}[)）]?)?(?:\s*[|｜/·]\s*|\s+|$)){{2,}}$"
    # The thread's counters (``查看: 3481 | 回复: 12``) and the board software's prompts to guests.
    rf"|^(?:查看|阅读|浏览|点击)\s*[:：]?\s*\d+\s*[|｜]?\s*回复\s*[:：]?\s*\d+$"
    rf"|^(?:马上注册|立即注册)[，,].{{0,40}}$|^您需要\s*登录\s*才可以.{{0,30}}$"
)

# The template lines every MediaWiki site prints around an article (zh): skip links, the site's tagline, a navbox's
# 查·论·编, maintenance and disambiguation notices, the last-edited footer.
WIKI_META = re.compile(
    r"^(?:跳转到导航|跳转到搜索|跳到导航|跳到搜索|跳转至内容|维基百科，自由的百科全书|来自维基百科，自由的百科全书"
    r"|(?:查|阅)\s*[·・]\s*论\s*[·・]\s*编|(?:本|此)条目.{0,80}|[^。]{0,60}[（(]消歧义[）)][。.]?|本页面最后修订于.{0,60})$"
)


def is_wiki_meta(s: str) -> bool:
    """维基站点的模板行：跳转到导航、来自维基百科、查·论·编、条目维护和消歧义提示、最后修订时间。

    >>> is_wiki_meta("此條目需要補充更多來源。"), is_wiki_meta("查·论·编"), is_wiki_meta("本页面最后修订于2024年1月1日 (星期一) 10:22。")
    (True, True, True)
    >>> is_wiki_meta("这个条目在词典里查不到。"), is_wiki_meta("查论编三个字是什么意思？")
    (False, False)
    """
    return len(s) <= 60 and WIKI_META.match(s) is not None


# A reply's header: the poster's name (or floor) before 发表于 and its date, with the post bar after it. Asked
# only of lines that hold 发表 (FORUM_HINT marks them once per page): a name at the start anchors nothing cheap.
FORUM_HEADER = re.compile(
    rf"^(?:\S{{1,20}}(?:\s*[|｜]\s*|\s+)(?:\S{{1,20}}\s+)?)?(?:发表于|发表在)\s*{_DT}(?:\s*[|｜]?\s*(?:{_POST_BAR}|{_BAR_MORE}))*$")
FORUM_HINT = re.compile(r"发表[于在]")

PHOTO_CREDIT_END = re.compile(
    r"(?:(?:新华社|中新社|本报|本台|特约|通讯员|记者|新華社|記者)[^，。,]{0,8}?[\u4e00-\u9fff·]{2,4}(?<!拍)\s*(?:摄|攝|照片|供图|供圖)"
    r"|[\s|｜/／]\s*[\u4e00-\u9fff·A-Za-z]{2,8}\s*(?:摄|攝)(?:影)?"
    r"|(?:受访者|受訪者|家属|家屬|当事人|當事人|网友|網友|资料|資料|官方|主办方|主辦方|[\u4e00-\u9fff]{1,8})(?:供图|供圖)"
    r"|(?:题图|題圖|头图|頭圖|配图|配圖|图片|圖片|图|圖)(?:均|皆|全部)?(?:来源|來源|来自|來自)\s*[:：]?[^，。]{0,30}"
    r"|(?:[。\s|｜/／]|视频|視頻|网络|網路|网页|網頁)(?:截图|截圖)"
    r"|(?:資料圖片|资料图片|资料图|資料照|资料照片|网络图片|網路圖片|图片来自网络|圖片來自網路|示意图|示意圖)"
    r"|(?:報導|报导|報道|报道|攝影|摄影|圖|图)[．.·・/／╱|｜]\s*[\u4e00-\u9fff·、]{2,12}"
    r"|[/／|｜]\s*(?:图|圖|图片|圖片)\s*[:：]\s*[^，。/／:：]{1,20})"
    r"[）)】\]]?[。.]?$"
)
PHOTO_CREDIT_START = re.compile(
    r"^[（(]?(?:图为|圖為|图片来源|圖片來源|图片来自|圖片來自|图源|圖源|图片|圖片|图|圖|摄影|攝影|标题图|標題圖|题图|題圖|头图|頭圖|封面图|封面圖|配图|插图)"
    r"\s*(?:[:：|｜/／丨]|(?<=为)|(?<=為))"
)
# Where people stand in a photo: （后右）, （左一）, （图中站者）, 图左二为…, 左起: only a caption says so.
# （中） alone must not close the line: 春耕时节（中） is a series' part.
PHOTO_POSITION = re.compile(
    r"[（(](?:[左右前后][左右前后中上下一二三四五六\d]?|中[左右一二三四五六]?(?=[）)][^（(])|图中[^（）()]{0,6})[）)]"
    r"|(?:^|[，。；！？」])图[左右中前后上下]?[一二三四五六]?为|^(?:左起|右起|由左至右|左至右)"
)
# Asking the reader for money or a subscription (捐款、划拨帐号、订户), and addressing the reader (您、读者).
APPEAL_WORDS = re.compile(r"捐款|捐赠|捐助|捐献|善款|募款|收据|划拨|帐号|账号|户名|汇款|订阅|订户|月费|赞助|打赏|赞赏|会员|"
                          r"征集|投稿|来稿|爆料|新闻线索")
READER_WORDS = re.compile(r"您|读者|支持我们|我们的工作")
CAPTION_START = re.compile(r"^[▲△↑↓▼☝👆👇]|^(?:图为|圖為|上图|下图|上圖|下圖|左图|右图|图注|圖說|图说|图\d|圖\d)")

RELATED_HEAD = re.compile(
    r"^[【\[#（(「\s]*(?:相关阅读|相關閱讀|推荐阅读|推薦閱讀|延伸阅读|延伸閱讀|相关新闻|相關新聞|相关文章|相關文章|相关报道|相關報導|"
    r"热门推荐|熱門推薦|热门文章|熱門文章|热门搜索|熱門搜索|精彩推荐|精彩推薦|往期回顾|往期回顧|往期推荐|往期精选|更多精彩|猜你喜欢|猜你喜歡|"
    r"热文推荐|热点推荐|你可能还喜欢|你可能感兴趣|大家都在看|今日推荐|最新文章|最新资讯|相关推荐|相關推薦|更多新聞|更多新闻|"
    r"看更多|熱門新聞|推荐文章|重点推荐|重點推薦|跟贴热词|相关链接|相關連結|热点新闻|热门新闻|更多相关文章|更多相关|为您推荐|為您推薦|推荐新闻|"
    r"[\u4e00-\u9fff]{0,6}的其他文章|"
    # company and portal sidebars: other products and other pages, often with a MORE+ link
    r"相关产品|相關產品|推荐产品|推薦產品|热销产品|熱銷產品|热门产品|熱門產品|产品推荐|產品推薦|同类产品|最新产品|推荐新闻|推薦新聞|"
    r"热点资讯|热门资讯|相关资讯|推荐资讯|随便看看|读者也访问过这里|其他患者还阅读了|相关文章阅读|站长推荐|最新发布|热评文章|热门阅读|"
    r"关联阅读|猜你还喜欢|看了又看|本类推荐|本类排行|"
    # a blog theme's sidebar widgets
    r"近期文章|最近文章|近期评论|最近评论|最新评论|Recent Posts|Recent Comments)[】\]」）)\s:：>》↓👇]*(?:(?:MORE|More|more|更多)\s*[+>»]*)?$"
)

# Names that only gambling spam uses; one is enough on a short line.
SPAM_STRONG = (
    r"现金网|現金網|娱乐城|娛樂城|百家乐|百家樂|时时彩|時時彩|真人视讯|真人娱乐|威尼斯人|葡京|太阳城|太陽城|申博|"
    r"皇冠国际|皇冠体育|乐虎国际|亚博|yabo|YABO|Yabo|华体会|必威|betway|Betway|BETWAY|欧宝体育|天博|开元棋牌|幸运8|幸运飞艇|bet365|bb电子|BB电子|"
    r"ag真人|AG真人|mg电子|MG电子|pt电子|PT电子|骰宝|威廉希尔|娱乐代理|娱乐平台|电子平台|美狮贵宾会|官网登录|登录器|手机版登录|注册送|注册就送"
)
# Words that also occur in news about gambling; they only count next to strong ones.
SPAM_WEAK = r"六合彩|老虎机|老虎機|博彩|赌场|賭場|棋牌|电子游戏|电玩城|捕鱼|彩票|投注|返水|彩金|网投|赛车|开户|平台网址|网址"


def _han_first(term: str) -> str:
    # "bb电子" -> "电子(?<=bb电子)": the same hit, but found by scanning for Han, not for letters every URL holds.
    m = re.fullmatch(r"([A-Za-z0-9]+)([^\x00-\x7f].*)", term)
    return f"{m.group(2)}(?<={term})" if m else term


# Only ever asked whether it matches, never where. No re.I: it makes the search ten times slower.
SPAM_STRONG_RE = re.compile("|".join(map(_han_first, SPAM_STRONG.split("|"))))
SPAM_WEAK_RE = re.compile(SPAM_WEAK)
SPAM_STRONG_RE_NAMES = re.compile(SPAM_STRONG)  # which names: the fast SPAM_STRONG_RE only says whether
# A strong name with a few characters before it, any names and site words chained after it,
# and a trailing label up to its colon.
_SPAM_SEP = r"[^\s，。,:：；！？【】\[\]]"
SPAM_PHRASE = re.compile(
    rf"{_SPAM_SEP}{{0,4}}(?:{SPAM_STRONG})(?:{_SPAM_SEP}{{0,3}}?(?:{SPAM_STRONG}|网址|官网|平台|登录|登入|下载|手机版|app|APP))*"
    rf"(?:{_SPAM_SEP}{{0,6}}[:：])?"
)


# Words every photo credit contains: a cheap test before the costly pattern. Literals only:
# a character class here makes the search several times slower.
PHOTO_HINT = re.compile(
    r"摄|攝|照片|供图|供圖|来源|來源|来自|來自|资料|資料|图片|圖片|示意|截图|截圖|图/|图／|圖/|圖／|图｜|圖｜|图\||圖\||"
    r"報導|报导|報道|报道|╱|．|/图|／图|/圖|／圖"
)


def photo_credit_at_end(s: str) -> int:
    """Where a photo credit closing ``s`` starts, or -1; only the tail is searched, credits are short.

    >>> photo_credit_at_end("村民在田间劳作。新华社记者李涛摄"), photo_credit_at_end("村民在田间劳作。")
    (8, -1)
    """
    cut = max(0, len(s) - 60)
    if not PHOTO_HINT.search(s, cut):
        return -1
    m = PHOTO_CREDIT_END.search(s, cut)
    return m.start() if m else -1


def is_credit(s: str) -> bool:
    """作者、编辑、撰文这类署名行。

    >>> is_credit("责任编辑：王小明"), is_credit("文｜陈默"), is_credit("编辑部的同事们连夜赶稿，终于在清晨完成了这篇报道。")
    (True, True, False)
    >>> is_credit("微信编辑 | 侯丽"), is_credit("小说编辑：这个职业怎么样？")
    (True, False)
    >>> is_credit("运营统筹 / 迦南"), is_credit("阿乐 | 整理&文案"), is_credit("他们 / 我们")
    (True, True, False)
    >>> is_credit("编辑 周小褶 ｜ 排版 魏小蔚"), is_credit("编辑 周小褶 说 ｜ 排版 魏小蔚 笑")
    (True, False)
    >>> is_credit("出品︱某某科学栏目组 小明"), is_credit("作者︱阿春"), is_credit("编辑 I 白某某"), is_credit("编辑I白某某")
    (True, True, True, False)
    """
    if len(s) > 60:
        return False
    return bool(CREDIT_LINE.match(s) or CREDIT_BARE.match(s) or (len(s) <= 40 and CREDIT_PREFIXED.match(s))
                or (len(s) <= 24 and (CREDIT_DESK.match(s) or CREDIT_AFTER.match(s))) or CREDIT_PAIRS.match(s))


def is_news_byline(s: str) -> bool:
    """一行只有新闻的署名或电头：记者某某报道、某地某日电、发自某地；没有句子，只有人名地名。

    >>> is_news_byline("新华社北京3月5日电"), is_news_byline("【林小明╱台北报导】"), is_news_byline("南方周末实习生 龚小雨")
    (True, True, True)
    >>> is_news_byline("这是一篇关于疫情的追踪报道"), is_news_byline("他是一名记者")
    (False, False)
    """
    return len(s) <= 40 and NEWS_BYLINE.match(s.strip("*_ ")) is not None


def trailing_credit(s: str) -> str:
    """正文行末尾附带的署名，只返回要删的尾巴。

    >>> trailing_credit("会议于今天下午结束。（记者 张三）")
    '（记者 张三）'
    >>> trailing_credit("他说这是编辑的失误。")
    ''
    """
    if len(s) < 12 or not (s.endswith(("）", ")", "】", "]")) or "：" in s[-24:] or ":" in s[-24:]):
        return ""
    m = TRAILING_CREDIT.search(s)
    if not m or m.start() < 6:
        return ""
    return s[m.start():]


def is_source(s: str) -> bool:
    """来源、原标题、转载说明这类出处行。

    >>> is_source("来源：新华网"), is_source("原文地址：https://example.com/a")
    (True, True)
    >>> is_source("来源于民间的智慧往往最朴素，也最有生命力，这是老人们常挂在嘴边的话。")
    False
    """
    if len(s) > 120:
        return False
    return bool(SOURCE_LINE.match(s) or SOURCE_OPENING.match(s))


def is_share(s: str) -> bool:
    """分享、关注、二维码、阅读原文这类互动行。

    >>> is_share("长按识别二维码，关注我们"), is_share("分享到：微信 微博"), is_share("收藏 | 评论 | 转发")
    (True, True, True)
    >>> is_share("喚起大家對兒童性侵犯的關注"), is_share("最後他分享到：")
    (False, False)
    >>> is_share("回复【电子书】获取全部资料"), is_share("2. 回复“招聘”查看最新岗位")  # a reply menu's rows
    (True, True)
    >>> is_share("他回复说查看了所有记录。"), is_share("短信回复“TD”即可退订，营业厅的工作人员这样告诉记者。")
    (False, False)
    >>> is_share("3、回复【社保】查询本市社保缴纳记录"), is_share("回复【3楼】小王：查询过了，没有问题。")
    (True, False)
    """
    n = len(s)
    if n <= 60 and REPLY_MENU.match(s):
        return True
    if n <= 40:
        m = SHARE_STRONG.search(s)
        if m and m.start() <= 2:  # a call to action opens the line; a mention mid-sentence is prose
            return True
    if n <= 120 and len(set(SHARE_STRONG.findall(s))) >= 2:
        return True
    return n <= 40 and bool(SHARE_ONLY.match(s))


# A line that is only a labelled link: ``视频链接：https://…``, ``报告全文下载链接：<https://…>`` (whose plain
# text is the label alone).
LABELLED_URL = re.compile(r"^(?!参考|參考|引用)[^，。！？\s]{0,14}(?:链接|鏈接|网址|網址|地址|下载|下載)\s*[:：]\s*(?:<?https?://[^\s>]+>?)?$")


def is_furniture(s: str) -> bool:
    """版权、备案、免责声明、上一篇下一篇、（完）这类页面构件。

    >>> is_furniture("Copyright © 2021 某某网 版权所有"), is_furniture("上一篇：春季养生小常识"), is_furniture("（完）")
    (True, True, True)
    >>> is_furniture("这家公司未经授权使用了别人的照片，被判赔偿三万元。")
    False
    """
    n = len(s)
    if END_MARK.match(s) or TIME_ONLY.match(s) or (n <= 12 and READ_MORE.match(s)) or (n <= 120 and (NAV_START.match(s) or LABELLED_URL.match(s))):
        return True
    if n <= 100 and FURNITURE.search(s):
        return True
    return n <= 60 and bool(FURNITURE_START.match(s))


def is_forum_meta(s: str) -> bool:
    """论坛帖子的模板行：编辑、删除提示，发表于，楼层，回复举报一类按钮，等级积分，翻页。

    >>> is_forum_meta("本帖最后由 小王 于 2023-5-1 12:30 编辑"), is_forum_meta("沙发"), is_forum_meta("此回复已被删除！")
    (True, True, True)
    >>> is_forum_meta("楼主说得对，我上周也去了那家店，回复很快。"), is_forum_meta("回复速度很快")
    (False, False)
    """
    return len(s) <= 60 and (FORUM_META.match(s) is not None or ("发表" in s and FORUM_HEADER.match(s) is not None))


# The section edit link MediaWiki puts after every heading, left in the text when a wiki page is saved as text.
EDIT_TAIL = re.compile(r"\s*[\[【]\s*(?:编辑|编辑源代码|编辑本段|修改|edit|edit source)\s*[\]】]$", re.I)
EDIT_HEADING_MAX = 40


def edit_link(s: str) -> str:
    """标题行末尾 wiki 的 ``[编辑]`` 链接，只返回要删的尾巴；句子结尾的 [编辑] 不动。

    >>> edit_link("历史沿革[编辑]"), edit_link("行政区划 [编辑源代码]")
    ('[编辑]', ' [编辑源代码]')
    >>> edit_link("他把稿子交给了主任[编辑]。"), edit_link("这一段由他写成。[编辑]")
    ('', '')
    """
    if len(s) > EDIT_HEADING_MAX or not s.endswith(("]", "】")):
        return ""
    m = EDIT_TAIL.search(s)
    head = s[: m.start()] if m else ""
    if not m or head.rstrip().endswith(END_PUNCT_TUPLE) or any(c in head for c in "，,；;。"):
        return ""  # a sentence or a clause before it: not a heading's link
    return s[m.start():]


def is_photo_credit(s: str) -> bool:
    """图片说明与摄影署名行：署名前最多一句短说明。

    >>> is_photo_credit("新华社记者李涛摄"), is_photo_credit("（图片来源：视觉中国）"), is_photo_credit("報導．攝影╱林小明")
    (True, True, True)
    >>> is_photo_credit("他拿起相机，对着远处的雪山按下快门。")
    False
    """
    n = len(s)
    if n <= 100 and (PHOTO_CREDIT_START.match(s) or s[0] in "▲△"):  # a label says so: its caption may run long
        return True
    if n > 100:
        return False
    return 0 <= photo_credit_at_end(s) <= 30


def trailing_photo_credit(s: str) -> str:
    """段落末尾的摄影署名，只返回要删的尾巴。

    >>> trailing_photo_credit("記者走訪時，屋外正下著大雨，一家人擠在小屋裡取暖，孩子們圍著火爐寫功課。報導．攝影╱林小明")
    '攝影╱林小明'
    >>> trailing_photo_credit("我们拍摄了整个过程。")
    ''
    """
    at = photo_credit_at_end(s)
    return s[at:] if at > 30 else ""


def is_caption_form(s: str, title: str | None) -> bool:
    """紧跟在图片后面的一行，看形式像不像图注。

    >>> is_caption_form("▲村民在田间查看秧苗长势", None), is_caption_form("雪中的武汉", None)
    (True, True)
    >>> is_caption_form("这是一段完整的叙述，它交代了事件的起因和经过，并以句号结尾。", None)
    False
    """
    return is_marked_caption(s, title) or is_short_caption(s)


def is_position_caption(s: str) -> bool:
    """一句不长的话里说了照片中人的位置（左）（后右）（图中站者）或 图为：只有图注这样写。

    >>> is_position_caption("陈金龙（左）说，现在妈妈的生活起居全靠他照应。"), is_position_caption("春耕时节访农家（中）")
    (True, False)
    """
    return len(s) <= 150 and PHOTO_POSITION.search(s) is not None


SENTENCE_STOPS = re.compile(r"[。！？!?]")


def is_sentence_caption(s: str, prev: str | None, paragraphs: list[int]) -> bool:
    """图片同一行后面的一两句话：比这一页的正文段落短得多（不到中位数的一半），而且图片不在句子中间
    （上一行已经收句，或是短标题）。只看版面：长度、句数、上一行的句读，不看用词。

    >>> is_sentence_caption("阿秀每天清晨替母亲按摩雙腿，盼她早日站起來。", "「只盼她能再叫我一聲」", [180, 220, 160])
    True
    >>> is_sentence_caption("灌入，她目前不太有力氣撐起身子。", "黃女花蜷臥小房約一坪半大，空間很小，她氣切無法言語進食，管灌營養品得從胃造", [180, 220, 160])  # a glyph image mid-sentence
    False
    >>> is_sentence_caption("今天天氣很好，我們一早就出門了。", None, [30, 40, 25])  # a page of short paragraphs
    False
    """
    if len(s) > 100 or len(SENTENCE_STOPS.findall(s)) > 3 or s[:1] in "，,、；;：:）)」』":
        return False
    if prev is not None and not prev.endswith(END_PUNCT_TUPLE) and len(prev) > 30:
        return False  # the image sits inside a sentence that runs on from the line above
    if len(paragraphs) < 3:
        return False
    return 2 * len(s) <= sorted(paragraphs)[len(paragraphs) // 2]


def is_marked_caption(s: str, title: str | None) -> bool:
    """图注的明确标记：▲、图为、摄影署名、图片来源，或复述标题。

    >>> is_marked_caption("▲村民在田间查看秧苗长势", None), is_marked_caption("雪中的武汉", None)
    (True, False)
    >>> is_marked_caption("某国《某某报》网站题为《古城，重现烟火气》的报道截图。", None)
    True
    >>> is_marked_caption("镇政府有提前告知之责，但是他们之前并不知道（详见以下截图）。", None)
    False
    """
    if CAPTION_START.match(s) or is_photo_credit(s) or (len(s) <= 200 and photo_credit_at_end(s) >= 0):
        return True
    if len(s) <= SCREENSHOT_CHARS and SCREENSHOT_END.search(s) and not CLAUSE.search(BOOK_TITLES.sub("", s)):
        return True  # the line under a picture that names it a screenshot, in one phrase (a sentence has clauses)
    return bool(title and len(title) >= 6 and title in s and len(s) <= len(title) + 3)


SCREENSHOT_END = re.compile(r"(?:截图|截圖|截屏)[）)】\]]?[。.]?$")
SCREENSHOT_CHARS = 80
CLAUSE = re.compile(r"[，,；;：:]")
BOOK_TITLES = re.compile(r"《[^》]*》")


LIST_ITEM = re.compile(r"^(?:[-*+•·]\s|\d{1,2}[.)、]\s*\S)")


def is_short_caption(s: str) -> bool:
    """只凭形式的图注：图片下一行短、无句末标点。列表项和光秃的序号（``- 更新用户头像``、``2``）不算：那是正文的结构。

    >>> is_short_caption("雪中的武汉"), is_short_caption("- 更新用户头像"), is_short_caption("02")
    (True, False, False)
    """
    if len(s) > 30 or s.endswith(tuple(END_PUNCT)) or s.endswith("：") or LIST_ITEM.match(s):
        return False
    return sum(c.isalpha() for c in s) >= 2


CLOSING_NOTE = re.compile(
    r"^[（(]?(?:本文)?作者(?:为|系|是|曾|现为|现任|现系|简介\s*[:：]?)"
    r"|^[（(]?作者\s*[A-Za-z0-9_\u4e00-\u9fff]{2,20}[，,]\s*(?:为|系|是|现为|曾)"
    r"|^[“\"「【\[]?(?:特别|免责|版权)?声明(?:\s*[】\]]?\s*[:：]|[】\]]?$)"
    # a platform's disclaimer: the post is the author's or uploader's, the platform only hosts it
    r"|^[“\"「]?(?:本文|以上|文章|上述)[^。]{0,50}(?:仅代表|不代表)[^。]{0,30}(?:观点|立场|意见)"
    r"|^[“\"「]?(?:本文|以上|文章|上述)[^。]{0,80}(?:平台|网站|本站)仅提供信息(?:存储|发布)"
    # the closing invitation to like or follow the author's page: 如果您喜欢…，邀请您到粉丝团按个赞
    r"|^(?:如果|若|假如)?(?:您|你|大家)?(?:喜欢|觉得)[^。！!]{0,40}(?:邀请|欢迎|请|记得|别忘了)[^。]{0,20}"
    r"(?:粉丝团|粉丝页|专页|按.{0,3}赞|点.{0,3}赞|关注|订阅|追踪)"
    # the outlet's own blurb, and the advert or book tip closing a post
    r"|^[^，。]{2,20}是(?:一个|一家|一份|一群)[^。]{0,40}(?:自媒体|公众号|媒体|平台|机构|组织|团队|工作室|网站)[，,]\s*我们"
    r"|^(?:荐书|好书推荐|新书推荐|本期荐书|文末硬广|硬广|利益相关)(?:\s*[:：]|$)"
)


# A date as a sign-off writes it: 2018年7月23日, 2018-04-23, 二〇一八年四月十九日, 2018年清明节.
SIGNOFF_DATE = re.compile(
    r"\d{4}\s*[-/.年]\s*\d{1,2}\s*(?:[-/.月]\s*\d{1,2}\s*[日号]?)?"
    r"|[〇零○一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月(?:[一二三四五六七八九十]{1,3}[日号])?"
    r"|\d{4}\s*年\s*[\u4e00-\u9fff]{2,3}节")


# The writer's verb makes a date a sign-off; a bare date under a letter's signature is the letter's own.
SIGNOFF_VERB = re.compile(r"(?:记|写|作|草|改|修改|修订|完稿|定稿|成稿|脱稿)于|完稿|定稿|初稿|成稿|草就|脱稿")


def is_signoff(s: str) -> bool:
    """文末的落款（只在页面最后三行才算）：署名、日期、记于/写于/完稿于某地，没有句读。光秃的日期不算（信末的日期是信的）。

    >>> is_signoff("张小凯律师记于2018年7月23日"), is_signoff("周远 2020年2月5日凌晨完稿于北京"), is_signoff("二〇一八年四月十九日定稿")
    (True, True, True)
    >>> is_signoff("2015年7月3日"), is_signoff("某某协会 2015年7月3日")
    (False, False)
    >>> is_signoff("2018年，我们再也没有见过面。"), is_signoff("2018年7月23日那天发生的事情我们至今仍然记得清清楚楚")
    (False, False)
    """
    if len(s) > 40 or any(c in s for c in "，,。！？!?；;：:"):
        return False
    m = SIGNOFF_DATE.search(s)
    if not m:
        return False
    rest = (s[: m.start()] + s[m.end():]).strip()
    return len(rest) <= 14 and not any(c.isdigit() for c in rest) and SIGNOFF_VERB.search(rest) is not None


def is_closing_note(s: str) -> bool:
    """文末的作者简介或声明（只在页面最后几行才算，见 boilerplate 的 ``_closing_notes``）。

    >>> is_closing_note("作者为科技商业观察家，多家媒体特邀顾问。"), is_closing_note("特别声明")
    (True, True)
    >>> is_closing_note("某某是一个非营利的自媒体，我们关注教育与环境。"), is_closing_note("荐书：《凯南日记》")
    (True, True)
    >>> is_closing_note("作者在书中回忆了童年的夏天，那时村口还有一棵老槐树。"), is_closing_note("绿水会是一家环保组织，成立于2004年。")
    (False, False)
    >>> is_closing_note("“特别声明：以上内容为某某号用户上传并发布，本平台仅提供信息存储服务。"), is_closing_note("本文仅代表作者观点，不代表本网立场")
    (True, True)
    >>> is_closing_note("以上这些观点，仅代表了少数专家的看法，多数学者并不认同。")
    False
    >>> is_closing_note('如果您喜歡"小林的家"圖文分享 邀請您到 FB 粉絲團 按個"讚"!'), is_closing_note("如果你喜欢这座城市，请在春天来。")
    (True, False)
    """
    return len(s) <= 120 and bool(CLOSING_NOTE.match(s))


# Boards and portals head their sidebars' lists of other threads and tags the same way.
BOARD_LIST_HEAD = re.compile(
    r"^[【\[#（(「\s]*(?:热门帖子|热帖|今日热帖|本周热帖|热门话题|热门主题|最新帖子|最新主题|最新回复|相关帖子|相关主题|相关问题|"
    r"相关话题|热门标签|标签云|热门排行|热门问答|热议话题|精华帖子)[】\]」）)\s:：>》↓👇]*$"
)


def is_related_heading(s: str) -> bool:
    """相关阅读、推荐阅读一类列表标题；论坛、门户侧栏的热帖、相关帖子、标签列表标题。

    >>> is_related_heading("【相关阅读】"), is_related_heading("延伸閱讀："), is_related_heading("相关阅读材料显示，去年的降水偏多。")
    (True, True, False)
    """
    return len(s) <= 24 and bool(RELATED_HEAD.match(s) or BOARD_LIST_HEAD.match(s))


# A name standing alone may be something else (亚博 is also AsiaWorld-Expo): these corroborate it.
SPAM_SIGNAL_RE = re.compile(rf"{SPAM_STRONG}|{SPAM_WEAK}|官网|平台|登录|登入|下载|手机版|app|APP")


def _corroborated(phrase: str) -> bool:
    """A spam phrase holds two signals (two names, a name and a site word), or ends in a label colon."""
    return len(SPAM_SIGNAL_RE.findall(phrase)) >= 2 or phrase.endswith((":", "："))


def is_spam(s: str) -> bool:
    """整行的博彩垃圾：去掉博彩词组后所剩无几，或词组连篇。单独一个名字只在整行就是它时才算；正文行里的词组只删词组（``spam_phrases``）。

    >>> is_spam("澳门威尼斯人 百家乐 注册送彩金")
    True
    >>> is_spam("据应急管理厅消息，王者威尼斯人现金网网址：某县一工厂发生事故，造成一人受伤。")
    False
    >>> is_spam("‘华体会’自然资源部抽查陕西省绿色矿山"), is_spam("歌迷在亚博排队")  # 亚博 is also a venue
    (False, False)
    """
    if not SPAM_STRONG_RE.search(s):
        return False
    phrases = SPAM_PHRASE.findall(s)
    if not any(map(_corroborated, phrases)) and not SPAM_WEAK_RE.search(s):
        return len(re.sub(SPAM_STRONG, "", s).strip(" \t【】[]（）()「」‘’“”\"'")) == 0
    rest = len(s) - sum(len(p) for p in phrases) - sum(len(w) for w in SPAM_WEAK_RE.findall(s))
    return len(phrases) >= 3 or rest < max(8, len(s) / 2)


def spam_injected(page: str) -> bool:
    """整页有博彩注入的证据：不止一个名字，同一名字反复出现，或有成串的词组。单独一个“亚博”不算（也是会展馆）。

    >>> spam_injected("演唱会将于亚博馆举行。歌迷在亚博排队。"), spam_injected("他在威廉希尔下注，又前往皇冠国际。")
    (False, True)
    """
    names = Counter(SPAM_STRONG_RE_NAMES.findall(page))
    if len(names) >= 2 or max(names.values(), default=0) >= 4:
        return True
    return any(_corroborated(m.group(0)) for m in SPAM_PHRASE.finditer(page))


def spam_phrases(s: str, lone: bool = False) -> list[str]:
    """正文行里夹带的博彩词组，返回要删的片段；单独一个名字只在整页另有证据时才删（``lone``）。

    >>> spam_phrases("据应急管理厅消息，王者威尼斯人现金网网址：某县发生事故。")
    ['王者威尼斯人现金网网址：']
    >>> spam_phrases("威尼斯是一座水城。"), spam_phrases("演唱会将于亚博馆举行。")
    ([], [])
    """
    from transforms.script import fold

    f = fold(s)  # found on the folded line, returned as written
    if not SPAM_STRONG_RE.search(f):
        return []
    return [s[m.start():m.end()] for m in SPAM_PHRASE.finditer(f) if lone or _corroborated(m.group(0))]


COMMENTS_HEAD = re.compile(r"^(?:网友评论|網友評論|热门跟贴|热门评论|熱門評論|全部评论|全部評論|发表评论|我要评论|评论区|留言区|精选留言|目前没有热门跟贴)")


def is_comments_heading(s: str) -> bool:
    """评论区的开头，其后是读者评论而非正文。

    >>> is_comments_heading("网友评论仅供其表达个人看法，并不表明本站立场。"), is_comments_heading("评论员文章指出，改革要稳。")
    (True, False)
    """
    return len(s) <= 40 and bool(COMMENTS_HEAD.match(s))


# A comment section's heading that counts or invites the comments (``41 comments:``, ``12条评论``, ``评论（3）``,
# ``Leave a Reply``): a feature only; a section needs comment headers under it (``comment_headers``).
COMMENT_COUNT = re.compile(
    r"^(?:\d{1,5}\s*(?:comments?|responses?|条评论|條評論|条留言|條留言|则留言|則留言|个回应|個回應)"
    r"|(?:comments?|responses?|评论|評論|留言|回应|回應)\s*[（(]\d{1,5}[)）]"
    r"|(?:leave a (?:reply|comment)|post a comment|add comment|\d{1,5}\s*thoughts? on\b.{0,60}))\s*[:：]?$", re.I)
# A comment's header: a short name and the time it was posted, no sentence (``Eve 5:31 PM``, ``老王 2019-03-05 15:12``,
# ``张三 说：``).
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?"
_DAY = r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?|\d{1,2}\s*[-/.月]\s*\d{1,2}日?|[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}"
COMMENT_HEADER = re.compile(
    rf"^(?!.*[。！？!?]$)[^\s。，！？!?,]\S{{0,23}}(?:\s\S{{1,20}}){{0,3}}?\s*(?:on\s+|at\s+|于\s*|發表於\s*|发表于\s*)?"
    rf"(?:(?:{_DAY})(?:\s*(?:at\s*|[上下]午\s*)?{_TIME})?|{_TIME})\s*$"
    rf"|^[^\s。，！？!?,]\S{{0,15}}\s*(?:说|說|says|said)\s*[:：]?$")
COMMENT_WINDOW = 12  # lines under a count heading where its first comments' headers stand
COMMENT_HEADERS = 2


_COUNT_FIRST = frozenset("0123456789CcRrLlPpAa评評留回")


def is_comment_count(s: str) -> bool:
    """评论区的计数或邀请标题（41 comments:、12条评论、评论（3）、Leave a Reply）：只是特征，其下要有评论头。

    >>> is_comment_count("41 comments:"), is_comment_count("12条评论"), is_comment_count("评论（3）"), is_comment_count("Leave a Reply")
    (True, True, True, True)
    >>> is_comment_count("12条评论指出，改革要稳。"), is_comment_count("Comments are welcome on the draft.")
    (False, False)
    """
    return len(s) <= 80 and s[:1] in _COUNT_FIRST and COMMENT_COUNT.match(s) is not None


def is_comment_header(s: str) -> bool:
    """一条评论的头：短短的名字加发表时间，或“某某说：”，不成句。

    >>> is_comment_header("Eve 5:31 PM"), is_comment_header("Abby and Stephanie 6:33 PM"), is_comment_header("老王 2019-03-05 15:12")
    (True, True, True)
    >>> is_comment_header("张三 说："), is_comment_header("sarah-jane down the lane 2:16 AM")
    (True, True)
    >>> is_comment_header("会议于 2019-03-05 15:12 召开。"), is_comment_header("2019-03-05"), is_comment_header("下午 3:00 开会")
    (False, False, False)
    """
    return len(s) <= 60 and COMMENT_HEADER.match(s) is not None and not DATE.match(s)


def comment_headers(texts: list[str]) -> int:
    """How many comment headers stand among ``texts`` (the lines under a comment count heading).

    >>> comment_headers(["Eve 5:31 PM", "Lovely treasures!", "Reply", "Sam 6:02 PM", "Me too."])
    2
    """
    return sum(map(is_comment_header, texts))


KEYWORD_LIST_CHARS = 1000  # an SEO keyword dump runs to tens of thousands; verse or a list of names stays shorter
_HAN_ANY = re.compile(r"[\u3400-\u9fff]")
_CLAUSE = re.compile(r"[。！？；，!?;]")


MODEL_LIST_CHARS = 200
MODEL_LIST_WORDS = 40  # a dump of brand and model names: forty words or more, nearly all capitalised or numbers,
MODEL_STOPS = 15  # and a comma or stop in fifteen words at most
_ANY_STOP = re.compile(r"[,.;:!?，。；：！？、]")
_LATIN_ANY = re.compile(r"[A-Za-z]")


# Words of the adult-video search terms CommonCrawl pages carry, injected as a comma-joined line; features only.
# Each opens with Han: a term led by a letter or a class (A片) makes the search five times slower.
ADULT_TERMS = re.compile(r"无码|中文字幕|成人(?:影片|视频|电影|网站)|色情|人妻|高潮|久久久|福利视频|午夜|乱伦|偷拍|一区二区|不卡|"
                         r"性器|妓女|在线va|伦理片|三级片")
ADULT_PHRASE_CHARS = 30


def _adult_dump(s: str) -> bool:
    """Three or more short phrases joined by commas, no sentence, two or more of them adult-video search terms."""
    if any(c in s for c in "。！？!?；;") or len(s) > KEYWORD_LIST_CHARS:
        return False
    phrases = [p.strip() for p in re.split(r"[,，]", s) if p.strip()]
    return len(phrases) >= 3 and max(map(len, phrases)) <= ADULT_PHRASE_CHARS \
        and sum(ADULT_TERMS.search(p) is not None for p in phrases) >= 2


# A full date stuck to the text before it: a list's headline and its date with nothing between them.
GLUED_DATE = re.compile(r"(?<=[^\s\d，,、：:；;（(\[【/.-])(?:19|20)\d{2}([-/.])\d{1,2}\1\d{1,2}(?![\d:])")
DATED_RUN = 3  # headlines, each with its date, that make a list
DATED_RUN_PART = 40  # characters of a headline, at most, in the middle


def dated_run(s: str) -> bool:
    """A list of headlines with their dates run together on one line (a sidebar's 最近文章 the extractor joined): three
    or more full dates stuck to the text before them, and short parts between them that end no sentences.

    >>> dated_run("作者最近文章 稻田里的新农人2019-09-07春耕时节访农家2019-08-27老街的最后一家书店2019-08-07")
    True
    >>> dated_run("项目2019-01-05立项，2019-03-10开工，2019-12-30完工，比原计划提前两个月。")
    False
    >>> dated_run("截至2019-09-07，全市累计接种疫苗超过三百万剂。")
    False
    """
    if max(s.count("-"), s.count("/"), s.count(".")) < 2 * DATED_RUN:  # each date holds two of one separator
        return False
    dates = GLUED_DATE.findall(s)
    if len(dates) < DATED_RUN:
        return False
    parts = [p.strip() for p in re.split(r"(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}", s)[1:-1]]
    return bool(parts) and sorted(len(p) for p in parts)[len(parts) // 2] <= DATED_RUN_PART \
        and sum(p.endswith(("。", "，", ",", "；")) or p.startswith(("，", ",", "。")) for p in parts) * 3 < len(parts)


def is_keyword_list(s: str) -> bool:
    """一整行成百个空格分隔的词组、几乎没有句读：站点塞进页面的关键词堆砌（常见于 CommonCrawl 页尾的色情、搜索词注入），
    不是正文；或四十个以上多带拉丁字母、几乎都是大写开头或数字的词，标点极少：品牌和型号的堆砌。只看版面：长度、词组数、词组长短、标点密度，不看用词。

    >>> is_keyword_list(" ".join(["免费在线观看高清", "最新电视剧排行榜", "春季养生小常识", "家常红烧肉做法"] * 40))
    True
    >>> is_keyword_list(" ".join(["Acme P 200 HMW", "絮凝剂", "Flocmax® 8165", "FX 4240 SSH", "聚合氯化铝"] * 10))
    True
    >>> is_keyword_list("某某视频免费观看,国产午夜福利视频不卡,人妻无码中文字幕,在线观看全网站")  # an injected line of search terms
    True
    >>> is_keyword_list("该片讲述一名中学教师的故事，获得最佳影片、最佳导演、最佳女主角三项大奖，中文字幕版下月上映。")
    False
    >>> is_keyword_list("春眠不觉晓 处处闻啼鸟 夜来风雨声 花落知多少"), is_keyword_list("今年雨水偏多，稻田提前插秧。" * 80)
    (False, False)
    >>> is_keyword_list(" ".join(("The river rose all night and the town woke up to water in the streets " * 6).split()))
    False
    """
    if len(s) < KEYWORD_LIST_CHARS:
        if s.count("。") >= 2 or s.count(". ") >= 2:
            return False  # a paragraph (the check every long line gets: it must cost little)
        if ADULT_TERMS.search(s) and _adult_dump(s):
            return True
        if len(s) < MODEL_LIST_CHARS:
            return False
        words = s.split()
        if len(words) < MODEL_LIST_WORDS or MODEL_STOPS * len(_ANY_STOP.findall(s)) > len(words):
            return False
        names = sum(not w[0].islower() for w in words)  # a name, a model number: English prose is lower case
        return 2 * sum(_LATIN_ANY.search(w) is not None for w in words) >= len(words) and 10 * names >= 8 * len(words)
    words = len(s.split())
    if words < 80 or len(_CLAUSE.findall(s)) * 50 > words:  # prose puts a comma or stop every few phrases
        return False
    if len(_HAN_ANY.findall(s)) * 2 < len(s):
        return False  # Latin text without stops is code, data or English, not this
    return 4 <= (len(s) - words) / words <= 30  # phrases, not single names or characters


# --- metadata ---------------------------------------------------------------------------------
CATEGORY = re.compile(r"^\s*\[([^\]\s]{1,12})\]\s*(\S.*)$")
AUTHOR = re.compile(r"^[【\[（(]?(?:作者|撰文|文|作者：|撰稿)\s*[:：|｜丨/／]\s*([^\s，,。（(【\[]{1,20})")
DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
DATELINE = re.compile(
    r"^(?:\d{1,2}\s+)?(?:(?:发布|發布|发表|發表|更新|编辑|時間|时间|日期|發佈)(?:时间|時間|"
    r"日期)?\s*[:：]\s*|(?:Posted|Published|Updated) on\s+)?\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?"
)


def split_category(title: str) -> tuple[str | None, str]:
    """标题前的 ``[栏目]`` 前缀拆出来作为分类。

    >>> split_category("[科学技术]全国政协召开座谈会")
    ('科学技术', '全国政协召开座谈会')
    >>> split_category("全国政协召开座谈会")
    (None, '全国政协召开座谈会')
    """
    m = CATEGORY.match(title)
    if not m:
        return None, title.strip()
    return m.group(1), m.group(2).strip()


# --- whole-line rules ---------------------------------------------------------------------------
def is_footer(s: str) -> bool:
    """页脚的 ``标题:`` / ``地址:`` 行。

    >>> is_footer("标题:[科技]某某会议召开"), is_footer("地址:http://example.com/1.html"), is_footer("标题党的危害在于误导读者。")
    (True, True, False)
    """
    if len(s) > 200:
        return False
    if FOOTER_TITLE.match(s):
        return True
    return bool(URL_LABEL.match(s) and URL_IN_LINE.search(s))


CLOCK = re.compile(r"\d{1,2}:\d{2}")
SOURCE_NAME = re.compile(r"^[\u4e00-\u9fffA-Za-z·]{2,12}$")
DATELINE_WORDS = re.compile(r"来源[:：]|來源[:：]|点击|點擊|作者[:：]|编辑[:：]|浏览|阅读[:：]")


def is_dateline(s: str) -> bool:
    """只有日期（或日期加来源、点击量）的行。

    >>> is_dateline("2021-10-20 10:22:33 来源：新华网"), is_dateline("发布时间：2021年4月17日"), is_dateline("2014年4月29日 上午 11:59")
    (True, True, True)
    >>> is_dateline("2021年4月17日，我们一家人回到了阔别十年的老家，见到了许多童年的伙伴，聊到深夜。")
    False
    """
    if len(s) > 60:
        return False
    if not DATELINE.match(s):
        return bool(CLOCK.search(s) and DATELINE_WORDS.search(s))
    rest = DATELINE.sub("", s, count=1)
    timed = re.match(r"^[日\s]*(?:上午|下午|凌晨|早上|中午|晚上)?\s*\d{1,2}:\d{2}", rest) is not None
    rest = re.sub(r"^[日\s]*(?:(?:上午|下午|凌晨|早上|中午|晚上)?\s*\d{1,2}:\d{2}(?::\d{2})?)?\s*", "", rest)
    if timed and SOURCE_NAME.match(rest):  # 2018-04-13 15:00:06 每日人物: a post's date and outlet
        return True
    return not rest or bool(re.match(r"^(?:星期|周|來源|来源|作者|编辑|責任|责任|点击|點擊|浏览|阅读|閱讀|字号|\||｜|/|【)", rest))


# --- contact blocks and forms: company and portal frames -----------------------------------------
# What a contact line is labelled with; a department or site may stand before it (销售部联系电话, 公司地址).
_CONTACT_KEY = (r"电话|热线|专线|手机|座机|总机|传真|邮箱|信箱|邮件|电邮|E-?mail|email|EMAIL|Q\s?Q|微信号?|地址|厂址|总部|分部|分公司|邮编|联系人|"
                r"联系方式|网址|Tel|TEL|Fax|FAX|Phone|PHONE|Mobile|WhatsApp|Add|Address")
CONTACT_LABEL = re.compile(rf"^[\u4e00-\u9fff（）()\d]{{0,10}}?(?:{_CONTACT_KEY})\s*(?:[:：]|\s(?=[+\d(（]))\s*")
PHONE_VALUE = re.compile(r"(?:\+\s?\d{1,3}[\s-]*)?(?:[(（]?\d{2,4}[)）]?[\s\-－—.]*)?\d{3,4}[\s\-－—.]*\d{3,4}(?:[\s\-－—.]*\d{1,4})?")
EMAIL_VALUE = re.compile(r"[\w.+\-]+@[\w\-]+\.[\w.\-]+|\[email(?:&#160;|\s)protected\]")
WEB_VALUE = re.compile(r"(?:https?://|www\.)\S+")
ADDRESS_VALUE = re.compile(r"[省市区县镇乡村路街道巷弄号楼室层栋座]|大厦|大楼|园区|工业区|开发区")
CONTACT_ANY = re.compile(rf"{_CONTACT_KEY}")
# A space between two Han characters; led by the space (then the look back), so a line without one is one quick scan.
HAN_SPACE = re.compile(r"\s(?<=[\u4e00-\u9fff]\s)(?=[\u4e00-\u9fff])")


@per_line
def is_contact(s: str) -> bool:
    """联系方式行：电话、传真、邮箱、地址、QQ、联系人……标签后面是号码、邮箱、网址或地址，或只有标签（值在下一行），
    或只有一个号码、邮箱。只看形式；是不是页面构件要看位置（正文之后、之前才算，见 boilerplate 的 ``_contact_blocks``）。

    >>> is_contact("销售热线：0571-88886666"), is_contact("地址：杭州市西湖区文三路100号"), is_contact("Email：sales@example.com")
    (True, True, True)
    >>> is_contact("传 真："), is_contact("0571-88886666"), is_contact("Q Q：804710307")
    (True, True, True)
    >>> is_contact("他打电话：我马上就到。"), is_contact("地址：不详"), is_contact("家庭住址和电话号码都要填写清楚。")
    (False, False, False)
    """
    if len(s) > 120:
        return False
    t = HAN_SPACE.sub("", s)  # 传 真：, 電 話：
    # A label ends in a colon or a space (most lines have neither): only then is it looked for.
    m = CONTACT_LABEL.match(t) if ":" in t or "：" in t or " " in t or not t.isprintable() else None
    if m is None:
        rest = t.strip(" +")  # a value alone: numbers, an e-mail or a site's address
        if _YEARS.match(rest) or len(_DIGITS.findall(rest)) < 7 and "@" not in rest and "www." not in rest:
            return False
        return bool(rest) and (PHONE_VALUE.fullmatch(rest) is not None
                               or all(PHONE_VALUE.fullmatch(x) for x in _VALUES.split(rest) if x)
                               or EMAIL_VALUE.fullmatch(rest) is not None or WEB_VALUE.fullmatch(rest) is not None)
    value = t[m.end():].strip()
    if not value:
        return len(t) <= 16  # a label whose value sits on the next line
    if len(_DIGITS.findall(value)) >= 7 and PHONE_VALUE.search(value) or EMAIL_VALUE.search(value) \
            or WEB_VALUE.search(value):
        return not _CLAUSE_END.search(value)  # a sentence that cites a number is not a contact line
    if ADDRESS_VALUE.search(value) and len(value) <= 60 and not _CLAUSE_END.search(value) \
            and re.search(r"地址|厂址|Add|总部|分部|公司|工厂", m.group(0)):
        return True
    return bool(re.search(r"联系人|QQ|微信", m.group(0))) and len(value) <= 20 and not _CLAUSE_END.search(value)


_DIGITS = re.compile(r"\d")
_YEARS = re.compile(r"^(?:19|20)\d{2}\s*[-–—~.年/]\s*\d{1,4}")  # 2016-2017, 2022.12.01: dates, not numbers to call
_VALUES = re.compile(r"\s{2,}|[、,，/]\s*|\s(?=\d{3})")
_CLAUSE_END = re.compile(r"[。！？!?；;]$|[，,].*[，,]")
# A form's field: a short label and its colon, nothing after it (您的姓名：, * 验证码：), or its submit button.
FORM_FIELD = re.compile(r"^[*＊\s]*[\u4e00-\u9fffA-Za-z\s]{1,8}[:：]$|^(?:提交|提交留言|重置|重填|立即提交|发送|看不清.{0,6})$")


def is_form_field(s: str) -> bool:
    """表单的一栏：短标签加冒号、后面没有内容，或提交、重置按钮。只在成串（三栏以上）且在正文之外时才删。

    >>> is_form_field("您的姓名："), is_form_field("* 验证码："), is_form_field("提交")
    (True, True, True)
    >>> is_form_field("主要特点如下："), is_form_field("姓名：张三")
    (True, False)
    """
    return len(s) <= 16 and FORM_FIELD.match(s) is not None


# A sidebar's entry with its count: a category, an archive month, a message box (``到处吃 (1438)``, ``2022 十一月 (22)``).
COUNT_ENTRY = re.compile(r"^[^\s。，,！？!?；;：:（(][^。，,！？!?；;（(]{0,23}?\s*[（(]\d{1,6}[）)]$")


def is_count_entry(s: str) -> bool:
    """侧栏的带数目条目：分类、归档月份、消息箱，名称后面括号里一个数。不是句子（虽然以括号结尾）。

    >>> is_count_entry("到處吃 (1438)"), is_count_entry("2022 十一月 (22)"), is_count_entry("私人消息 (0)")
    (True, True, True)
    >>> is_count_entry("会议共有代表出席（120）"), is_count_entry("他说，今年的收成不错（3）")
    (True, False)
    """
    return len(s) <= 32 and COUNT_ENTRY.match(s) is not None


# Four or more such entries run together on one line: a sidebar's list flattened (``2022 十二月 (2) 2022 十一月 (22) …``).
COUNT_ROW = re.compile(r"^(?:[^。，,、！？!?；;（()）]{1,30}[（(]\d{1,6}[）)]){4,}$")  # one way to split: no backtracking
COUNT_MARK = re.compile(r"[（(]\d{1,6}[）)]")


def is_count_row(s: str) -> bool:
    """一行里连着四个以上带数目的条目：侧栏的归档月份、分类被压成一行。不是句子（虽然以括号结尾）。

    >>> is_count_row("文章彙整 2022 十二月 (2) 2022 十一月 (22) 2022 十月 (16) 2022 九月 (20)")
    True
    >>> is_count_row("北京 (12) 上海 (9)"), is_count_row("会上，甲（1）、乙（2）、丙（3）、丁（4）依次发言（5）")
    (False, False)
    """
    return len(s) > 32 and len(COUNT_MARK.findall(s)) >= 4 and COUNT_ROW.match(s) is not None


# --- script-folded matching ------------------------------------------------------------------------
def _on_folded(fn):
    """Rules decide on ``script.fold`` of the line, so a Traditional line gets the Simplified line's verdict."""
    from transforms.script import fold

    @functools.wraps(fn)
    def wrapper(s: str, *args, **kwargs):
        return fn(fold(s), *args, **kwargs)

    return wrapper


for _name in ("is_credit", "is_source", "is_share", "is_furniture", "is_photo_credit", "is_caption_form", "is_wiki_meta",
              "is_marked_caption", "is_short_caption", "is_closing_note",
              "is_related_heading", "is_position_caption", "is_news_byline", "is_spam", "is_keyword_list", "is_comments_heading", "is_footer", "is_dateline", "photo_credit_at_end"):
    globals()[_name] = _on_folded(globals()[_name])


def _tail_on_folded(fn):
    """A tail found on the folded line, returned as written (fold keeps positions)."""
    from transforms.script import fold

    @functools.wraps(fn)
    def wrapper(s: str) -> str:
        tail = fn(fold(s))
        return s[len(s) - len(tail):] if tail else ""

    return wrapper


trailing_credit = _tail_on_folded(trailing_credit)
trailing_photo_credit = _tail_on_folded(trailing_photo_credit)
edit_link = _tail_on_folded(edit_link)


# --- the catalogue ---------------------------------------------------------------------------------
# Every rule name the step can write into ``removed`` or the manifest, with texts it must catch (hits) and
# look-alikes it must leave alone (misses). Invented text only. Whole-line rules are tried in this order.
_P1 = "今年春天雨水偏多，村里的稻田比往年提前半个月插秧，老人们都说这是个好兆头。"
_P2 = "镇上的集市每逢农历初一十五开张，卖菜的、修鞋的、说书的把整条老街挤得满满当当。"

# An English article (a Chinese crawl holds some): sentences of many words, where a menu's items have one or two.
_EN = ("The river rose all night and the town woke up to water in the streets, so the school stayed closed.\n"
       "Volunteers filled sandbags along the bank while the mayor asked families in the low streets to leave.\n"
       "By noon the water had started to fall, and shop owners came back to sweep the mud out of their doors.")
_KEYWORDS = ("免费在线观看高清", "最新电视剧排行榜", "春季养生小常识", "家常红烧肉做法", "二手车报价大全")
_NAV_EN = "\n".join(("Home", "About Us", "Products", "News", "Contact", "Login", "Register", "Support", "Careers", "Blog",
                     "FAQ", "Sitemap"))

RULES = (
    Rule("spam", "整行的博彩垃圾。", kind="line", test=is_spam,
         hits=("澳门威尼斯人 百家乐 注册送彩金",),
         misses=("威尼斯是一座水城。", "警方捣毁一个跨境赌博团伙，查获投注记录上万条，涉案金额高达两亿元。")),
    Rule("furniture", "版权、备案、免责声明、上一篇下一篇、（完）这类页面构件。", kind="line", test=is_furniture,
         hits=("Copyright © 2021 某某网 版权所有", "京ICP备12345678号", "上一篇：春季养生小常识", "（完）",
               "全文共5222字，阅读大约需要12分钟。", "預計閱讀時間 8 分鐘", f"{_P1}\n本文未经允许请勿转载",
               f"{_P1}\n文中图片未经同意，请勿用作其他用途", f"{_P1}\n本文放弃版权，欢迎自行转载。",
               f"{_P1}\n报告全文下载链接：<https://pan.example.com/s/1abc>",
               "此分類上一篇：[餐]某某飯店早餐", "歡迎訪問某某機械有限公司官方網站！", "上一篇文章：试用期工资怎么算？ 下一篇文章：年假怎么休", "下一个：",
               "Skip to content", "在此浏览器中保存我的显示名称、邮箱地址和网站地址，以便下次评论时使用。", f"{_P1}\n取消回复",
               "搜索：", "登录 | 注册", "热门搜索： 保温杯 焖烧壶", "返回某某网首页>>", "返回顶部",
               "GMT+8, 2022-12-1 11:15, Processed in 0.178532 second(s), 7 queries.", "Powered by Discuz! 7.2",
               "通过电子邮件发送BlogThis!分享到 Twitter分享到 Facebook"),
         misses=("这家公司未经授权使用了别人的照片，被判赔偿三万元。", "下篇再談流動民主的具體案例。",
                 "他未经同意就用了邻居的车，请勿模仿。这种做法很危险，也不合法，警方已经介入调查并且通报了他的单位。" * 2,
                 "下一个路口左转就到了。", "欢迎来到我的世界，这里有我全部的回忆！",
                 f"{_P1}\n调用服务举例\n- 用户登录\n- 更新用户头像\n{_P2}",
                 f"{_P1}\n转型之路道阻且长，可以预见，行业的整顿仍将持续。返回某某网首页>>",
                 "这款路由器 powered by 联发科芯片，性能不错。")),
    Rule("forum_meta", "论坛帖子的模板行：编辑、删除提示，发表于，楼层，回复举报一类按钮，等级积分，翻页。", kind="line",
         test=is_forum_meta,
         hits=("本帖最后由 小王 于 2023-5-1 12:30 编辑", "最后由 lee 编辑 2019年2月16日 10:26", "此回复已被删除！",
               "该楼层疑似违规已被系统折叠 隐藏此楼查看此楼", "沙发", "发表于 2024-4-5 23:20:45", "只看该作者",
               "新手上路，积分 5，距离下一级还需 45 积分", "1 / 19", "回复", "24-5-13 17:07 来自 某某客户端 已编辑",
               "山城小刀 发表于 2023-11-2 08:15:36", "楼主 | 山城小刀 发表于 2023-11-2 08:15 | 只看该作者",
               "12#", "#3", "第5楼", "回复 引用 举报", "支持(3) | 反对(0) | 回复", "使用道具 举报",
               "查看: 3481 | 回复: 12", "马上注册，结交更多好友，享用更多功能，让你轻松玩转社区。",
               "您需要 登录 才可以下载或查看，没有帐号？立即注册", "发表于 2012-3-4 10:22:33 | 只看该作者 |倒序浏览 |阅读模式",
               "回复 2# 老王", "收藏0 支持0 反对0", "该用户从未签到", "主题 12 帖子 345 积分 678"),
         misses=("楼主说得对，我上周也去了那家店，回复很快。", "回复速度很快", "此后他再也没有回复过任何消息。",
                 "沙发上坐着三位老人，正在聊天。", "发表于2019年的那篇论文被引用了三百多次。",
                 "这篇论文发表于 2019-3-1，当时并没有引起注意。", "我住在3楼，楼下就是菜市场。", "3",
                 "支持一下楼主，写得很用心。", "马上注册了一个账号，发现里面的资料确实很全。", "顶")),
    Rule("wiki_meta", "维基站点的模板行：跳转到导航、来自维基百科、查·论·编、条目维护和消歧义提示、最后修订时间。", kind="line",
         test=is_wiki_meta,
         hits=(f"跳转到导航\n跳转到搜索\n{_P1}", f"{_P1}\n此條目需要補充更多來源。", "查·论·编",
               f"{_P1}\n本页面最后修订于2024年1月1日 (星期一) 10:22。", "关于同名的其他地方，请见某某古城 (消歧义)。"),
         misses=(f"{_P1}\n这个条目在词典里查不到。", "查论编三个字是什么意思？", f"{_P1}\n他在维基百科上查到了这个词的来历。")),
    Rule("forum_card", "论坛帖子的用户卡片：两行以上帖子模板行所在的短行段里，计数和页内重复的短行（用户名、积分、帖子）。",
         hits=("老王\n老王\n积分\n120\n楼主\n发表于 2024-4-5 23:20\n" + _P1 + "\n回复\n举报\n"
               "小李\n小李\n积分\n36\n沙发\n发表于 2024-4-6 08:11\n" + _P2 + "\n回复\n举报",),
         misses=("老王\n楼主\n发表于 2024-4-5 23:20\n" + _P1 + "\n小李\n沙发\n发表于 2024-4-6 08:11\n顶\n回复\n举报",
                 _P1 + "\n测试\n" + _P2 + "\n测试\n" + _P1[::-1])),
    Rule("symbol_line", "没有字、只有一到三个符号的行（×、|、›、逗号）；省略号和单独的问号叹号不算。四十个以内、只有表情、"
         "装饰符号、箭头或乱码替换符（�）的行也算，ASCII 和中文标点的行不算。",
         hits=(f"{_P1}\n×\n{_P2}", f"{_P1}\n|\n{_P2}", f"{_P1}\n🌸🌸🌸🌸🌸\n{_P2}", f"{_P1}\n\ufffd\ufffd\ufffd\ufffd\n{_P2}"),
         misses=(f"{_P1}\n……\n{_P2}", f"{_P1}\n？\n{_P2}", "if (a) {\n    b();\n}\n" + _P1,
                 f"{_P1}\n......\n{_P2}", f"{_P1}\n🌸春天来了🌸\n{_P2}")),
    Rule("counter_run", "连续三行以上的计数行：只有数字，可带次、篇、赞一类单位和括号（点赞、浏览、粉丝数）。",
         hits=(f"{_P1}\n（38次）\n（19次）\n（7次）", f"{_P1}\n0\n19\n16.0k\n{_P2}"),
         misses=(f"1\n{_P1}\n2\n{_P2}", f"{_P1}\n2021\n2022\n{_P2}")),
    Rule("share", "分享、关注、二维码、阅读原文这类互动行；公众号的回复菜单（回复【关键词】查看…），一行一条。", kind="line",
         test=is_share,
         hits=("长按识别二维码，关注我们", "分享到：微信 微博 QQ空间", "收藏 | 评论 | 转发", "点击阅读原文",
               "回复【电子书】获取全部资料", "2、回复【福利】查看各类政策福利", "点击菜单栏【办事指南】解锁更多服务！"),
         misses=("喚起大家對兒童性侵犯的關注", "最後他分享到：", "回复【5楼】老李：这家店我也去过，味道一般。",
                 "他在公众号上写了一篇长文，回忆自己在工厂打工的那几年，读者留言很多，不少人说看哭了。")),
    Rule("source", "来源、原标题、转载说明这类出处行。", kind="line", test=is_source,
         hits=("来源：新华网", "原标题：台风“烟花”今晨登陆", "本文转载自新华网", "本文原标题：《春运首日客流平稳》", "本文由 某某阅读 转码", "注：本文经作者授权发布。",
               f"{_P1}\n- 原标题：春耕时节访农家", f"{_P1}\n（原文刊登于某某周末，2006年12月7日，此处为全文）",
               f"{_P1}\n（资料来源：某某消息、某某网等）", f"{_P1}\n(综合整理自某某新闻、某某网等)", f"{_P1}\n以上内容整理自公众号："),
         misses=("来源于民间的智慧往往最朴素，也最有生命力，这是老人们常挂在嘴边的话。", "原题为人所知的故事并不多。")),
    Rule("photo_credit", "图片说明与摄影署名：整行，或长段落末尾的署名。", kind="line", test=is_photo_credit,
         hits=("新华社记者李涛摄", "（图片来源：视觉中国）", "報導．攝影╱林小明", "资料图片",
               "标题图：某某的漫画。河狸和加拿大鹅是加拿大标志性的动物，很多加拿大人都非常喜欢这张漫画，甚至有人纹在身上。",
               "記者走訪時，屋外正下著大雨，一家人擠在小屋裡取暖，孩子們圍著火爐寫功課。報導．攝影╱林小明"),
         misses=("他拿起相机，对着远处的雪山按下快门。", "記者還要走上前拍攝。", "我们拍摄了整个过程。")),
    Rule("credit", "作者、编辑、撰文这类署名行。", kind="line", test=is_credit,
         hits=("责任编辑：王小明", "文｜陈默", f"{_P1}\n出品︱某某科学栏目组 小明", "新京报记者杨畅", f"{_P1}\n- 责任编辑：王小明", "微信编辑 | 侯丽", "编辑 周小褶 ｜ 排版 魏小蔚",
               f"{_P1}\n运营统筹 / 迦南", f"{_P1}\n阿乐 Lok | 整理&文案"),
         misses=("编辑部的同事们连夜赶稿，终于在清晨完成了这篇报道。", "这是老字号的第三代传人。",
                 "小说编辑：这个职业怎么样？", f"{_P1}\n上海 / 北京")),
    Rule("dateline", "只有日期（或日期加来源、点击量）的行；光秃的日期只在页首页尾。", kind="line", test=is_dateline,
         hits=("2021-10-20 10:22:33 来源：新华网", "2018-04-13 15:00:06 每日人物", f"发布时间：2021年4月7日\n{_P1}", f"2021年4月17日\n{_P1}",
               f"Posted on 2022年11月15日\n{_P1}"),
         misses=("2021年4月17日，我们一家人回到了阔别十年的老家，见到了许多童年的伙伴，聊到深夜。",
                 f"{_P1}\n事件经过如下。\n2016年7月18日\n立法会否决议案。\n{_P2}\n{_P1[::-1]}")),
    Rule("news_byline", "单独一行的新闻署名或电头：记者某某报道、某地某日电、发自某地、【某某╱台北报导】。", kind="line",
         test=is_news_byline,
         hits=("新华社北京3月5日电", "【林小明╱台北報導】", "某某中文站 10月14日报道", "（中央社記者王小明台北5日電）", "每日人物卫小婕、张小婧报道",
               "特约撰稿人 王小摇、阿唐 发自上海、北京 20190503", "南方周末实习生 龚小雨", "記者張大同／台北報導",
               "特約撰稿人 秦小寬 海小舟 發自北京 上海"),
         misses=("这是一篇关于疫情的追踪报道", "他是一名记者", "多家媒体都在10月14日报道了这件事", "记者从市园林局了解到，今年一季度城区新增三处口袋公园。",
                 "北京3月5日电视台播出了这部纪录片的第一集。", "相关报道", "實習生心得", "无印良品与罗森强强联手 将共同开发自有品牌")),
    Rule("appeal", "页尾的募捐、订阅告示：对读者说话（您、读者）的捐款、划拨帐号、订户说明，连同其上的短标题。",
         hits=(f"{_P1}\n{_P2}\n某某基金會作業說明\n1.基金會感謝各位讀者愛心，針對所有捐款人皆製發收據，將在您捐款入帳後15日內寄發。\n"
               "2.您所指定轉贈的善款，基金會均會全數轉交指定協助對象。",
               f"{_P1}\n{_P2}\n亲爱的读者：您好！\n感谢您的支持，捐款请划拨至以下帐号。\n郵政劃撥帳號：12345678\n户名：某某慈善基金会",
               f"{_P1}\n{_P2}\n征集\n本报现向身处一线的读者公开征集新闻线索，欢迎来信讲述您的经历，我们将严格保护爆料人的隐私。"),
         misses=(f"{_P1}\n{_P2}\n当地里长说，去年曾透过报纸披露她的困境，约获7万元善款，但早已用完，她只能再向亲友借钱。",
                 f"{_P1}\n{_P2}\n欢迎读者订阅我们的周报。",
                 f"{_P1}\n您所指定轉贈的善款，基金會均會全數轉交指定協助對象。\n{_P2}\n{_P1[::-1]}")),
    Rule("keyword_list", "成百个空格分隔的词组连成的一长行，几乎没有句读：关键词堆砌；或四十个以上多带拉丁字母、几乎都是大写开头"
         "或数字的词，标点极少：品牌和型号的堆砌；或三个以上逗号连起的短词组、不成句、两个以上是成人影片的搜索词：注入的搜索词。",
         kind="line", test=is_keyword_list,
         hits=(f"{_P1}\n" + " ".join(_KEYWORDS * 40), f"{_P1}\n某某视频免费观看,国产午夜福利视频不卡,人妻无码中文字幕,在线观看全网站",
               " ".join(["Acme P 200 HMW", "絮凝剂", "Flocmax® 8165", "FX 4240 SSH", "聚合氯化铝"] * 10) + f"\n{_P1}"),
         misses=(_P1 * 20, " ".join(["张伟", "王芳", "李娜", "刘洋", "陈静"] * 80),  # a paragraph; a list of signatories
                 " ".join(("The river rose all night and the town woke up to water in the streets " * 15).split()),
                 " ".join(str(k) for k in range(100, 160)),  # a row of figures
                 "该片获得最佳影片、最佳导演、最佳女主角三项大奖，中文字幕版下月上映，午夜场已经售罄。")),
    Rule("trailing_credit", "正文行末尾附带的署名，只删尾巴。", kind="tail",
         hits=("会议于今天下午结束，代表们纷纷表示收获很大。（记者 张三）", "全市今年新增就业岗位三万个，超额完成年度目标。责任编辑：李四"),
         misses=("他说这是编辑的失误，下次会更加小心。",)),
    Rule("spam_phrase", "正文行里夹带的博彩词组，只删词组。", kind="tail",
         hits=("据应急管理厅消息，王者威尼斯人现金网网址：某县一工厂发生事故，造成一人受伤。",),
         misses=("威尼斯是一座水城，每年吸引大批游客。",)),
    Rule("caption", "紧跟图片的一行：斜体、居中、figcaption，或形式像图注的短行；页面用同一记号（◎）开头的图注，"
         "两行以上带图片署名时，同记号、单独成行的都是图注。",
         hits=(f"{_P1}\n◎ 图：某某微博截图\n{_P2}\n◎ 村口的老槐树\n{_P1[::-1]}\n◎ 不少人在田间劳作。/图：资料图片\n{_P2[::-1]}",f"{_P1}\n![](a.jpg)\n*村口的老槐树*\n{_P2}", f"{_P1}\n![](a.jpg)\n<figcaption>现场图。</figcaption>",
               f"{_P1}\n<figure><img src='a.jpg'></figure>\n雪中的老城区\n{_P2}",
               f"{_P1}\n![](a.jpg)\n某国《某某报》网站题为《古城重现烟火气》的报道截图。\n{_P2}",
               f"{_P1}\n![](a.jpg) 村民（左）在田间查看秧苗长势，今年的雨水比往年多。\n{_P2}",
               f"{_P1}\n![](a.jpg) 阿秀（後右）說，今年的雨水比往年多，秧苗長得好。\n{_P2}",
               f"{_P1}\n![](a.jpg)\n阿偉（圖中站者）從小愛唱歌，去年參加了教會的聖誕表演。\n{_P2}",
               # glued to its picture, one sentence among long paragraphs: a caption even without a position
               f"春耕時節訪農家\n![](a.jpg) 阿秀每天清晨替母親按摩雙腿，盼她早日站起來。\n{_P1}{_P2}\n{_P2}{_P1}\n{_P1}{_P1}"),
         misses=(f"![](a.jpg)\n{_P1}", f"{_P1}\n◎ 图：某某微博截图\n{_P2}\n◎ 村口的老槐树\n{_P1[::-1]}",  # one credit: no sign
                 f"{_P1}\n◎ 图片来源：某某\n◎ 第二点，资料图片要注明出处。\n◎ 图：某某\n{_P2}",  # a list's bullets stand together
                 f"{_P1}\n![](a.jpg)\n他把稿子分成（上）（中）（下）三篇，今天先登出第一篇，讲的是村里修路的事。\n{_P2}",
                 f"{_P1}\n*村口的老槐树*\n{_P2}", f"![](a.jpg) {_P1}{_P2}{_P1}{_P2}",
                 # a glyph image inside a sentence that runs on from the line above; a page of short paragraphs
                 f"{_P1}{_P2}\n老人家這半年來吃不下飯，氣切以後也無法言語進食，營養品得從胃造\n![](ro.gif) 灌入，她說每天都很累。\n{_P2}{_P1}\n{_P1}{_P2}",
                 f"![](a.jpg) 今天天氣很好，我們一早就出門了。\n{_P1}\n{_P2}\n{_P1[::-1]}",
                 f"{_P1}\n![](a.jpg)\n- 更新用户头像\n- 管理用户信息\n{_P2}",  # a list under a screenshot
                 f"{_P1}\n![](a.jpg)\n2\n{_P2}",  # a section number
                 # a photo essay: the lines under the pictures are the page's text
                 "![](1.jpg)\n清晨的湖面起了一层薄雾\n![](2.jpg)\n营地旁的小溪清澈见底\n![](3.jpg)\n"
                 "晚饭是一锅热腾腾的羊肉汤\n![](4.jpg)\n孩子们在草地上放风筝，玩得满头大汗。\n![](5.jpg)\n临走前的全家福",
                 # a blog written in spaced phrases, no 。: a line under a picture is its text, not a caption
                 "一早出发 山路弯弯绕绕开了两个小时\n到了营地才发现 雨已经停了\n![](1.jpg)\n"
                 "营地旁边就是一片枫树林 红得正好\n大家忙着搭帐篷 孩子们跑去捡落叶\n晚上围着炉子煮火锅 聊到很晚")),
    Rule("footer", "成对或收尾的 标题:/地址: 页脚行，标题和网址先存入列。",
         hits=(f"{_P1}\n标题:[科技]会议召开\n地址:http://a.cn/1.html",),
         misses=(f"{_P1}\n標題：立會今日復會\n{_P2}\n標題：財案公布在即\n{_P1[::-1]}\n{_P2[::-1]}\n{_P1}。\n{_P2}。\n{_P1}！",
                 "标题党的危害在于误导读者。")),
    Rule("markdown", "转成纯文本时去掉的 markdown 记号（只计数，不进 removed）。",
         hits=("**重点**是*落实*责任。", "## 一、背景"),
         misses=("普通的一行字。", "3*4=12，这是乘法口诀。")),
    Rule("markdown_rule", "分隔线、链接定义和只有标签的行；单独一行的静态站短代码（{{< video … >}}）。",
         hits=(f"{_P1}\n---\n{_P2}", f"{_P1}\n[1]: http://a.cn/x.html", f"{_P1}\n<figure>\n{_P2}",
               f'{_P1}\n{{{{< video src="https://v.example.com/embed/1" >}}}}\n{_P2}'),  # a static site's embed
         misses=(f"{_P1}\n[注]:本文数据截至去年年底，此后的变化未计入。", f"{_P1}\n{{{{ message }}}}\n{_P2}")),
    Rule("image", "图片行。",
         hits=(f"{_P1}\n![会场](a.jpg)",),
         misses=(f"{_P1}\n详见[国务院公告](http://gov.cn/a)。",)),
    Rule("related", "相关阅读、推荐阅读一类标题和其下的列表；列表的条目长短一定、同一位置都有同一短行（连载中、阅读全文）时，"
         "整串条目连同其中成句的简介都删。",
         hits=(f"{_P1}\n{_P2}\n猜你喜欢\n" + "".join(f"连载中 116 章\n{t}\n{t}的故事从一个小镇开始，主人公在那里长大，后来去了远方。\n"
                                                  f"作者{k} 7 2\n" for k, t in enumerate(("山城往事", "江湖夜雨", "北方的河", "南方有嘉木")))
               + _P1[::-1],f"{_P1}\n{_P2}\n相关阅读：\n夏粮收购进度过半\n智慧农业走进田间", "【相关阅读】", "延伸閱讀：",
               f"{_P1}\n{_P2}\n热门帖子\n周末去哪儿钓鱼好\n老房子翻新要注意什么", f"{_P1}\n相关问题\n电饭煲哪个牌子好用",
               # the label over a closing list of links: ends like a label, no prose after the list
               f"{_P1}\n{_P2}\n**关注农村教育，还可以看**\n- [山村小学的最后一学期](https://a.cn/1)\n- [留守儿童的暑假](https://a.cn/2)",
               f"{_P1}\n{_P2}\n推荐产品 MORE+\n不锈钢真空保温杯\n家用智能电饭煲"),
         misses=("相关阅读材料显示，去年的降水偏多。", "相关问题我们下次再聊，今天先说到这里。",
                 f"{_P1}\n具体做法可以看：\n- [第一步](https://a.cn/1)\n- [第二步](https://a.cn/2)\n{_P2}",
                 # the same records with no list heading over them: an article may be built so (a reading list)
                 f"{_P1}\n{_P2}\n" + "".join(f"连载中\n{t}\n{t}的故事从一个小镇开始，主人公在那里长大，后来去了远方。\n"
                                             for t in ("山城往事", "江湖夜雨", "北方的河", "南方有嘉木")) + _P1[::-1])),
    Rule("comments", "评论区的开头和其后的读者评论；正文之后的评论数标题（41 comments:、12条评论）只在其下几行里有两条以上"
         "评论头（名字加时间、某某说：）时才算。",
         hits=(f"{_P1}\n网友评论仅供其表达个人看法\n说得好",
               f"{_P1}\n3条评论\n小林 2021-05-06 10:12\n写得真好，我家乡也是这样。\n回复\n老周 2021-05-06 11:40\n插秧的季节最忙了。\n回复",
               f"{_P1}\n12 comments:\nEve 5:31 PM\nLovely photos, thank you!\nReply\nSam 6:02 PM\nWhat a trip.\nReply"),
         misses=("评论员文章指出，改革要稳。",
                 # a count heading with no comment headers under it, and a forum's posts with no article above them
                 f"{_P1}\n3条评论\n读者的意见集中在三个方面。\n一是价格，二是交通，三是服务。",
                 "12条评论\n小林 2021-05-06 10:12\n写得真好，我家乡也是这样。\n老周 2021-05-06 11:40\n插秧的季节最忙了。")),
    Rule("link_list", "连续两行以上的链接或带说明的缩略图。",
         hits=(f"{_P1}\n- [第1篇文章的标题](http://a.cn/1.html)\n- [第2篇文章的标题](http://a.cn/2.html)",),
         misses=(f"{_P1}\n请看[这篇报道](http://a.cn/1.html)。",)),
    Rule("dated_list", "连续三行以上带日期或阅读、点赞数的标题；或三个以上标题各带日期、首尾相接连成的一行。",
         hits=(f"{_P1}\n夏粮收购过半 2021-06-01\n秋粮长势良好 2021-06-02\n春播顺利 2021-06-03",
               f"{_P1}\n最近文章 夏粮收购过半2021-06-01秋粮长势良好？2021-05-02春播顺利2021-04-03",
               f"{_P1}\n夏粮收购过半 农户忙 358人气\n秋粮长势良好 946赞\n春播顺利 阅读(1203)",
               f"{_P1}\n  - 国产芯片新品发布 2019-09-07 15:05 手机\n  - 嫦娥四号进入第九月夜 2019-09-06 20:51 科技前沿\n"
               "  - 台积电占半壁江山 2019-09-05 15:53 大公司"),
         misses=(f"{_P1}\n夏粮收购过半 2021-06-01\n{_P2}\n秋粮长势良好 2021-06-02",
                 f"{_P1}\n这篇文章发出后一天就有了3万阅读\n{_P2}\n评论区里也有200条评论",
                 f"{_P1}\n会议定于2019-09-07 15:05 开始\n{_P2}\n报名截止2019-09-06 20:51 为止",
                 f"{_P1}\n项目2019-01-05立项，2019-03-10开工，2019-12-30完工，比原计划提前两个月。")),
    Rule("teaser_list", "别的页面的标题、截断的摘要（……）和日期，成组重复四次以上；或两个以上【详细】之类的“阅读全文”链接各自之上的一两行。",
         hits=(f"{_P1}\n" + "\n".join(f"{h}\n{t}……\n2022-11-1{k}" for k, (h, t) in enumerate(
             (("夏粮收购过半", "今年夏粮收购进度过半，农户"), ("秋粮长势良好", "入秋以来雨水充足，秋粮"),
              ("春播顺利推进", "各地春播进展顺利，大部分"), ("冬小麦返青", "冬小麦陆续返青，田间管理")))),
               # teasers each closed by a "read more" link on its own line
               f"{_P1}\n{_P2}\n春耕时节访农家\n今年春天雨水偏多，村里的稻田提前插秧。\n【详细】\n"
               "老城区改造进展如何\n记者走访了三个街道，听居民讲改造后的变化。\n【详细】"),
         misses=(f"{_P1}\n" + "\n".join(f"2016年7月1{k}日\n{t}" for k, t in enumerate(
             ("立法会否决议案。", "市民上街游行。", "三名议员辞职……", "风波逐渐平息。"))),
                 f"{_P1}\n{_P2}\n展开全文\n{_P1[::-1]}\n{_P2[::-1]}",
                 f"{_P1}\n{_P2}\n查看更多\n查看更多\n查看更多")),  # a run of links under the body: no teasers  # one truncation mark: the body goes on
    Rule("nav_list", "连续五行以上的单词菜单。",
         hits=("- 推荐\n- 娱乐\n- 体育\n- 财经\n- 科技",),
         misses=("- 推荐\n- 娱乐\n- 体育",)),
    Rule("tail_list", "页尾四行以上像标题的短行：相关链接列表。",
         hits=(f"{_P1}\n江西凤凰沟鲜花盛开 市民踏春游玩\n航拍江西赣抚平原 一幅秀美春日田园画卷\n"
               "江西高速开展车辆救援技能比武大赛\n满眼绿意浓浓 航拍江西千亩茶园秀色如画",),
         misses=(f"{_P1}\n如下了决定我不嗟叹\n在最终回凯歌奏响\n明天的路还很长远\n我们一起向前走去",)),
    Rule("nav_line", "正文之外的一行菜单或面包屑：三项以上的短词，以空格、制表符、竖线或 > 隔开，不成句。",
         hits=(f"本地资讯 > 社会民生 > 正文\n{_P1}\n{_P2}", f"{_P1}\n{_P2}\n招生简章 | 师资力量 | 校园环境 | 入学申请",
               f"{_P1}\n{_P2}\n猫 · 理想国 · 台湾 · 巴厘岛"),
         misses=(f"{_P1}\n北京 上海 广州 深圳\n{_P2}", "他说：我们 明天 再来。", f"{_P1}\n北京 上海\n{_P2}")),
    Rule("head_block", "正文之前、页眉构件（面包屑、日期、署名）之上，三行以上不成句的短行：导航、栏目、登录；"
         "没有页眉构件时，只删五行以上的短菜单。",
         hits=(f"首页\n新闻中心\n本地资讯\n联系我们我们\n当前位置：首页 > 本地资讯\n{_P1}\n{_P2}",
               f"首页\n新闻\n体育\n财经\n科技\n{_P1}\n{_P2}", f"Home\nDeals\nFlights\nHolidays\nHotels\nCars\nLogin\n{_EN}"),
         misses=("Home\nShop\nRings\nNecklaces\nEarrings\nMaterial\nJapanese freshwater pearl, size 5mm\n"  # one notice, no article
                 "All handmade, chain length 85 cm\nChoosing a selection results in a full page refresh of this shop page.",
                 # Chinese with code quoted in it: its short lines are the post's
                 "我创建了一个测试类\n运行后报错\n然后改了配置\n再运行一次\n还是不行\n"
                 "Parameter 0 of constructor in TestController required a bean that could not be found.\n"
                 "Consider defining a bean of type TestRepo in your configuration before you run it again, or it fails.",
                 f"首页\n新闻中心\n本地资讯\n联系我们我们\n{_P1}\n{_P2}",
                 f"首页\n新闻中心\n当前位置：首页 > 本地资讯\n{_P1}\n{_P2}",
                 f"欢迎光临本站。\n请先登录后再评论。\n谢谢您的支持！\n当前位置：首页 > 本地资讯\n{_P1}\n{_P2}")),
    Rule("contact", "正文（有自己的成段文字）之前或之后的联系方式：电话、传真、邮箱、地址、QQ、联系人，只有标签的行和单独的号码；"
         "它们也标出页面框架，其外的菜单随之删去。段落之间的联系方式、整页只有联系方式的页面不动。",
         hits=(f"{_P1}\n{_P2}\n销售热线：0571-88886666\n传 真：0571-88886667\n地址：杭州市西湖区文三路100号",
               f"服务热线：400-800-1234\n{_P1}\n{_P2}", f"{_P1}\n{_P2}\n联系人：\n王经理\n电话：\n138 0013 8000"),
         misses=("联系我们\n杭州某某科技有限公司\n销售热线：0571-88886666\n地址：杭州市西湖区文三路100号\n邮箱：sales@example.com",
                 f"{_P1}\n报名电话：0571-88886666\n{_P2}{_P1}",
                 f"{_P1}\n{_P2}\n他打电话：我马上就到，你们先吃饭吧。")),
    Rule("form", "正文之外成串的表单栏（三栏以上）：您的姓名：、联系电话：、验证码：、提交。",
         hits=(f"{_P1}\n{_P2}\n在线留言\n您的姓名：\n您的单位：\n性别：\n男\n女\n详细地址：\n验证码：\n提交",),
         misses=(f"{_P1}\n主要特点：\n{_P2}\n适用范围：\n{_P1[::-1]}", "您的姓名：\n您的单位：\n验证码：\n提交")),
    Rule("count_list", "正文之外四行以上的带数目条目（分类、归档月份、消息箱：名称后括号里一个数），或挤在一行的四个以上：侧栏。"
         "正文里的统计列表不动。",
         hits=(f"{_P1}\n{_P2}\n文章分类\n到处吃 (1438)\n自己煮 (82)\n旅游 (353)\n家有宝贝 (193)",
               # the archive's months run together on one line
               f"{_P1}\n{_P2}\n文章彙整 2022 十二月 (2) 2022 十一月 (22) 2022 十月 (16) 2022 九月 (20) 2022 八月 (27)"),
         misses=(f"{_P1}{_P2}\n北京 (12)\n上海 (9)\n广州 (7)\n深圳 (5)\n{_P2}{_P1}",
                 f"{_P1}{_P2}\n北京 (12) 上海 (9) 广州 (7) 深圳 (5) 杭州 (3)\n{_P2}{_P1}")),
    Rule("tail_block", "正文之后、页尾构件（上一篇、相关文章、版权）之下，三行以上不成句的行：别处的标题、截断的摘要、联系方式；"
         "没有页尾构件时，只删四行以上像标题的行；英文页面正文与页尾构件之间五行以上的短菜单也删。"
         "正文里框架规则删掉的一大块列表（相关阅读、标签）之下不再算正文。",
         hits=(f"{_P1}\n{_P2}\n上一篇：春季养生小常识\n如何挑选一台好用的电饭煲\n老城区改造进展如何？记者走访了三个街道……\n"
               "联系电话：0571-88886666",
               f"{_P1}\n{_P2}\n沙漠化的原因是什么\n潮汕卤鹅最正宗的家常做法\n冬季进补吃什么\n如何挑选一台好用又省电的电饭煲\n欢迎留言交流。",
               # the rules took a tag line and a 相关阅读 list: the article ended above them, whatever ends in ？ below
               f"{_P1}{_P2}\n{_P2}{_P1}\n{_P1}\n标签：春耕 农家 插秧\n相关阅读\n夏粮收购进度过半\n智慧农业走进田间\n秋粮长势良好\n"
               "春播顺利\n冬小麦返青\n每日速讯：电脑太热怎么办？电脑容易发热的原因有哪些，散热不好的笔记本电脑到底应该怎么解决才好呢？\n"
               "网站软文怎么写 营销软文的写作技巧\n交换机怎么用 交换机接无线路由器设置教程\n雷柏v3有几个型号 雷柏v3型号推荐\n"
               "手机防盗功能有用么？手机防盗功能你开启了吗？怎样才能在设置里开启手机自带的防盗功能呢？\n"
               "小米3的屏幕尺寸是多少？小米3的手感如何？小米3值得买吗？看看使用过的网友们都是怎么说的？\n"
               "电视棒是真的吗 带你了解什么是电视棒\nCopyright © 2022 某某网 版权所有",
               # an English page's menus between its article and its footer
               f"{_EN}\nNewsroom\nMedia contact\nShare this release\nSocial media\nLatest news\nAbout us\nCopyright © 2022 Example Ltd."),
         misses=(f"{_P1}\n{_P2}\n如何挑选一台好用的电饭煲\n老城区改造进展如何？记者走访了三个街道……\n联系电话：0571-88886666",
                 f"{_P1}\n一、准备材料\n二、动手制作\n三、注意事项\n{_P2}\n上一篇：春季养生小常识")),
    Rule("repeat", "页内重复的行只留第一次；复述后文的导语也删，两行以上的引用框（>）一半以上在后文原样出现时整框删去（摘出的要点）。"
         "代码和命令行（无汉字、以 \\ ; { 等结尾或以 - 开头）不算重复。",
         hits=(f"{_P1}\n问\n{_P2}\n问\n{_P1}",
               f"> 记者走访了二十余家医院，汇总下来原因有三类。\n> 采购流程复杂，募捐更直接。\n{_P1}\n记者走访了二十余家医院，汇总下来原因有三类。\n{_P2}"),
         misses=(f"问\n{_P1}\n问\n{_P2}",
                 f"> 记者走访了二十余家医院，汇总下来原因有三类，各不相同。\n> 采购流程复杂。\n{_P1}\n他说记者走访了二十余家医院这件事很重要。\n{_P2}",
                 f"{_P1}\ndocker run -d --name web \\\n  -e TZ=Asia/Shanghai \\\n  nginx:1.25\n{_P2}\n"
                 "docker run -d --name api \\\n  -e TZ=Asia/Shanghai \\\n  api:2.0")),
    Rule("repost", "转载出处行：短行、开头有出处词、带一个链接（含删除线）；链接给网址，链接文字去掉媒体名给标题。",
         hits=(f"{_P1}\n出自 ~~[某某日报：春耕时节访农家](https://news.example.cn/a/1.html)~~，已消失",
               f"源自微信公号「某某」：[城中村的最后一个夏天](https://mp.example.com/s/abc)\n{_P1}",
               f"作者：某某\nMatters [链接](https://matters.example/@a/1)\n---\n{_P1}\n{_P2}"),
         misses=(f"他在文章里引用了[国务院公告](http://gov.cn/a)的原文，说明政策不会变。\n{_P1}",
                 f"{_P1}{_P2}\n{_P2}{_P1}\n[城中村的雨夜](https://m.example.com/n/1)\n{_P1}")),
    Rule("model", "学到的行模型：规则留下的行里，模型把握很大是模板的才删，removed 里带分数；散文句子从不归它删。",
         hits=(f"{_NAV_EN}\n{_P1}\n{_P2}\n{_NAV_EN}",),
         misses=(f"{_P1}\n{_P2}", f"第一章\n{_P1}\n第二章\n{_P2}")),
    Rule("edit_link", "wiki 标题行末尾的 [编辑] 链接（MediaWiki 存成纯文本时留下），只删尾巴。", kind="tail",
         hits=(f"历史沿革[编辑]\n{_P1}", f"{_P1}\n地理環境 [編輯]\n{_P2}", f"{_P1}\n参考资料[编辑源代码]"),
         misses=(f"{_P1}\n他把稿子交给了主任[编辑]。", f"{_P1}\n这一段由他写成。[编辑]")),
    Rule("closing_note", "页面最后三行里的作者简介（作者为…、作者系…）和声明（声明：…、特别声明）。",
         hits=(f"{_P1}\n{_P2}\n作者为资深媒体人，长期关注农村教育。", f"{_P1}\n特别声明\n本文仅供参考，不构成投资建议。",
               f"{_P1}\n声明：文中数据均来自公开资料，供读者参考。",
               f"{_P1}\n“特别声明：以上内容为某某号用户上传并发布，本平台仅提供信息存储服务。\nNotice: the content above is posted by a user.",
               f"{_P1}\n本文为政务机构在某某新闻上传并发布，仅代表该机构观点，不代表某某新闻的观点或立场",
               f"{_P1}\n{_P2}\n如果您喜欢小林的旅行笔记，欢迎到粉丝专页按个赞！\n内文不定期更新旅游信息，谢谢！"),
         misses=(f"{_P1}\n以上这些观点，仅代表了少数专家的看法，多数学者并不认同。",
                 f"作者为这本书准备了整整十年。\n{_P1}\n{_P2}\n{_P1[::-1]}\n{_P2[::-1]}",
                 f"{_P1}\n作者在书中回忆了童年的夏天，那时村口还有一棵老槐树。")),
    Rule("signoff", "页面最后三行里、其后再无成句的行的落款：署名、日期、记于/写于/完稿于某地，没有句读。只删这一行。",
         hits=(f"{_P1}\n{_P2}\n张小凯律师记于2018年7月23日", f"{_P1}\n{_P2}\n周远 2020年2月5日凌晨完稿于北京\n欢迎关注我的公众号",
               f"{_P1}\n{_P2}\n二〇一八年四月十九日写于广州"),
         misses=(f"2018年7月23日\n{_P1}\n{_P2}\n{_P1[::-1]}\n{_P2[::-1]}", f"{_P1}\n2018年，我们再也没有见过面。",
                 f"{_P1}\n{_P2}\n某某上市公司协会\n2015年7月3日\n- 相关：协会年会召开",  # a statement's own date
                 # a timeline's last entry: prose follows the date
                 f"{_P1}\n2016年7月13日\n第4天，议会继续辩论。\n2016年7月14日\n第5天，议会继续辩论。")),
    Rule("title_line", "没有给定标题的页面，首行形似标题（CommonCrawl 文本的首行就是网页标题）：存入标题列后删去。",
         hits=(f"春耕时节访农家_新闻中心_某某网\n{_P1}\n{_P2}",),
         misses=(f"{_P1}\n{_P2}", f"首页\n{_P1}")),
    Rule("headline_line", "标题已存入标题列时，正文第一段之上、与标题相同的那一行（两种字体一视同仁；标题加上“强调”一类动词也算）。",
         hits=(f"春耕时节访农家\n{_P1}\n{_P2}\n标题:春耕时节访农家\n地址:http://a.cn/1.html",
               f"# 春耕時節訪農家\n{_P1}\n{_P2}\n标题:春耕时节访农家\n地址:http://a.cn/1.html",
               f"全省春耕生产现场会强调\n{_P1}\n{_P2}\n标题:全省春耕生产现场会\n地址:http://a.cn/2.html"),
         misses=(f"{_P1}\n{_P2}\n春耕时节访农家\n{_P1[::-1]}\n标题:春耕时节访农家\n地址:http://a.cn/1.html",
                 "春耕时节访农家\n标题:春耕时节访农家\n地址:http://a.cn/1.html")),
    Rule("summary", "正文复述过的 本文摘要： 行。",
         hits=(f"本文摘要：娃娃菜两颗、香菇十朵、鸡蛋两个……\n{_P1}\n娃娃菜两颗、香菇十朵、鸡蛋两个，油盐少许。",),
         misses=(f"本文摘要：娃娃菜两颗、香菇十朵、鸡蛋两个……\n{_P1}\n{_P2}",)),
)
RULE_NAMES = frozenset(r.name for r in RULES)
# classify_line folds the line once; its rules need not fold it again.
LINE_RULES = tuple((r.name, getattr(r.test, "__wrapped__", r.test)) for r in RULES if r.test is not None)


# A line can only match a whole-line rule (spam aside: it has its own test of the whole page) if a
# keyword pattern hits it somewhere, an anchored pattern matches at its start, or it is a short
# share bar. Cheap tests in front of costly rules; keep them in step with the rules above.
# The clock test starts at the colon: a pattern that opens with a literal is scanned for far faster.
KEYWORDS = (FURNITURE, SHARE_STRONG, PHOTO_HINT, FORUM_HINT, re.compile(r":(?<=\d:)\d"))
# A news byline is short and holds one of these (is_news_byline stops at 40 characters).
BYLINE_HINT = re.compile(r"报导|报道|日电|电[)）]|讯[】\]）)]|发自|记者|实习生|撰稿人|通讯员|特派员")


def _any_of(*patterns: re.Pattern[str]) -> str:
    return "|".join(f"(?:{p.pattern})" for p in patterns)


LINE_START = re.compile(_any_of(
    FOOTER_TITLE, URL_LABEL, END_MARK, TIME_ONLY, READ_MORE, LABELLED_URL, NAV_START, FURNITURE_START, SOURCE_LINE, SOURCE_OPENING,
    CREDIT_LINE, CREDIT_BARE, CREDIT_PAIRS, CREDIT_PREFIXED, CREDIT_DESK, CREDIT_AFTER, DATELINE, PHOTO_CREDIT_START, FORUM_META, WIKI_META,
    REPLY_MENU,
) + "|[▲△]")
# Longer lines need fewer of them: the credit, dateline and short-furniture rules stop at 60 characters,
# NAV_START and the source rule at 120; END_MARK and TIME_ONLY have no gate. Half the lines are that long.
LINE_START_120 = re.compile(_any_of(END_MARK, TIME_ONLY, NAV_START, SOURCE_LINE, SOURCE_OPENING, LABELLED_URL,
                                    PHOTO_CREDIT_START))
LINE_START_LONG = re.compile(_any_of(END_MARK, TIME_ONLY))


def keyword_lines(lines: list[str], folded: bool = False, text: str | None = None) -> set[int]:
    """Indexes of the lines a keyword pattern hits, from one pass of each pattern over the page
    (``folded``: the lines are ``script.fold``-ed already; ``text``: ``"\\n".join(lines)`` when the caller has it).

    >>> sorted(keyword_lines(["第一段。", "版权所有，转载请注明出处", "分享到微信"]))
    [1, 2]
    """
    from transforms.script import fold

    if text is None:
        text = "\n".join(lines)
    if not folded:
        text = fold(text)
    hits: set[int] = set()
    pos = line = 0
    while m := KEYWORD_ANY.search(text, pos):  # one scan for them all: a line is hit where any pattern hits it
        line += text.count("\n", pos, m.start())  # hits are few: no table of line starts
        hits.add(line)
        pos = text.find("\n", m.start()) + 1  # one hit is enough: go on from the next line
        if not pos:
            break
        line += 1
    return hits


BULLET_MARKS = "-*+•·"
BULLET = re.compile(rf"^[{BULLET_MARKS}]\s+")


def may_match(s: str, i: int, hits: set[int]) -> bool:
    """Whether line ``i`` (stripped text ``s``) is worth the whole-line rules.

    >>> may_match("责任编辑：王小明", 0, set()), may_match("这个冬天格外漫长。", 0, set())
    (True, False)
    """
    if i in hits:
        return True
    return _may_start(s)


def _may_start(s: str) -> bool:
    """``may_match`` of a line no keyword pattern hit."""
    if s[:1] in BULLET_MARKS:
        s = BULLET.sub("", s)
    n = len(s)
    start = LINE_START if n <= 60 else LINE_START_120 if n <= 120 else LINE_START_LONG
    return start.match(s) is not None or (n <= 40 and (SHARE_ONLY.match(s) is not None
                                                       or BYLINE_HINT.search(s) is not None)) \
        or ((n >= MODEL_LIST_CHARS or ("," in s or "，" in s) and s[-1] not in "。！？!?") and _keyword_list_folded(s))


_may_start = per_line(_may_start, size=1 << 14)
_keyword_list_folded = is_keyword_list.__wrapped__  # may_match folded the line already


def classify_line(s: str, spam: bool = True, off: frozenset[str] = frozenset()) -> str | None:
    """The name of the first whole-line rule that matches the stripped line ``s``, else None.

    Rules named in ``off`` are skipped.

    >>> classify_line("责任编辑：王小明"), classify_line("分享到：微信 微博"), classify_line("这个冬天格外漫长。")
    ('credit', 'share', None)
    >>> classify_line("责任编辑：王小明", off=frozenset({"credit"}))
    """
    spam = spam and "spam" not in off
    if s[:1] in BULLET_MARKS:
        s = BULLET.sub("", s)  # "- 责任编辑：某某": a list bullet does not make a credit body
    if len(s) > 200:  # every rule but spam and keyword_list is gated well below this
        if spam and is_spam(s):
            return "spam"
        return "keyword_list" if "keyword_list" not in off and is_keyword_list(s) else None
    for name, rule in LINE_RULES:
        if (spam or name != "spam") and name not in off and rule(s):
            return name
    return None


# The step's rules read a folded view of each line (Traditional to Simplified, full-width letters to ASCII,
# ``script.fold``), so every pattern is folded the same way: ``聯絡我們`` and ``按讚`` keep matching.
def _fold_patterns(names: dict) -> None:
    from transforms.script import fold

    for name, value in list(names.items()):
        if name.startswith("__"):
            continue
        if isinstance(value, re.Pattern):
            names[name] = re.compile(fold(value.pattern), value.flags)
        elif isinstance(value, str) and name.isupper():
            names[name] = fold(value)
        elif isinstance(value, tuple) and value and all(isinstance(v, re.Pattern) for v in value):
            names[name] = tuple(re.compile(fold(v.pattern), v.flags) for v in value)  # KEYWORDS


_fold_patterns(globals())
# KEYWORDS folded, as one pattern with its alternatives gathered by first character: one scan of the page, not five.
KEYWORD_ANY = re.compile(by_first_char(*(p.pattern for p in KEYWORDS)))
SPAM_STRONG_RE = re.compile(by_first_char(SPAM_STRONG_RE.pattern))  # asked of every page
classify_line = _on_folded(classify_line)
may_match = _on_folded(may_match)
