"""Recipes: the steps a run uses, with parameters, from YAML plus ``--set`` overrides.

Steps run in the registry's order (``transforms.steps.STEPS``); a recipe lists them in that order, and a step
it leaves out is off. Without a recipe file every step runs with its defaults.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from transforms.document import StepConfig
from transforms.steps import CONFIGS, STEP_ORDER

TOP_LEVEL = ("steps",)


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


def default_recipe_data() -> dict[str, Any]:
    """The default recipe: every step, in order, with its defaults (``qingxi recipe`` prints it in full)."""
    return {"steps": [{"step": name} for name in STEP_ORDER]}


def default_recipe_yaml() -> str:
    """The default recipe with every parameter written out: a template to edit into your own."""
    steps = [{k: v for k, v in s.items() if k != "enabled"} for s in load_recipe().resolved()["steps"]]
    return ("# The default qingxi recipe: every step in the order it runs, every parameter at its default.\n"
            "# Leave a step out to turn it off; `qingxi rules` lists the rule names boilerplate's `disable` takes.\n"
            + yaml.safe_dump({"steps": steps}, sort_keys=False, allow_unicode=True))


def _raw_steps(data: Any, origin: str) -> dict[str, dict[str, Any]]:
    if not isinstance(data, dict) or not isinstance(data.get("steps"), list):
        raise RecipeError(f"{origin}: a recipe is a mapping with a 'steps' list")
    unknown = sorted(set(map(str, data)) - set(TOP_LEVEL))
    if unknown:
        raise RecipeError(f"{origin}: unknown top-level key {', '.join(map(repr, unknown))}; a recipe has only 'steps'")
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
        if out and STEP_ORDER.index(name) < STEP_ORDER.index(list(out)[-1]):
            raise RecipeError(f"{origin}: step {name!r} is listed after {list(out)[-1]!r}; "
                              f"steps run in this order: {', '.join(STEP_ORDER)}")
        out[name] = params
    return out


def load_recipe(path: str | Path | None = None, overrides: list[str] | tuple[str, ...] = ()) -> Recipe:
    """Read a recipe (the default when ``path`` is None), apply overrides, validate every step.

    ``--set`` on a step the recipe leaves out is an error, unless the overrides also say ``step.enabled=true``.
    """
    if path is None:
        data, origin = default_recipe_data(), "default recipe"
    else:
        path = Path(path)
        origin = str(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except OSError as e:
            raise RecipeError(f"cannot read recipe {path}: {e.strerror}") from e
        except yaml.YAMLError as e:
            raise RecipeError(f"{path}: not valid YAML: {e}") from e
    raw = _raw_steps(data, origin)
    parsed = [(item, *parse_override(item)) for item in overrides]
    turned_on = {step for _, step, param, value in parsed if param == "enabled" and value is True}
    for item, step, param, value in parsed:
        if step not in CONFIGS:
            raise RecipeError(f"--set {item!r}: unknown step {step!r}; known: {', '.join(STEP_ORDER)}")
        if step not in raw and step not in turned_on:
            raise RecipeError(f"--set {item!r}: step {step!r} is not in the recipe (so it is off); "
                              f"add it, or --set {step}.enabled=true")
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
    return with_models(Recipe(steps=steps))


@cache
def load_line_model(path: str | None = None) -> dict:
    """The boilerplate step's line model: the file at ``path``, or the one shipped in the package
    (``transforms/data/line_model.json``)."""
    if not path:
        return json.loads(resources.files("transforms").joinpath("data/line_model.json").read_text(encoding="utf-8"))
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise RecipeError(f"boilerplate.model_path: cannot read a line model from {path}: {e}") from None


def with_models(recipe: Recipe) -> Recipe:
    """Give the boilerplate step its line model when the recipe turns it on (transforms read no files)."""
    cfg = recipe.steps.get("boilerplate")
    if cfg is not None and getattr(cfg, "model", False) and getattr(cfg, "weights", None) is None:
        recipe.steps["boilerplate"] = cfg.model_copy(update={"weights": load_line_model(cfg.model_path)})
    return recipe


def recipe_from_resolved(resolved: dict[str, Any]) -> Recipe:
    """Rebuild a recipe from ``Recipe.resolved()``, e.g. inside a worker process."""
    steps = {}
    for entry in resolved["steps"]:
        params = dict(entry)
        name = params.pop("step")
        steps[name] = CONFIGS[name](**params)
    return with_models(Recipe(steps=steps))
