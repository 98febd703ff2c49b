"""Blind gold labelling: show a page's lines as the reader yields them, and record which are body.

    python -m tools.label show FILE [-r RECORD] [-m MEMBER]
    python -m tools.label add GOLD.json FILE [-r RECORD] [-m MEMBER] --body 3,5,7-12 \\
        [--title T] [--url U] [--notes N] [--list-page]

FILE is relative to the dev corpus. A record is the 0-based index of a JSONL record as the reader yields
it; a member is a path inside a tar archive (``scale/hkcnews_dev.tar.xz``). Line numbers are 0-based.
A label stores line numbers, the source's sha256 and a short hash of each body line's canonical form
(so a label survives a change of HTML extraction), never the text itself.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tarfile
import tempfile
import unicodedata
from pathlib import Path

from flows.io import readers

ROOT = Path(__file__).resolve().parent.parent
CORPUS = next((p for p in (ROOT.parent / "shared" / "corpus-dev", ROOT.parent.parent / "shared" / "corpus-dev")
               if p.exists()), ROOT.parent / "shared" / "corpus-dev")


def canonical(line: str) -> str:
    """NFKC letters and digits only: what line hashes and scores compare."""
    return "".join(c for c in unicodedata.normalize("NFKC", line) if c.isalnum())


def line_hash(line: str) -> str:
    return hashlib.sha1(canonical(line).encode()).hexdigest()[:12]


def member_bytes(archive: Path, member: str) -> bytes:
    with tarfile.open(archive, "r:*") as tar:
        for info in tar:
            if info.name == member:
                return tar.extractfile(info).read()
    raise SystemExit(f"no member {member!r} in {archive}")


def source_bytes(file: str, member: str | None) -> bytes:
    path = CORPUS / file
    return member_bytes(path, member) if member else path.read_bytes()


def page(file: str, record: int | None = None, member: str | None = None) -> tuple[list[str], dict]:
    """The page's lines as the reader yields them, with its title and url."""
    if member:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / Path(member).name
            path.write_bytes(source_bytes(file, member))
            docs = list(readers.read_file(str(path), path.name))
    else:
        docs = list(readers.read_file(str(CORPUS / file), file))
    docs = [d for d in docs if not isinstance(d, readers.Errored)]
    d = docs[record or 0]
    return d.text.split("\n"), {"title": d.title, "url": d.url}


def parse_lines(spec: str) -> list[int]:
    out: set[int] = set()
    for part in filter(None, (p.strip() for p in spec.split(","))):
        a, _, b = part.partition("-")
        out.update(range(int(a), int(b or a) + 1))
    return sorted(out)


def add(args: argparse.Namespace) -> None:
    lines, _ = page(args.file, args.record, args.member)
    body = parse_lines(args.body or "")
    bad = [i for i in body if i >= len(lines) or not lines[i].strip()]
    if bad:
        raise SystemExit(f"body lines out of range or blank: {bad}")
    label = {
        "file": args.file, "record": args.record, "member": args.member,
        "sha256": hashlib.sha256(source_bytes(args.file, args.member)).hexdigest(),
        "n_lines": len(lines), "body": body, "body_hash": [line_hash(lines[i]) for i in body],
        "title": args.title or None, "url": args.url or None,
        "list_page": bool(args.list_page), "labeller": Path(args.gold).stem, "notes": args.notes or "",
    }
    gold = Path(args.gold)
    labels = json.loads(gold.read_text(encoding="utf-8")) if gold.exists() else []
    key = (label["file"], label["record"], label["member"])
    labels = [x for x in labels if (x["file"], x.get("record"), x.get("member")) != key] + [label]
    gold.write_text(json.dumps(labels, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(labels)} labels in {gold}; this page: {len(body)} body lines of {len(lines)}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tools.label")
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("show", "add"):
        p = sub.add_parser(name)
        if name == "add":
            p.add_argument("gold", help="the labels file to add to")
        p.add_argument("file", help="path relative to the dev corpus")
        p.add_argument("-r", "--record", type=int)
        p.add_argument("-m", "--member")
        if name == "add":
            p.add_argument("--body", default="", help="body line numbers: 3,5,7-12 (empty for none)")
            p.add_argument("--title")
            p.add_argument("--url")
            p.add_argument("--notes")
            p.add_argument("--list-page", action="store_true", help="a page with no body of its own")
    args = ap.parse_args(argv)
    if args.cmd == "add":
        add(args)
        return 0
    lines, meta = page(args.file, args.record, args.member)
    print(f"# reader title={meta['title']!r} url={meta['url']!r} lines={len(lines)}")
    for i, line in enumerate(lines):
        print(f"{i:4d} {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
