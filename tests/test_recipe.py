import pytest

from flows.recipe import RecipeError, load_recipe, parse_override, recipe_from_resolved
from transforms.steps import STEP_ORDER


def test_default_recipe_has_every_step_in_order():
    r = load_recipe()
    assert list(r.steps) == list(STEP_ORDER)
    assert all(r.enabled(n) for n in STEP_ORDER)


@pytest.mark.parametrize(
    "item, expected",
    [
        ("script.config=s2t", ("script", "config", "s2t")),
        ("quality.enabled=false", ("quality", "enabled", False)),
        ("crossdoc.min_pages=5", ("crossdoc", "min_pages", 5)),
        ("dedup.threshold=0.85", ("dedup", "threshold", 0.85)),
    ],
)
def test_parse_override(item, expected):
    assert parse_override(item) == expected


def test_set_disables_a_step():
    r = load_recipe(None, ["dedup.enabled=false"])
    assert not r.enabled("dedup") and r.enabled("quality")


@pytest.mark.parametrize(
    "item, message",
    [
        ("nosuch.x=1", "unknown step 'nosuch'"),
        ("quality", "expected step.param=value"),
        ("crossdoc.no_such_param=1", "crossdoc.no_such_param"),
        ("crossdoc.min_pages=many", "crossdoc.min_pages"),
    ],
)
def test_bad_override_is_a_clear_error(item, message):
    with pytest.raises(RecipeError, match=message):
        load_recipe(None, [item])


def test_recipe_file_errors(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("steps:\n  - step: unicode\n  - step: unicode\n", encoding="utf-8")
    with pytest.raises(RecipeError, match="appears twice"):
        load_recipe(bad)
    with pytest.raises(RecipeError, match="cannot read recipe"):
        load_recipe(tmp_path / "missing.yaml")


def test_steps_left_out_of_a_file_are_off(tmp_path):
    p = tmp_path / "r.yaml"
    p.write_text("steps:\n  - step: whitespace\n", encoding="utf-8")
    r = load_recipe(p)
    assert r.enabled("whitespace") and not r.enabled("unicode")


def test_resolved_round_trip_and_digest():
    r = load_recipe(None, ["crossdoc.min_pages=4"])
    again = recipe_from_resolved(r.resolved())
    assert again.resolved() == r.resolved() and again.digest() == r.digest()
    assert load_recipe().digest() != r.digest()


def _recipe(tmp_path, text):
    p = tmp_path / "r.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_unknown_top_level_keys_are_errors(tmp_path):
    with pytest.raises(RecipeError, match="unknown top-level key 'step'"):
        load_recipe(_recipe(tmp_path, "steps:\n  - step: unicode\nstep: dedup\n"))


def test_steps_listed_out_of_order_are_an_error(tmp_path):
    with pytest.raises(RecipeError, match="'punctuation' is listed after 'crossdoc'; steps run in this order"):
        load_recipe(_recipe(tmp_path, "steps:\n  - step: crossdoc\n  - step: punctuation\n"))


def test_set_on_a_step_left_out_is_an_error_unless_it_turns_the_step_on(tmp_path):
    p = _recipe(tmp_path, "steps:\n  - step: whitespace\n")
    with pytest.raises(RecipeError, match="step 'dedup' is not in the recipe"):
        load_recipe(p, ["dedup.near=false"])
    r = load_recipe(p, ["dedup.enabled=true", "dedup.near=false"])
    assert r.enabled("dedup") and not r.get("dedup").near


def test_boilerplate_rules_are_switched_off_by_name_and_checked():
    assert load_recipe(None, ["boilerplate.disable=[share, tail_list]"]).get("boilerplate").disable == ["share", "tail_list"]
    with pytest.raises(RecipeError, match="unknown rule sharing"):
        load_recipe(None, ["boilerplate.disable=[sharing]"])
