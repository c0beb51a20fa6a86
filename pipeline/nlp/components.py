"""Our spaCy components: entity normalisation and quantity spans, results in doc.spans[...]."""

from __future__ import annotations

import re
from functools import cache

import gender_guesser.detector
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from pipeline.nlp.build import load_gazetteer, load_json
from pipeline.nlp.numbers import parse_quantity, split_qualifier, vocabulary

ENTITY_KEY = "nf_entities"
QUANTITY_KEY = "nf_quantities"
PERSON, COMPANY, ORG = "PERSON", "COMPANY", "ORG"
MONEY, PERCENT, COUNT = "MONEY", "PERCENT", "COUNT"
# A person's name in news copy has two or three words ("Marie-Anne Lachaux", "Jean-Claude Van Damme");
# longer ORG spans starting with a given name are titles or sentence fragments, not names.
MAX_PERSON_TOKENS = 4
# Entity labels of the model whose numbers are not counts of things.
NON_COUNT_LABELS = frozenset({"MONEY", "PERCENT", "DATE", "TIME", "ORDINAL", "QUANTITY"})
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
# The model tags "Between 10 and 15" as a DATE; a DATE without a year, month or unit of time in it
# is a bare number range, and its numbers may be counts.
_DATE_WORDS = re.compile(
    r"\b(?:(?:1[89]|20)\d\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|"
    r"day|week|month|quarter|year|decade|century|today|yesterday|tomorrow|ago|season|spring|summer|fall|"
    r"autumn|winter)", re.IGNORECASE)
# Words that join the two ends of a range: "between 10 and 15", "10 to 15", "$1m-$2m".
RANGE_JOINERS = frozenset({"and", "to", "-", "–", "—"})
# Quantity nouns that count on their own after "a": "a dozen researchers", "a handful of engineers".
QUANTITY_NOUNS = frozenset({"dozen", "handful", "couple"})
_POSSESSIVE = re.compile(r"(?:['’‘]s?|['’‘])$")


def _quantity_of(span: Span):
    unit = "%" if span.label_ == PERCENT else None
    return parse_quantity(span.text, unit=unit)


if not Span.has_extension("nf_quantity"):
    Span.set_extension("nf_quantity", getter=_quantity_of)


@cache
def _given_names() -> gender_guesser.detector.Detector:
    return gender_guesser.detector.Detector(case_sensitive=False)


def is_given_name(word: str) -> bool:
    parts = [p for p in word.split("-") if p]
    return bool(parts) and all(_given_names().get_gender(p) != "unknown" for p in parts)


def normalize_name(text: str) -> str:
    """Surface form -> display name: no possessive, no 'the', single spaces."""
    name = " ".join(text.split())
    name = _POSSESSIVE.sub("", name) if len(name) > 2 else name
    name = re.sub(r"^(?:the|The|ex-|Ex-|former|Former)\s*", "", name)
    return name.strip(" -–—,.;:\"'“”")


