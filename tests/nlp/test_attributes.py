"""The model's attribute rules applied by lookup give what its AttributeRuler gives, token for token."""

from __future__ import annotations

import pytest
import spacy

from pipeline.nlp.attributes import AttributeLookup
from pipeline.nlp.build import SPACY_MODEL, build_pipeline
from pipeline.nlp.extract import paragraphs
from tests.conftest import CORPUS, SEED

# Sentences that reach the rules of two tokens and those that test the parse (expletive "there",
# "ain't", "y'all", a space token, "got"/"gets").
EDGE_CASES = ["There is a cat and there were dogs.", "He ain't here, y'all.", "Two  spaces\n\nand a gap .",
              "She gets it; he got it.", "That is what which firm did."]


def _annotations(doc) -> list[tuple]:
    return [(t.pos_, t.tag_, str(t.morph), t.lemma_, t.dep_, t.head.i) for t in doc]


@pytest.fixture(scope="module")
def model_and_lookup():
    model = spacy.load(SPACY_MODEL, exclude=["ner", "senter"])
    lookup = AttributeLookup(model, "lookup")
    lookup.add_patterns(model.get_pipe("attribute_ruler").patterns)
    return model, lookup


@pytest.mark.parametrize("folder", [SEED, CORPUS / "open" / "bbc"])
def test_lookup_equals_the_attribute_ruler(model_and_lookup, folder):
    model, lookup = model_and_lookup
    texts = [p.text for f in sorted(folder.rglob("*.txt"))[:40] for p in paragraphs(f.read_text("utf-8"))]
    with model.select_pipes(enable=["tok2vec", "tagger", "parser"]):
        parsed = list(model.pipe([*texts, *EDGE_CASES]))
    ruler = model.get_pipe("attribute_ruler")
    for doc in parsed:
        assert _annotations(lookup(doc.copy())) == _annotations(ruler(doc.copy())), doc.text


@pytest.mark.parametrize("pattern", [[{"TAG": "NN", "OP": "?"}], [{"LIKE_NUM": True}]])
def test_a_rule_the_lookup_cannot_apply_is_refused(model_and_lookup, pattern):
    model, _ = model_and_lookup
    with pytest.raises(ValueError, match="does not support"):
        AttributeLookup(model, "x").add_patterns([{"patterns": [pattern], "attrs": {"POS": "X"}}])


@pytest.mark.parametrize("component", ["newsfacts_attributes"])
def test_the_pipeline_applies_the_rules_by_lookup(component):
    nlp = build_pipeline()
    assert nlp.get_pipe_meta("attribute_ruler").factory == component
    assert [t.pos_ for t in nlp("Mistral AI raised $2 billion.")][:3] == ["PROPN", "PROPN", "VERB"]
