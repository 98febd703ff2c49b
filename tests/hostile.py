"""A corpus of hostile inputs, built on the spot: what an adversarial user or a broken crawl leaves in a folder.

``write_hostile(root)`` writes small versions of every case, quick enough for the default suite;
run it with ``SMALL_OPTIONS``; ``heavy=True`` writes the full-size ones (a 100 MB record, a .zst expanding to 128 MB, an HTML page of
200k paragraphs, 300k identical records). Returns what the manifest should say of each input:
source -> the errored reason expected, or None for an input that must read fine.
"""

from __future__ import annotations

import io
import json
import os
import tarfile
from pathlib import Path

import zstandard

BODY = ("记者从市气象台了解到，今年第九号台风今晨在沿海登陆，登陆时中心附近最大风力十二级。\n"
        "受其影响，全市中小学停课一天，部分航班和列车停运，防汛部门已转移危险区域群众三千余人。\n"
        "气象台预计，台风将以每小时二十公里左右的速度向西北方向移动，强度逐渐减弱，沿海地区仍有大到暴雨。\n"
        "市防汛指挥部提醒市民尽量减少外出，远离广告牌、临时搭建物和低洼地带，注意收听最新预报。\n"
        "截至记者发稿时，全市已开放应急避难场所一百二十处，电力、供水和通信部门的抢修队伍全部在岗待命，"
        "各区街道干部分片包干，逐户排查老旧房屋和地下车库，确保群众生命财产安全。")
# Options the small corpus is run with, so each case meets its limit at a small size.
SMALL_OPTIONS = ["--max-record-mb", "2", "--max-html-mb", "32", "--doc-seconds", "1"]


def _line(obj: dict) -> bytes:
    return json.dumps(obj, ensure_ascii=False).encode("utf-8") + b"\n"


def write_hostile(root: Path, heavy: bool = False) -> dict[str, str | None]:
    root.mkdir(parents=True, exist_ok=True)
    expect: dict[str, str | None] = {}

    # A good file, so the run has something to keep.
    (root / "good.jsonl").write_bytes(b"".join(_line({"text": f"第{i}条消息。{BODY}", "url": f"https://a.cn/{i}"})
                                               for i in range(5)))
    expect["good.jsonl"] = None

    # Lone surrogates in title, url and a meta key, written as JSON escapes.
    (root / "surrogates.jsonl").write_bytes(
        b'{"text": ' + json.dumps(BODY + "\udc00").encode() + b', "title": "\\ud800\xe5\x8f\xb0\xe9\xa3\x8e", '
        b'"url": "https://a.cn/\\udfff", "\\udc80key": "\\udc80"}\n'
    )
    expect["surrogates.jsonl"] = None

    # Links: dangling, to a folder that holds it (a loop), to itself, to a file outside the input.
    os.symlink("nowhere.txt", root / "dangling.txt")
    expect["dangling.txt"] = "broken_link"
    os.symlink(".", root / "loop")
    expect["loop"] = "link_loop"
    os.symlink("self.txt", root / "self.txt")
    expect["self.txt"] = "link_loop"
    outside = root.parent / f"{root.name}-outside.txt"
    outside.write_text(BODY, encoding="utf-8")
    os.symlink(outside, root / "outside.txt")
    expect["outside.txt"] = "link_outside"
    os.symlink("good.jsonl", root / "alias.jsonl")  # inside the input: followed
    expect["alias.jsonl"] = None

    # A FIFO: opening it would block for ever.
    os.mkfifo(root / "pipe.txt")
    expect["pipe.txt"] = "not_a_file"

    # A file name that is not UTF-8.
    with open(os.path.join(os.fsencode(root), b"bad-\xff\xfe.txt"), "wb") as f:
        f.write(BODY.encode("utf-8"))
    expect["bad-\\xff\\xfe.txt"] = "bad_name"

    # A tar with a symlink and a hardlink member beside a real page.
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        data = BODY.encode("utf-8")
        info = tarfile.TarInfo("pages/a.txt")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
        for name, kind in (("pages/sym.txt", tarfile.SYMTYPE), ("pages/hard.txt", tarfile.LNKTYPE)):
            link = tarfile.TarInfo(name)
            link.type, link.linkname = kind, "pages/a.txt"
            tar.addfile(link)
    (root / "links.tar").write_bytes(buf.getvalue())
    expect["links.tar"] = "link_member"

    # A valid UTF-8 page with one NUL byte in it.
    (root / "nul.txt").write_bytes(BODY.encode("utf-8")[:30] + b"\x00" + BODY.encode("utf-8")[30:])
    expect["nul.txt"] = None

    # One huge record (over the record cap), between two good ones.
    big = 100 << 20 if heavy else 3 << 20
    with open(root / "big-record.jsonl", "wb") as f:
        f.write(_line({"text": BODY, "url": "https://a.cn/before"}))
        f.write(b'{"text": "' + ("台风" * (big // 6)).encode("utf-8") + b'"}\n')
        f.write(_line({"text": BODY + "后续报道。", "url": "https://a.cn/after"}))
    expect["big-record.jsonl"] = "too_large"

    # A small .zst that expands far (one record of 128 MB, or 6 MB).
    size = 128 << 20 if heavy else 6 << 20
    cctx = zstandard.ZstdCompressor(level=3)
    with open(root / "bomb.jsonl.zst", "wb") as f, cctx.stream_writer(f) as w:
        w.write(b'{"text": "')
        chunk = b"a" * (1 << 20)
        for _ in range(size >> 20):
            w.write(chunk)
        w.write(b'"}\n')
    expect["bomb.jsonl.zst"] = "too_large"

    # An HTML page of very many paragraphs.
    n = 200_000 if heavy else 60_000
    para = "<p>第{}段。" + BODY[:40] + "</p>\n"
    html = "<html><head><title>长页</title></head><body>" + "".join(para.format(i) for i in range(n)) + "</body></html>"
    (root / "long.html").write_text(html, encoding="utf-8")
    expect["long.html"] = "too_large" if heavy else "too_slow"

    # Very many identical records: dedup keeps one.
    n = 300_000 if heavy else 3_000
    line = _line({"text": "转发：" + BODY, "url": "https://b.cn/same"})
    with open(root / "same.jsonl", "wb") as f:
        for _ in range(n // 1000):
            f.write(line * 1000)
    expect["same.jsonl"] = None
    return expect
