"""dedup step: exact and near-duplicate pages, one representative kept per cluster.

Map: every page gets ``exact_key`` and ``band_keys`` (MinHash LSH over character 5-grams; Chinese has no spaces
to split words on). Reduce: pages sharing any key are candidates; ``assign_clusters`` joins them with
union-find and picks a representative. Apply: the others are rejected as ``duplicate`` of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import rensa
import xxhash
from pydantic import Field, model_validator

from transforms.text import canonical_form, codepoints, int64_key
from transforms.document import Document, Drop, Rule, StepConfig, StepStats


class Config(StepConfig):
    exact: bool = True
    near: bool = True
    # Character 5-grams, as FineWeb-2's MinhashConfig (n_grams=5; huggingface/fineweb-2 fineweb-2-pipeline.py).
    ngram: int = Field(5, ge=1)
    num_perm: int = Field(128, ge=1)
    # 12 bands of 10 rows: the LSH S-curve (1/12)**(1/10) = 0.78 sits just under the 0.8 target, so a pair with
    # Jaccard 0.9 shares a band with p = 0.994, at 0.8 with p = 0.74, at 0.6 with p = 0.07, at 0.5 with p = 0.01.
    # (FineWeb-2 uses 14 x 8, a 0.72 curve.) bands * rows may be less than num_perm.
    bands: int = Field(12, ge=1)
    rows: int = Field(10, ge=1)
    # Informational: the similarity bands and rows were chosen for. Change bands/rows to move it.
    threshold: float = Field(0.8, gt=0, le=1)
    seed: int = 1

    @model_validator(mode="after")
    def _bands_fit(self) -> "Config":
        if self.bands * self.rows > self.num_perm:
            raise ValueError(f"bands * rows = {self.bands * self.rows} exceeds num_perm = {self.num_perm}")
        return self


def canonical_text(text: str) -> str:
    """What exact dedup compares: NFKC, lower case, no whitespace or punctuation.

    >>> canonical_text("新华社北京10月5日电，\\n记者：张三。") == canonical_text("新华社北京10月5日电 记者:张三")
    True
    >>> canonical_text("新华社北京10月5日电 记者:张三")
    '新华社北京10月5日电记者张三'
    """
    return canonical_form(text)


def exact_key(text: str) -> int:
    """int64 key of the canonical text: pages that differ only in spacing or punctuation share it.

    >>> exact_key("今天，北京晴。") == exact_key("今天 北京晴"), exact_key("今天，北京晴。") == exact_key("今天上海晴")
    (True, False)
    """
    return int64_key(canonical_text(text))


_MUL = np.uint64(0x9E3779B97F4A7C15)


def _fmix64(h: np.ndarray) -> np.ndarray:
    # MurmurHash3's 64-bit finalizer: spreads the polynomial's bits so rensa can use them as token hashes.
    h ^= h >> np.uint64(33)
    h *= np.uint64(0xFF51AFD7ED558CCD)
    h ^= h >> np.uint64(33)
    h *= np.uint64(0xC4CEB9FE1A85EC53)
    h ^= h >> np.uint64(33)
    return h


def shingle_hashes(canonical: str, n: int) -> np.ndarray:
    """uint64 hash of every character n-gram; a text shorter than ``n`` is one shingle.

    ``shingle_hashes("北京天气晴朗", 5)`` has two values, for ``"北京天气晴"`` and ``"京天气晴朗"``. Done in numpy:
    slicing n-grams into Python strings runs at ~25 MB/s, this at ~300 MB/s.

    >>> len(shingle_hashes("北京天气晴朗", 5))
    2
    """
    cp = codepoints(canonical).astype(np.uint64)
    if len(cp) == 0:
        return cp
    count = max(len(cp) - n + 1, 1)
    h = cp[:count].copy()  # the polynomial's first step, 0 * _MUL + cp[0], in place from here on
    with np.errstate(over="ignore"):
        for k in range(1, min(n, len(cp))):
            h *= _MUL
            h += cp[k : k + count]
        return _fmix64(h)


def signature(text: str, cfg: Config) -> np.ndarray:
    """rensa R-MinHash signature (uint32 x num_perm) of the text's canonical character n-grams.

    Two copies of ``"北京今日晴，最高气温二十五度。"`` with different punctuation have equal signatures.

    >>> a, b = signature("北京今日晴，最高气温二十五度。", Config()), signature("北京今日晴 最高气温二十五度", Config())
    >>> len(a), bool((a == b).all())
    (128, True)
    """
    return _signature(canonical_text(text), cfg)


def _signature(canonical: str, cfg: Config) -> np.ndarray:
    hashes = shingle_hashes(canonical, cfg.ngram)
    if len(hashes) == 0:
        return np.zeros(0, np.uint32)
    rows = rensa.RMinHash.digest_matrix_from_flat_token_hashes(hashes, [0, len(hashes)], cfg.num_perm, cfg.seed)
    return np.asarray(rows.to_rows()[0], np.uint32)


def band_keys(text: str, cfg: Config) -> list[int]:
    """One int64 key per LSH band (the band index is the hash seed); near-duplicates share at least one.

    ``"北京今日晴……（600字）"`` and the same page with one character changed share most of their 12 keys;
    an unrelated page shares none. An empty page has no keys.

    >>> page = "北京今日晴，最高气温二十五度，市民纷纷外出踏青。" * 20
    >>> len(band_keys(page, Config())), band_keys("", Config())
    (12, [])
    >>> len(set(band_keys(page, Config())) & set(band_keys(page.replace("踏青", "郊游", 1), Config()))) > 0
    True
    """
    return _band_keys(canonical_text(text), cfg)


def _band_keys(canonical: str, cfg: Config) -> list[int]:
    sig = _signature(canonical, cfg)
    if len(sig) == 0:
        return []
    raw, width, hash64, half = sig.tobytes(), cfg.rows * sig.itemsize, xxhash.xxh3_64_intdigest, 1 << 63
    # Slicing the bytes once is cheaper than a numpy slice per band; the same bytes as int64_key hashes.
    # ``(h ^ 2**63) - 2**63`` is ``signed64(h)`` without a call.
    return [(hash64(raw[b * width : (b + 1) * width], b) ^ half) - half for b in range(cfg.bands)]


def page_keys(text: str, cfg: Config) -> tuple[int, list[int]]:
    """``(exact_key(text), band_keys(text, cfg))`` from one canonicalization, for the map phase.

    >>> page_keys("今天，北京晴。", Config())[0] == exact_key("今天 北京晴")
    True
    """
    canonical = canonical_text(text)
    return int64_key(canonical), _band_keys(canonical, cfg)


def assign_clusters(groups: Iterable[list[str]], sizes: Mapping[str, int]) -> dict[str, tuple[str, int]]:
    """Join pages that collided into clusters; map every page of a cluster of 2+ to (representative, size).

    The longest page represents the cluster, the smallest id breaks ties.

    >>> assign_clusters([["新闻a", "新闻b"], ["新闻b", "新闻c"]], {"新闻a": 500, "新闻b": 800, "新闻c": 500})
    {'新闻a': ('新闻b', 3), '新闻b': ('新闻b', 3), '新闻c': ('新闻b', 3)}
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        root = x
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[x] != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    for group in groups:
        ids = list(group)
        for other in ids[1:]:
            a, b = find(ids[0]), find(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
        if ids:
            find(ids[0])

    clusters: dict[str, list[str]] = {}
    for x in parent:
        clusters.setdefault(find(x), []).append(x)
    out: dict[str, tuple[str, int]] = {}
    for members in clusters.values():
        if len(members) < 2:
            continue
        rep = min(members, key=lambda i: (-sizes.get(i, 0), i))
        for m in members:
            out[m] = (rep, len(members))
    return out


RULES = (Rule("duplicate", "与另一页完全相同或近似重复（MinHash）的页面，每簇只留最长的一页。",
              ("今天，北京晴。",), ("今天上海晴。",)),)


def map_keys(doc: Document, cfg: Config, seen: set[int] | None = None) -> dict[str, list]:
    """The map phase's rows for this page, a column at a time: its exact key (kind 0) and one key per LSH band
    (kind 1…).

    A page of 600 characters gives 13 rows with the default config, 1 with ``near: false``. ``seen`` holds
    the exact keys of the shard so far: a copy of a page already seen joins its cluster by the exact key
    alone, since its band keys would only grow the reducer's groups (300k copies are 300k x bands rows).

    >>> len(map_keys(Document(id="a", source="a", text="北京今日晴，最高气温二十五度。" * 40), Config())["key"])
    13
    >>> map_keys(Document(id="a", source="a", text="北京今日晴。"), Config(near=False))["kind"]
    [0]
    """
    canonical = canonical_text(doc.text)
    exact = int64_key(canonical)
    repeat = cfg.exact and seen is not None and exact in seen
    if cfg.exact and seen is not None:
        seen.add(exact)
    # Its MinHash only when its band keys are kept: not for a copy already seen, nor with ``near: false``.
    bands = _band_keys(canonical, cfg) if cfg.near and not repeat else []
    kinds = ([0] if cfg.exact else []) + (list(range(1, len(bands) + 1)) if cfg.near else [])
    keys = ([exact] if cfg.exact else []) + (bands if cfg.near else [])
    return {"kind": kinds, "key": keys, "id": [doc.id] * len(keys), "n_chars": [len(doc.text)] * len(keys)}


def decide(groups: Iterable[list[str]], sizes: Mapping[str, int]) -> dict[str, tuple[str, int]]:
    """Pages that shared a key -> ``{id: (representative, cluster size)}``; see ``assign_clusters``.

    >>> decide([["新闻a", "新闻b"]], {"新闻a": 500, "新闻b": 800})
    {'新闻a': ('新闻b', 2), '新闻b': ('新闻b', 2)}
    """
    return assign_clusters(groups, sizes)


def apply(doc: Document, cfg: Config, stats: StepStats, decision: tuple[str, int]) -> Drop | None:
    """Keep the representative with its cluster size; drop the others as ``duplicate`` of it.

    With ``decision == ("新闻b", 3)`` page ``"新闻a"`` is dropped; ``"新闻b"`` gets ``cluster_size`` 3.

    >>> doc = Document(id="a", source="a", text="北京今日晴。")
    >>> apply(doc, Config(), StepStats(), ("新闻b", 3))
    Drop(reason='duplicate', value=None, step='', duplicate_of='新闻b')
    >>> doc = Document(id="a", source="a", text="北京今日晴。")
    >>> apply(doc, Config(), StepStats(), ("a", 3)) is None, doc.columns["cluster_size"]
    (True, 3)
    """
    rep, size = decision
    if rep != doc.id:
        return Drop("duplicate", duplicate_of=rep)
    doc.columns["cluster_size"] = size
    return None
