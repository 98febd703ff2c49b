"""The step registry: one ordered declaration that the recipe, schema and stages follow."""

import pyarrow as pa
import pytest

from flows.io.schema import DATA_SCHEMA, REJECTED_SCHEMA
from flows.recipe import default_recipe_yaml, load_line_model, load_recipe
from transforms.document import Document, StepStats
from transforms.steps import APPLY_STEPS, MAP_STEPS, STEP_ORDER, STEPS, signal_columns

PAGE = "  台灣的頭髮  \n\n\n今天，北京晴。最高气温二十五度，适合出游。\n责任编辑：王小明\n"


def test_every_declared_column_is_in_the_schema_with_its_type():
    for name, kind in signal_columns():
        for schema in (DATA_SCHEMA, REJECTED_SCHEMA):
            assert schema.field(name).type == pa.type_for_alias(kind)


def test_every_column_a_step_writes_is_declared():
    declared = {name for name, _ in signal_columns()}
    doc = Document(id="a", source="a", text=PAGE)
    for s in MAP_STEPS:
        s.apply(doc, s.config(), StepStats())
    for s in APPLY_STEPS:
        if s.corpus:
            s.apply(doc, s.config(), StepStats(), {"crossdoc": set(), "dedup": ("a", 1)}[s.name])
        else:
            s.apply(doc, s.config(), StepStats())
    assert set(doc.columns) - {"n_chars"} <= declared  # n_chars is a base column of every row


def test_steps_are_unique_and_document_steps_of_the_map_phase_come_first():
    assert len(set(STEP_ORDER)) == len(STEPS)
    assert MAP_STEPS + APPLY_STEPS == STEPS
    assert not any(s.corpus for s in MAP_STEPS) and APPLY_STEPS[0].corpus
    assert all(s.decide is not None for s in STEPS if s.corpus)


def test_the_printed_default_recipe_reads_back_as_the_default(tmp_path):
    p = tmp_path / "default.yaml"
    p.write_text(default_recipe_yaml(), encoding="utf-8")
    assert load_recipe(p).resolved() == load_recipe().resolved()
    assert list(load_recipe().steps) == list(STEP_ORDER) and all(load_recipe().enabled(n) for n in STEP_ORDER)


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.name)
def test_every_step_declares_its_rules_with_a_doc(step):
    assert step.rules and all(r.doc for r in step.rules)
    assert len({r.name for r in step.rules}) == len(step.rules)


@pytest.mark.parametrize("step, rule", [(s, r) for s in MAP_STEPS for r in s.rules if r.hits],
                         ids=lambda x: getattr(x, "name", ""))
def test_document_step_rules_count_their_examples(step, rule):
    model = {"model": True, "weights": load_line_model(), "disable": ["head_block", "tail_block"]}  # flows load it
    cfg = step.config(**{"ascii": {"target": "ascii"}, "s2t": {"config": "s2t"}, "model": model}.get(rule.name, {}))
    stats = StepStats()
    for hit in rule.hits:
        step.apply(Document(id="a", source="a", text=hit), cfg, stats)
    assert stats.rule_chars[rule.name] > 0
