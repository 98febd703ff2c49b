"""whitespace step: trim lines, drop blank lines, keep every other line a line.

Paragraphs are separated by a single ``\\n``: a run of blank lines collapses to one paragraph
break, which is the same ``\\n`` as a line break. Chinese prose marks paragraphs by line, not by an
empty line, and most scraped pages use blank lines at random, so a blank line carries no reliable
meaning; the cost is that a poem's stanza break becomes a plain line break. Lines themselves are
kept, so list items and poetry lines stay one per line.

Leading U+3000 is the unicode step's business (``indent_space``), so trimming leaves it alone;
trailing U+3000 goes. An empty document is kept here; the quality step drops it.
"""

from __future__ import annotations

from transforms.document import Document, Drop, Rule, StepConfig, StepStats
from transforms.text import SPACES

# str.strip with these sets is much faster than a multi-line regex.
_TRAILING = SPACES + "\u3000"


class Config(StepConfig):
    pass


def trim_lines(text: str) -> str:
    """Strip spaces at both ends of each line (a leading U+3000 indent stays).

    >>> trim_lines("  第一行。  \\n\\t第二行。")
    '第一行。\\n第二行。'
    """
    return "\n".join([line.lstrip(SPACES).rstrip(_TRAILING) for line in text.split("\n")])


def collapse_blank_lines(text: str) -> str:
    """Blank-line runs become one ``\\n``; blank lines at both ends go.

    >>> collapse_blank_lines("\\n\\n床前明月光，\\n\\n\\n疑是地上霜。\\n")
    '床前明月光，\\n疑是地上霜。'
    """
    if "\n\n" not in text:
        return text.strip("\n")
    return "\n".join([line for line in text.split("\n") if line])


RULES = (
    Rule("trim_lines", "去掉每行首尾的空格（段首全角缩进保留）。", ("  第一行。  \n\t第二行。",), ("第一行。\n第二行。",),
         kind="line"),
    Rule("blank_lines", "删除空行。", ("\n\n床前明月光，\n\n\n疑是地上霜。\n",), ("床前明月光，\n疑是地上霜。",)),
)


def apply(doc: Document, cfg: Config, stats: StepStats) -> Drop | None:
    """Tidy whitespace: trim every line, then drop blank lines.

    >>> doc = Document(id="a", source="a", text=" 标题 \\n\\n\\n正文。 ")
    >>> apply(doc, Config(), StepStats())
    >>> doc.text
    '标题\\n正文。'
    """
    text = doc.text
    for rule, fn in (("trim_lines", trim_lines), ("blank_lines", collapse_blank_lines)):
        fixed = fn(text)
        if fixed != text:
            stats.count(rule, len(text) - len(fixed), max(1, text.count("\n") - fixed.count("\n")))
        text = fixed
    doc.text = text
    return None
