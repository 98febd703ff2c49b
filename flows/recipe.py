"""Recipes: an ordered list of named steps with parameters, from YAML plus ``--set`` overrides."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from transforms.document import StepConfig
from transforms.steps import CONFIGS, STEP_ORDER

DEFAULT_RECIPE = Path(__file__).resolve().parent.parent / "data" / "recipes" / "default.yaml"


class RecipeError(ValueError):
    """A recipe or override that cannot be used; the message says which key and why."""


class Recipe(BaseModel):
    steps: dict[str, StepConfig]

    def get(self, name: str) -> StepConfig:
        return self.steps[name]

    def enabled(self, name: str) -> bool:
        return name in self.steps and self.steps[name].enabled

    def resolved(self) -> dict[str, Any]:
        """Every step with every parameter, defaults included: what the manifest records."""
        return {"steps": [{"step": n, **self.steps[n].model_dump(mode="json")} for n in self.steps]}

    def digest(self) -> str:
        blob = json.dumps(self.resolved(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


def parse_override(item: str) -> tuple[str, str, Any]:
    """``"script.config=s2t"`` -> ``("script", "config", "s2t")``; values are YAML scalars."""
    key, sep, raw = item.partition("=")
    step, dot, param = key.strip().partition(".")
    if not sep or not dot or not step or not param:
        raise RecipeError(f"--set {item!r}: expected step.param=value")
    return step, param, yaml.safe_load(raw) if raw.strip() else ""


def _raw_steps(data: Any, origin: str) -> dict[str, dict[str, Any]]:
    if not isinstance(data, dict) or not isinstance(data.get("steps"), list):
        raise RecipeError(f"{origin}: a recipe is a mapping with a 'steps' list")
    out: dict[str, dict[str, Any]] = {}
    for i, entry in enumerate(data["steps"]):
        if not isinstance(entry, dict) or "step" not in entry:
            raise RecipeError(f"{origin}: steps[{i}] needs a 'step' name")
        params = dict(entry)
        name = params.pop("step")
        if name not in CONFIGS:
            raise RecipeError(f"{origin}: unknown step {name!r}; known: {', '.join(STEP_ORDER)}")
        if name in out:
            raise RecipeError(f"{origin}: step {name!r} appears twice")
        out[name] = params
    return out


def load_recipe(path: str | Path | None = None, overrides: list[str] | tuple[str, ...] = ()) -> Recipe:
    """Read a recipe (the default when ``path`` is None), apply overrides, validate every step."""
    path = Path(path) if path else DEFAULT_RECIPE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise RecipeError(f"cannot read recipe {path}: {e.strerror}") from e
    except yaml.YAMLError as e:
        raise RecipeError(f"{path}: not valid YAML: {e}") from e
    raw = _raw_steps(data, str(path))
    for item in overrides:
        step, param, value = parse_override(item)
        if step not in CONFIGS:
            raise RecipeError(f"--set {item!r}: unknown step {step!r}; known: {', '.join(STEP_ORDER)}")
        raw.setdefault(step, {})[param] = value
    steps: dict[str, StepConfig] = {}
    for name in STEP_ORDER:  # the order is the product's, whatever order the file lists
        if name not in raw:
            steps[name] = CONFIGS[name](enabled=False)
            continue
        try:
            steps[name] = CONFIGS[name](**raw[name])
        except ValidationError as e:
            msgs = "; ".join(f"{name}.{'.'.join(map(str, err['loc']))}: {err['msg']}" for err in e.errors())
            raise RecipeError(f"invalid recipe: {msgs}") from None
    return Recipe(steps=steps)


def recipe_from_resolved(resolved: dict[str, Any]) -> Recipe:
    """Rebuild a recipe from ``Recipe.resolved()``, e.g. inside a worker process."""
    steps = {}
    for entry in resolved["steps"]:
        params = dict(entry)
        name = params.pop("step")
        steps[name] = CONFIGS[name](**params)
    return Recipe(steps=steps)
