"""Every public transforms function shows an example that runs (pytest --doctest-modules runs them)."""

import importlib
import inspect
import pkgutil
from functools import partial

import pytest

import transforms

PUBLIC = [
    (m.name, name, obj)
    for m in pkgutil.iter_modules(transforms.__path__)
    for name, obj in vars(importlib.import_module(f"transforms.{m.name}")).items()
    # a remembered rule (text.per_line) is a partial over its memory: the function it wraps is what counts
    if (inspect.isfunction(obj) or isinstance(obj, partial) and inspect.isfunction(inspect.unwrap(obj)))
    and not name.startswith("_")
    and getattr(obj, "__module__", None) == f"transforms.{m.name}"
]


@pytest.mark.parametrize("module, name, fn", PUBLIC, ids=[f"{m}.{n}" for m, n, _ in PUBLIC])
def test_public_function_has_a_doctest(module, name, fn):
    assert ">>>" in (fn.__doc__ or ""), f"transforms.{module}.{name} has no runnable example"
