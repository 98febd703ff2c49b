"""The step registry: recipe names to their parameter models and functions."""

from __future__ import annotations

from transforms import boilerplate, crossdoc, dedup, punctuation, quality, script, unicode, whitespace

# Recipe order. crossdoc and dedup need the whole corpus, so the flow runs them between phases;
# every other step is a per-document function.
STEP_ORDER = ("unicode", "boilerplate", "crossdoc", "punctuation", "script", "whitespace", "quality", "dedup")
CONFIGS = {
    "unicode": unicode.Config,
    "boilerplate": boilerplate.Config,
    "crossdoc": crossdoc.Config,
    "punctuation": punctuation.Config,
    "script": script.Config,
    "whitespace": whitespace.Config,
    "quality": quality.Config,
    "dedup": dedup.Config,
}
PER_DOC = {
    "unicode": unicode.apply,
    "boilerplate": boilerplate.apply,
    "punctuation": punctuation.apply,
    "script": script.apply,
    "whitespace": whitespace.apply,
}
