"""The English model's attribute rules (tag -> POS and morphology, lemma exceptions) applied by lookup.

The model's `attribute_ruler` runs a Matcher of ~180 rules over every token, which costs as much as its
tagger and parser heads together; every rule is one or two tokens with fixed attributes, so the rules
that can fire on a token are found by its tag and lower-case form, and the attributes a token gets
(later rules overriding earlier ones, as the AttributeRuler applies them) are merged once per set of
rules. The result is the AttributeRuler's, token for token (tests/nlp/test_attributes.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.attrs import LOWER, TAG
from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.tokens._retokenize import normalize_token_attrs, set_token_attrs

# The token attributes the rules of the pinned model test, and how a Token gives each.
_TESTED = {"TAG": "tag_", "LOWER": "lower_", "DEP": "dep_", "IS_SPACE": "is_space", "ORTH": "orth_",
           "POS": "pos_"}


@dataclass(frozen=True, slots=True)
class _Check:
    """One token attribute of a pattern token: equal to a value, in a set, not in a set, or matching a regex."""

    attribute: str
    allowed: frozenset | None = None
    denied: frozenset | None = None
    regex: re.Pattern | None = None

    def holds(self, token: Token) -> bool:
        return self.holds_for(getattr(token, self.attribute))

    def holds_for(self, value) -> bool:
        return (self.allowed is None or value in self.allowed) and (self.denied is None or value not in self.denied) \
            and (self.regex is None or self.regex.search(value) is not None)


# Attributes of a token that its tag and lower-case form decide (spaCy's IS_SPACE is str.isspace of the
# text): tested once per (tag, word) pair.
_BY_WORD = frozenset({"tag_", "lower_", "is_space"})


@dataclass(frozen=True, slots=True)
class _Pattern:
    rule: int  # the rule's position: later rules override earlier ones
    target: int  # the pattern token the rule's attributes go to
    tokens: tuple[tuple[_Check, ...], ...]

    @property
    def word_only(self) -> bool:
        """Whether the target token's tag and word are all the pattern tests."""
        return len(self.tokens) == 1 and all(c.attribute in _BY_WORD for c in self.tokens[0])

    def holds_for_word(self, tag: str, lower: str) -> bool:
        values = {"tag_": tag, "lower_": lower, "is_space": lower.isspace()}
        return all(c.holds_for(values[c.attribute]) for c in self.tokens[self.target] if c.attribute in _BY_WORD)

    def holds_at(self, doc: Doc, i: int) -> bool:
        """The rest of the pattern, with its target token at doc[i] (whose tag and word already hold)."""
        start = i - self.target
        if start < 0 or start + len(self.tokens) > len(doc):
            return False
        return all(check.holds(doc[start + k]) for k, checks in enumerate(self.tokens) for check in checks
                   if k != self.target or check.attribute not in _BY_WORD)


def _check(key: str, value) -> _Check:
    if key not in _TESTED:
        raise ValueError(f"attribute rule tests {key}, which the lookup does not support")
    if isinstance(value, dict):
        if set(value) - {"IN", "NOT_IN", "REGEX"}:
            raise ValueError(f"attribute rule uses {sorted(value)} on {key}, which the lookup does not support")
        return _Check(_TESTED[key], frozenset(value["IN"]) if "IN" in value else None,
                      frozenset(value["NOT_IN"]) if "NOT_IN" in value else None,
                      re.compile(value["REGEX"]) if "REGEX" in value else None)
    return _Check(_TESTED[key], frozenset([value]))


@Language.factory("newsfacts_attributes")
class AttributeLookup:
    """A drop-in for the AttributeRuler holding the same patterns (`add_patterns`), found by lookup."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.vocab = nlp.vocab
        self.attrs: list[dict] = []
        self.by_tag: dict[str, list[_Pattern]] = {}
        self.by_lower: dict[str, list[_Pattern]] = {}
        self.anywhere: list[_Pattern] = []  # patterns whose target token names neither tag nor word

    def add_patterns(self, patterns: list[dict]) -> None:
        for entry in patterns:
            rule = len(self.attrs)
            self.attrs.append(normalize_token_attrs(self.vocab, entry["attrs"]))
            for pattern in entry["patterns"]:
                for spec in pattern:
                    if set(spec) & {"OP", "_"}:
                        raise ValueError(f"attribute rule {pattern} has an operator the lookup does not support")
                tokens = tuple(tuple(_check(k, v) for k, v in spec.items()) for spec in pattern)
                compiled = _Pattern(rule, entry.get("index", 0) % len(pattern), tokens)
                target = dict(zip((c.attribute for c in tokens[compiled.target]), tokens[compiled.target], strict=True))
                if "tag_" in target and target["tag_"].allowed is not None:
                    for tag in target["tag_"].allowed:
                        self.by_tag.setdefault(tag, []).append(compiled)
                elif "lower_" in target and target["lower_"].allowed is not None:
                    for word in target["lower_"].allowed:
                        self.by_lower.setdefault(word, []).append(compiled)
                else:
                    self.anywhere.append(compiled)
        self._plan.cache_clear()
        self._merged.cache_clear()

    @lru_cache(maxsize=65536)  # noqa: B019  (one lookup per pipeline, alive as long as the pipeline)
    def _plan(self, tag: str, lower: str) -> tuple[tuple[int, ...], tuple[_Pattern, ...]]:
        """For a token of this tag and word: the rules that fire whatever its neighbours and parse, or, when
        some rule also tests those, every pattern to test (in rule order) and no rules fixed in advance."""
        found = {id(p): p for p in (*self.by_tag.get(tag, ()), *self.by_lower.get(lower, ()), *self.anywhere)}
        patterns = tuple(sorted((p for p in found.values() if p.holds_for_word(tag, lower)), key=lambda p: p.rule))
        if all(p.word_only for p in patterns):
            return tuple(dict.fromkeys(p.rule for p in patterns)), ()
        return (), patterns

    @lru_cache(maxsize=4096)  # noqa: B019
    def _merged(self, rules: tuple[int, ...]) -> dict:
        merged: dict = {}
        for rule in rules:
            merged.update(self.attrs[rule])
        return merged

    def __call__(self, doc: Doc) -> Doc:
        # every rule is tested on the tokens as the tagger and parser left them, then applied
        fired = []
        strings = doc.vocab.strings
        for i, (tag, lower) in enumerate(doc.to_array([TAG, LOWER]).tolist()):
            rules, patterns = self._plan(strings[tag], strings[lower])
            if patterns:
                rules = tuple(dict.fromkeys(p.rule for p in patterns if p.holds_at(doc, i)))
            if rules:
                fired.append((i, rules))
        for i, rules in fired:
            set_token_attrs(doc[i], self._merged(rules))
        return doc
