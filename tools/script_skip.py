"""Check ``script.may_change`` on the dev corpus: every page and every line it says OpenCC cannot change must
come back from OpenCC unchanged, for each config given (default t2s and s2t).

    .venv/bin/python -m tools.script_skip [--config t2s --config s2t] [--pages N]
"""

from __future__ import annotations

import argparse
import json
import tarfile
from collections import Counter

from tools.bench import ARCHIVE, CORPUS
from transforms import script


def texts(pages: int):
    """Text of every page of the dev corpus (raw, as a reader would see its characters), then ``pages`` of the
    scale archive."""
    for path in sorted(CORPUS.rglob("*")):
        if path.is_dir() or path.suffix not in (".md", ".txt", ".jsonl", ".html", ".htm", ".json"):
            continue
        raw = path.read_bytes().decode("utf-8", "replace")
        if path.suffix == ".jsonl":
            for line in raw.splitlines():
                try:
                    rec = json.loads(line)
                except ValueError:
                    continue
                if isinstance(rec, dict):
                    yield from (v for v in rec.values() if isinstance(v, str))
        else:
            yield raw
    with tarfile.open(ARCHIVE, "r|xz") as tar:
        n = 0
        for m in tar:
            if n >= pages:
                break
            if m.isfile() and m.name.endswith(".md"):
                n += 1
                yield tar.extractfile(m).read().decode("utf-8", "replace")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--config", action="append")
    ap.add_argument("--pages", type=int, default=46662, help="pages of the scale archive (default: all)")
    args = ap.parse_args()
    configs = args.config or ["t2s", "s2t"]
    counts: Counter = Counter()
    for text in texts(args.pages):
        for unit, items in (("page", [text]), ("line", text.split("\n"))):
            for item in items:
                for config in configs:
                    skip = not script.may_change(item, config)
                    counts[(config, unit, "skipped" if skip else "converted")] += 1
                    if skip and script.converter(config).convert(item) != item:
                        counts[(config, unit, "WRONG")] += 1
                        print(f"WRONG: {config} changes {item[:80]!r}")
    for key, n in sorted(counts.items()):
        print(" ".join(key), n)
    if any(k[2] == "WRONG" for k in counts):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