@Language.factory("newsfacts_entities")
class EntityNormalizer:
    """Keeps people, companies and other organisations, each span's kb_id the normalized name."""

    def __init__(self, nlp: Language, name: str) -> None:
        data = load_json("entities.json")
        self.company_suffixes = frozenset(data["company_suffixes"])
        self.company_context = frozenset(data["company_context"])
        self.not_entities = frozenset(data["not_entities"]) | frozenset(data["products"])
        self.honorifics = frozenset(data["honorifics"])
        self.gazetteer_types = {e["name"]: e["type"] for e in load_gazetteer()}

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for ent in doc.ents:
            if ent.label_ not in (PERSON, ORG):
                continue
            span = self._trim(ent)
            if span is None:
                continue
            name = normalize_name(span.text)
            if not name or name in self.not_entities or not any(c.isalpha() for c in name):
                continue
            label = self._label(span, name, ent.ent_id_)
            if label is None:
                continue
            spans.append(Span(doc, span.start, span.end, label=label, kb_id=ent.ent_id_ or name))
        spans.extend(self._missed_people(doc))
        doc.spans[ENTITY_KEY] = sorted(spans, key=lambda s: s.start)
        return doc

    def _missed_people(self, doc: Doc) -> list[Span]:
        """Runs of capitalised proper nouns the model left untagged that start with a given name."""
        found = []
        i = 0
        while i < len(doc):
            t = doc[i]
            if t.ent_type_ or t.pos_ != "PROPN" or not t.text[:1].isupper() or not is_given_name(t.text):
                i += 1
                continue
            end = i + 1
            while (end < len(doc) and end - i < MAX_PERSON_TOKENS and doc[end].pos_ == "PROPN"
                   and doc[end].text[:1].isupper() and not doc[end].ent_type_):
                end += 1
            if end - i >= 2 and doc[end - 1].text not in self.company_suffixes:
                name = normalize_name(doc[i:end].text)
                found.append(Span(doc, i, end, label=PERSON, kb_id=name))
            i = end
        return found

    def _trim(self, ent: Span) -> Span | None:
        start, end = ent.start, ent.end
        doc = ent.doc
        for i in range(start, end):  # a span never crosses a line break
            if "\n" in doc[i].text_with_ws[:-1] or doc[i].is_space:
                end = i
                break
        while start < end and (doc[start].lower_ in ("the", "ex", "-", "former")
                               or doc[start].text in self.honorifics or doc[start].is_punct):
            start += 1
        while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct):
            end -= 1
        return doc[start:end] if end > start else None

    def _label(self, span: Span, name: str, gazetteer_id: str) -> str | None:
        gazetteer_id = gazetteer_id or (name if name in self.gazetteer_types else "")
        if gazetteer_id:
            return COMPANY if self.gazetteer_types.get(gazetteer_id) == "company" else ORG
        words = name.split()
        if span.label_ == ORG:
            if (2 <= len(words) <= MAX_PERSON_TOKENS and words[-1] not in self.company_suffixes
                    and all(w[:1].isupper() for w in words) and is_given_name(words[0])):
                return PERSON
            return COMPANY if self._looks_like_company(span, words) else ORG
        # PERSON from the model
        if words[-1] in self.company_suffixes:
            return COMPANY
        if len(words) > MAX_PERSON_TOKENS or not all(w[:1].isupper() for w in words):
            return None
        return PERSON

    def _looks_like_company(self, span: Span, words: list[str]) -> bool:
        if words[-1] in self.company_suffixes:
            return True
        root = span.root
        neighbours = [t for t in (root.head, *root.children) if t.i < span.start or t.i >= span.end]
        neighbours += [t for t in root.head.children if t.dep_ == "appos"] if root.dep_ == "appos" else []
        return any(t.lemma_.lower() in self.company_context for t in neighbours)


