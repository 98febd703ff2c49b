"""Crossdoc for ``make eval``: each gold page is cleaned next to the pages a real run would read with it.

A real run removes lines repeated across a site's pages (subscribe blurbs, author bios, footers) in its
crossdoc step, which needs the other pages of the site. Here a gold page's context is every page of its
source as a user would have it on disk: the whole JSONL file, the pages of the same kind under the
source's folder (``html/gne``, ``markdown/terminus2049``…; not the benchmarks' ``expected`` files; the gold
pages and the first others in name order, up to ``MAX_PAGES``: 300 of appledaily_tw's 800 and of
terminus2049's 305), and
for the hkcnews tar the members of the folders that hold gold members (about 3,600 of its 46,662 pages,
so the site counts as a 3,600-page site, not a 46,662-page one). Each context page goes through the same
per-document steps as the gold pages, its site is ``crossdoc.site_of`` as in a run, the pages dedup would
drop (exact and near duplicates) do not count, and ``crossdoc.decide`` gives each site its repeated lines.
"""

from __future__ import annotations

import io
import posixpath
import tarfile
from collections import Counter, defaultdict
from pathlib import Path

from flows.io import readers
from transforms import crossdoc, dedup

KINDS = (".html", ".htm", ".md", ".txt")
# Pages of a folder source read as context, gold pages included: HTML extraction is the slow part of make eval.
MAX_PAGES = 300


def _docs_of_file(corpus: Path, rel: str):
    """(key, Document) of every record of one file; keys as ``tools.evaluate.key_of`` makes them."""
    multi = rel.endswith((".jsonl", ".json", ".jsonl.gz", ".jsonl.zst"))
    docs = [d for d in readers.read_file(str(corpus / rel), rel) if not isinstance(d, readers.Errored)]
    for r, d in enumerate(docs):
        yield (rel, r if multi else None, None), d


def _docs_of_tar(corpus: Path, rel: str, members: set[str]):
    """(key, Document) of the members in the folders that hold ``members``; stops after those folders."""
    folders = {posixpath.dirname(m) for m in members}
    seen: set[str] = set()
    with tarfile.open(corpus / rel, "r:*") as tar:
        for info in tar:
            folder = posixpath.dirname(info.name)
            if folder not in folders:
                if seen == folders:
                    return
                continue
            seen.add(folder)
            if not info.isfile():
                continue
            name = info.name
            docs = readers._read_stream(io.BytesIO(tar.extractfile(info).read()), name, f"{rel}/{name}",
                                        readers.ReadOptions())
            docs = [d for d in docs if not isinstance(d, readers.Errored)]
            if docs:
                yield (rel, None, name), docs[0]


def context_docs(corpus: Path, source: str, labels: list[dict]):
    """(key, Document) of every page a run over this source would read along with its gold pages."""
    members: dict[str, set[str]] = defaultdict(set)
    files = set()
    for lab in labels:
        if lab.get("member"):
            members[lab["file"]].add(lab["member"])
        else:
            files.add(lab["file"])
    for rel, names in sorted(members.items()):
        yield from _docs_of_tar(corpus, rel, names)
    pages = {f for f in files if f.endswith(KINDS)}
    for rel in sorted(files - pages):  # JSONL and other multi-record files: the whole file
        yield from _docs_of_file(corpus, rel)
    if pages:
        kinds = {Path(f).suffix for f in pages}
        root = corpus / source
        found = sorted(str(p.relative_to(corpus)) for p in root.rglob("*")
                       if p.suffix in kinds and p.is_file() and not p.name.startswith("expected"))
        others = [f for f in found if f not in pages][: max(0, MAX_PAGES - len(pages))]
        for rel in sorted(pages | set(others)):
            yield from _docs_of_file(corpus, rel)


def repeated_lines(corpus: Path, labels: list[dict], source_of, key_of, steps, cfg: crossdoc.Config,
                   dedup_cfg: dedup.Config, read: dict | None = None) -> dict[tuple, frozenset[int]]:
    """Crossdoc's decision for each gold page (by ``key_of``): the keys of its site's repeated lines.

    ``steps`` are the per-document steps (name, apply, config) the gold pages go through. As in a run, the
    pages dedup drops (exact and near duplicates) do not count. ``read`` (``tools.evaluate.Pages.cache``)
    gets each gold page as read, so it is extracted once.
    """
    from transforms.pipeline import run_steps

    by_source: dict[str, list[dict]] = defaultdict(list)
    for lab in labels:
        by_source[source_of(lab)].append(lab)
    wanted = {key_of(lab) for lab in labels}
    site_of_gold: dict[tuple, str] = {}
    pages: list[tuple[str, dict[int, str]]] = []  # (site, line keys) of every context page, by id
    groups: dict[tuple, list[str]] = defaultdict(list)
    sizes: dict[str, int] = {}
    seen: set[int] = set()
    for source, labs in sorted(by_source.items()):
        for key, doc in context_docs(corpus, source, labs):
            if read is not None and key in wanted:
                read.setdefault(key, (doc.text, {"title": doc.title, "url": doc.url, "meta": dict(doc.meta)}))
            if run_steps(doc, steps, {}) is not None:
                continue
            site = crossdoc.site_of(doc.url, doc.source)
            if key in wanted:
                site_of_gold[key] = site
            doc.id = str(len(pages))
            pages.append((site, {**crossdoc.line_keys(doc.text, cfg), **crossdoc.title_keys(doc.title)}))
            sizes[doc.id] = len(doc.text)
            cols = dedup.map_keys(doc, dedup_cfg, seen)
            for kind, key in zip(cols["kind"], cols["key"]):
                groups[(kind, key)].append(doc.id)
    clusters = dedup.decide([ids for ids in groups.values() if len(ids) > 1], sizes)
    counts: Counter = Counter()
    first_text: dict[tuple[str, int], str] = {}
    site_pages: Counter = Counter(site for site, _ in pages)  # a run counts every page it read
    for n, (site, keys) in enumerate(pages):
        if clusters.get(str(n), (str(n),))[0] != str(n):
            continue  # a duplicate dedup drops: its lines do not count
        for k, text in keys.items():
            counts[(site, k)] += 1
            first_text.setdefault((site, k), text)
    rows = crossdoc.decide([(s, k, n, first_text[(s, k)]) for (s, k), n in counts.items() if n >= cfg.min_pages],
                           site_pages, cfg)
    by_site: dict[str, set[int]] = defaultdict(set)
    for site, k, _, _ in rows:
        by_site[site].add(k)
    return {key: frozenset(by_site.get(site, ())) for key, site in site_of_gold.items()}