@Language.factory("newsfacts_quantities")
class QuantityFinder:
    """Money, percentages and counts as spans labelled MONEY / PERCENT / COUNT, qualifiers included."""

    def __init__(self, nlp: Language, name: str) -> None:
        vocab = vocabulary()
        self.qualifier_words = {q.split()[-1] for q in vocab.qualifiers}
        self.matcher = Matcher(nlp.vocab)
        symbols = list(vocab.currency_symbols)
        scales = list(vocab.scales)
        number = {"TEXT": {"REGEX": r"^\d[\d,]*(\.\d+)?([kKmMbBtT]|bn|mn|tn|BN|MN)?$"}}
        self.matcher.add(MONEY, [
            [{"TEXT": {"IN": symbols}}, number, {"LOWER": {"IN": scales}, "OP": "?"}],
            [{"TEXT": {"REGEX": r"^(US|C|A|HK|S|R)?\$$"}}, number, {"LOWER": {"IN": scales}, "OP": "?"}],
            [number, {"LOWER": {"IN": scales}, "OP": "?"},
             {"LOWER": {"IN": list(vocab.currency_words)}}],
        ])
        self.matcher.add(PERCENT, [
            [{"LIKE_NUM": True}, {"TEXT": "%"}],
            [{"LIKE_NUM": True}, {"LOWER": {"IN": ["percent", "pct"]}}],
            [{"LIKE_NUM": True}, {"LOWER": "per"}, {"LOWER": "cent"}],
            [{"LIKE_NUM": True}, {"LOWER": "percentage"}, {"LOWER": "points"}],
        ])

    def __call__(self, doc: Doc) -> Doc:
        found: list[Span] = []
        # our patterns first: on a tie they beat the model's label ("300 per cent" tagged MONEY)
        for match_id, start, end in self.matcher(doc):
            found.append(self._with_qualifier(Span(doc, start, end, label=doc.vocab.strings[match_id])))
        for ent in doc.ents:
            if ent.label_ in (MONEY, PERCENT) and ent.text.strip():
                found.append(self._with_qualifier(Span(doc, ent.start, ent.end, label=ent.label_)))
        taken = _union(found)
        for token in doc:
            if token.i in taken or not self._is_count_token(token):
                continue
            start = token.i
            if token.lower_ in QUANTITY_NOUNS and start > 0 and doc[start - 1].lower_ in ("a", "an"):
                start -= 1
            end = token.i + 1
            while end < len(doc) and self._is_count_token(doc[end]) and doc[end].i not in taken:
                end += 1
            found.append(self._with_qualifier(Span(doc, start, end, label=COUNT)))
            taken.update(range(start, end))
        spans = _merge_ranges([s for s in _longest_first(found) if s._.nf_quantity is not None])
        doc.spans[QUANTITY_KEY] = sorted(spans, key=lambda s: s.start)
        return doc

    def _is_count_token(self, token) -> bool:
        if token.lower_ in QUANTITY_NOUNS:
            return token.i > 0 and token.doc[token.i - 1].lower_ in ("a", "an")
        if not token.like_num:
            return False
        if token.ent_type_ in NON_COUNT_LABELS and not (
                token.ent_type_ == "DATE" and not _DATE_WORDS.search(_ent_of(token).text)):
            return False
        if _YEAR.match(token.text) or token.text in ("-", "–"):
            return False
        return not (token.i + 1 < len(token.doc) and token.doc[token.i + 1].text in ("%",))

    def _with_qualifier(self, span: Span) -> Span:
        """Extend a number span left over 'more than', 'only', 'nearly' ... and drop a leading 'the'."""
        doc = span.doc
        start = span.start
        while start < span.end and doc[start].lower_ in ("the", "a", "an", "its", "their"):
            if doc[start].lower_ in ("a", "an") and span.end - start > 1 and doc[start + 1].lower_ in (
                    "dozen", "half", "couple", "handful", "third", "quarter"):
                break
            start += 1
        for width in (3, 2, 1):
            if start - width < 0:
                continue
            words = doc[start - width:start].text
            qualifier, rest = split_qualifier(words + " 1")
            if qualifier and rest == "1" and doc[start - 1].lower_ in self.qualifier_words:
                start -= width
                break
        return Span(doc, start, span.end, label=span.label_)


def _ent_of(token) -> Span:
    return next(e for e in token.doc.ents if e.start <= token.i < e.end)


def _merge_ranges(spans: list[Span]) -> list[Span]:
    """Two quantities of one kind joined by 'and'/'to'/a dash become one range span, with a
    'between' before them: "between 10 and 15 engineers", "$10 million to $15 million"."""
    spans = sorted(spans, key=lambda s: s.start)
    out: list[Span] = []
    i = 0
    while i < len(spans):
        a = spans[i]
        b = spans[i + 1] if i + 1 < len(spans) else None
        if b is not None and a.label_ == b.label_ and b.start == a.end + 1 and \
                a.doc[a.end].lower_ in RANGE_JOINERS and not a._.nf_quantity.qualifier:
            doc = a.doc
            start = a.start - 1 if a.start > 0 and doc[a.start - 1].lower_ == "between" else a.start
            if doc[a.end].lower_ != "and" or start < a.start:  # "10 and 15" alone is a list, not a range
                merged = Span(doc, start, b.end, label=a.label_)
                if merged._.nf_quantity is not None:
                    out.append(merged)
                    i += 2
                    continue
        out.append(a)
        i += 1
    return out


def _union(spans: list[Span]) -> set[int]:
    return {i for s in spans for i in range(s.start, s.end)}


def _longest_first(spans: list[Span]) -> list[Span]:
    kept: list[Span] = []
    taken: set[int] = set()
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if taken.isdisjoint(range(span.start, span.end)):
            kept.append(span)
            taken.update(range(span.start, span.end))
    return kept
