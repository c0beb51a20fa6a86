"""Our spaCy components: entity normalisation and quantity spans, results in doc.spans[...]."""

from __future__ import annotations

import re

from spacy.attrs import LIKE_NUM
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from pipeline.nlp.entities import (
    COMPANY,
    MAX_PERSON_TOKENS,
    ORG,
    PERSON,
    entity_data,
    is_given_name,
    is_institution,
    looks_like_person_run,
    named_as_company,
    named_company,
    normalize_name,
    owns_as_company,
    title_cue,
    type_of,
)
from pipeline.nlp.entities import is_not_entity as _type_of_name
from pipeline.nlp.measures import vocabulary as measures
from pipeline.nlp.numbers import NUMBER_SCALES, PENCE, detect_unit, parse_quantity, split_qualifier, vocabulary

ENTITY_KEY = "nf_entities"
PERSON_CUE_KEY = "nf_person_cues"  # people spans a person cue stood by ("Mr Harris"): a lone name may stay
QUANTITY_KEY = "nf_quantities"
MONEY, PERCENT, COUNT = "MONEY", "PERCENT", "COUNT"
# Words of these parts of speech open a sentence, not a name ("Nevertheless Franz Ferdinand", "Across Wales").
LEADING_NON_NAME_POS = frozenset({"ADV", "ADP", "SCONJ", "CCONJ", "PRON", "AUX"})
# Labels the small model gives companies it does not call ORG ("security firm Sophos" as PRODUCT).
COMPANY_LOOKALIKE_LABELS = frozenset({"PRODUCT", "NORP", "WORK_OF_ART", "LAW"})
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
# "millions of dollars": a vague amount of money, not a count of anything
CURRENCY_NOUNS = frozenset({"dollars", "pounds", "euros", "yen", "yuan", "rupees", "francs", "pesos", "dollar",
                            "pound"})
_QUANTITY_NOUN_RE = re.compile(r"\b(?:" + "|".join(QUANTITY_NOUNS) + r")\b", re.IGNORECASE)
# the words a vague count needs ("hundreds of people", "several hundred"): a paragraph without them or a
# number has none
_VAGUE_RE = re.compile(r"\b(?:dozens|scores|hundreds|thousands|millions|several|few)\b", re.IGNORECASE)


def _quantity_of(span: Span):
    unit = "%" if span.label_ == PERCENT else None
    quantity = parse_quantity(span.text, unit=unit)
    if quantity is not None and quantity.unit is None and span.label_ == MONEY:
        carried = _currency_before(span)  # "77m euros, up from 38m": the currency written once
        if carried is not None:
            quantity = parse_quantity(span.text, unit=carried)
    return quantity


def _currency_before(span: Span) -> str | None:
    """The currency of the nearest amount before the span in its sentence, conversions in brackets aside."""
    doc = span.doc
    start = doc[span.start].sent.start if doc.has_annotation("SENT_START") else max(0, span.start - 30)
    depth = 0
    for t in reversed(doc[start:span.start]):
        depth += (t.text == ")") - (t.text == "(")
        if depth > 0:
            continue  # "77m euros (£53m; $100m), up from 38m": a conversion is not the amount compared
        unit = detect_unit(t.text)
        if unit is not None and unit != "%":
            return unit
    return None


if not Span.has_extension("nf_quantity"):
    Span.set_extension("nf_quantity", getter=_quantity_of)


@Language.factory("newsfacts_entities")
class EntityNormalizer:
    """Keeps people, companies and other organisations, each span's kb_id the normalized name; the type
    comes from evidence (pipeline/nlp/entities.py)."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.honorifics = entity_data().honorifics
        self.person_cues = entity_data().person_cues
        self.post_nominals = entity_data().post_nominals

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for ent in doc.ents:
            if ent.label_ not in (PERSON, ORG):
                continue
            span = self._trim(ent)
            if span is None or _kind_of_company(span):
                continue
            name = normalize_name(span.text)
            if not name or not any(c.isalpha() for c in name):
                continue
            evidence = type_of(span, name, ent.label_, ent.ent_id_)
            if evidence.label is None:
                continue
            spans.append(Span(doc, span.start, span.end, label=evidence.label, kb_id=ent.ent_id_ or name))
        spans.extend(self._missed_people(doc))
        spans.extend(self._missed_companies(doc, spans))
        doc.spans[ENTITY_KEY] = sorted(spans, key=lambda s: s.start)
        doc.spans[PERSON_CUE_KEY] = [s for s in doc.spans[ENTITY_KEY] if s.label_ == PERSON and title_cue(s)]
        return doc

    def _missed_people(self, doc: Doc) -> list[Span]:
        """Runs of capitalised proper nouns the model left untagged that look like a person by evidence."""
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
            run = doc[i:end]
            if looks_like_person_run(run):
                found.append(Span(doc, i, end, label=PERSON, kb_id=normalize_name(run.text)))
            i = end
        return found

    def _missed_companies(self, doc: Doc, found: list[Span]) -> list[Span]:
        """Names the model called a product, place or nothing that the text calls a company by name
        ("security firm Sophos", "Aeropost (AERO)")."""
        taken = {i for s in found for i in range(s.start, s.end)}
        # "India's biggest carmaker Maruti": the model's place is a company when a company noun names it so
        candidates = [e for e in doc.ents if e.label_ in COMPANY_LOOKALIKE_LABELS or e.label_ == "GPE"]
        i = 0
        while i < len(doc):
            if not doc[i].ent_type_ and doc[i].pos_ == "PROPN" and doc[i].text[:1].isupper():
                end = i + 1
                while end < len(doc) and end - i < MAX_PERSON_TOKENS and doc[end].pos_ == "PROPN" \
                        and not doc[end].ent_type_:
                    end += 1
                run = doc[i:end]
                place = _place_before(run)
                if place is not None:  # "Shares in [UK Coal]": a place the model split off a company's name
                    candidates.insert(0, doc[place.start:end])
                candidates.append(run)
                i = end
            else:
                i += 1
        out = []
        for span in candidates:
            trimmed = self._trim(span)
            if trimmed is None or taken & set(range(trimmed.start, trimmed.end)):
                continue
            name = normalize_name(trimmed.text)
            # not a modifier of a noun ("European AI startup Mistral": a kind of startup, not a name)
            place_led = trimmed[0].ent_type_ in ("GPE", "NORP") and not trimmed[-1].ent_type_ and \
                trimmed.root.dep_ not in ("compound", "amod", "nmod")
            if name and (named_as_company(trimmed) or _listed_name_alone(trimmed, name)
                         or place_led and named_company(trimmed)) and not _type_of_name(name) \
                    and not is_institution(name):  # "the European Central Bank (ECB)": the bank's words are no firm's
                out.append(Span(doc, trimmed.start, trimmed.end, label=COMPANY, kb_id=name))
                taken.update(range(trimmed.start, trimmed.end))
        return out

    def _trim(self, ent: Span) -> Span | None:
        start, end = ent.start, ent.end
        doc = ent.doc
        for i in range(start, end):  # a span never crosses a line break
            if "\n" in doc[i].text_with_ws[:-1] or doc[i].is_space:
                end = i
                break
        # nor a bracket or a spaced dash: "China Aviation Oil (CAO", "Korea Development Bank - one", "its wine
        # arm - Diageo Chateau & Estate Wines": the name is the first piece that has a capitalised word
        cuts = [i for i in range(start, end) if doc[i].text in _NAME_BREAKS or doc[i].text in _DASHES and
                doc[i].whitespace_ and i > 0 and doc[i - 1].whitespace_]
        if cuts:
            pieces = zip([start, *(c + 1 for c in cuts)], [*cuts, end], strict=True)
            start, end = next(((a, b) for a, b in pieces if any(t.text[:1].isupper() for t in doc[a:b])),
                              (start, start))
        while start < end and (doc[start].lower_ in ("the", "ex", "-", "former")
                               or doc[start].text in self.honorifics or doc[start].is_punct
                               or doc[start].pos_ in LEADING_NON_NAME_POS
                               or (end - start > 2 and doc[start].ent_type_ == "NORP")
                               or (end - start > 2 and (doc[start].lower_ in self.person_cues and ent.label_ == PERSON
                                                        or doc[start].is_stop))
                               or (end - start > 1 and doc[start].is_upper and start > 0 and doc[start - 1].like_num
                                   and doc[start].text.casefold() in entity_data().not_entities)):
            # "Producer Mel Gibson", "Nevertheless Franz Ferdinand", "by 1300 GMT Carnival's shares": the name
            # starts later
            start += 1
        while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct
                               or (end - start > 2 and doc[end - 1].text in self.post_nominals)):
            end -= 1  # "Andrew Nicol QC", "Tony Blair MP": the letters after a name are not the name
        if ent.label_ == PERSON and end - start > 2 and doc[start].pos_ == "ADJ":
            start += 1  # "Russian Mikhail Youzhny", "Kenyan Bernard Lagat"
        return doc[start:end] if end > start else None


# Tokens no name holds: "China Aviation Oil (CAO" ends at the bracket.
_NAME_BREAKS = frozenset({"(", ")", "[", "]", ";", "—", "–"})
_DASHES = frozenset({"-", "--"})


def _kind_of_company(span: Span) -> bool:
    """'Budget airline Ryanair', 'Energy giant Shell': a capitalised common noun opening the sentence that says what
    kind of company the name after it is, not a name."""
    t = span[0]
    return len(span) == 1 and t.is_sent_start and t.pos_ == "NOUN" and t.dep_ in ("compound", "amod") and \
        t.head.lemma_.lower() in entity_data().company_context


def _place_before(run: Span) -> Span | None:
    """The place or nationality the model tagged right before an untagged run of proper nouns and parsed as part
    of its name ("[UK] Coal", "[China] Aviation Oil"): the two may be one company's name."""
    doc = run.doc
    if run.start == 0:
        return None
    last = doc[run.start - 1]
    if last.ent_type_ not in ("GPE", "NORP") or last.ent_iob_ == "O" or last.dep_ != "compound" or \
            not run.start <= last.head.i < run.end:
        return None
    ent = next((e for e in doc.ents if e.start <= last.i < e.end), None)
    return ent if ent is not None and ent.end == run.start else None


# Scale words and letters written right after a figure ("£415m", "$2 billion").
_SCALE_AFTER = frozenset({"m", "bn", "mn", "tn", "k", *NUMBER_SCALES})


def _listed_name_alone(span: Span, name: str) -> bool:
    """'Walmart reported fourth-quarter revenue', 'Reddit priced its initial public offering': a run of proper
    nouns the model left untagged (not a place or product it named) that is, all of it, the name of a listed
    company (models/known_companies.txt), or the subject of a verb on its own company's thing."""
    return not span[0].ent_type_ and (name in entity_data().known_companies or owns_as_company(span))


@Language.factory("newsfacts_quantities")
class QuantityFinder:
    """Money, percentages and counts as spans labelled MONEY / PERCENT / COUNT, qualifiers included."""

    def __init__(self, nlp: Language, name: str) -> None:
        vocab = vocabulary()
        self.qualifier_words = {q.split()[-1] for q in vocab.qualifiers}
        self.matcher = Matcher(nlp.vocab)
        symbols = list(vocab.currency_symbols)
        scales = [*vocab.scales, *(f"{s}." for s in vocab.scales)]  # "£532m." at a sentence's end
        number = {"TEXT": {"REGEX": r"^\d[\d,]*(\.\d+)?([kKmMbBtT]|bn|mn|tn|BN|MN)?$"}}
        scaled = {"TEXT": {"REGEX": r"^\d[\d,]*(\.\d+)?(m|bn|mn|tn)$"}}  # "648m", "2.7bn"
        single = [w for w in vocab.currency_words if " " not in w]
        # "88 billion Hong Kong dollars", "1.5bn Swiss francs": names of several words, token by token
        names = [[{"LOWER": w} for w in nlp.make_doc(name).text.lower().split()]
                 for name in vocab.currency_words if " " in name]
        self.matcher.add(MONEY, [
            [{"TEXT": {"IN": symbols}}, number, {"LOWER": {"IN": scales}, "OP": "?"}],
            [{"TEXT": {"REGEX": r"^(US|C|A|HK|S|R|NZ|NT|TT|J|EC|Bds|CI|Mex)?\$$"}}, number,
             {"LOWER": {"IN": scales}, "OP": "?"}],
            [number, {"LOWER": {"IN": scales}, "OP": "?"}, {"LOWER": {"IN": single}}],
            [{"TEXT": {"REGEX": PENCE.pattern}}],  # "548p"
            *([number, {"LOWER": {"IN": scales}, "OP": "?"}, *name] for name in names),
            # "a record Australian dollars 648m ($492m) profit": a currency of several words before a scaled amount
            *([*name, scaled] for name in names),
            *([*name, number, {"LOWER": {"IN": scales}}] for name in names),
        ])
        # "up from 38m", "against 2.7bn a year earlier": a scaled figure compared with an amount before it
        self.compared = Matcher(nlp.vocab)
        bare = {"TEXT": {"REGEX": r"^\d[\d,]*(\.\d+)?$"}}
        self.compared.add(COUNT, [[{"LOWER": {"IN": list(COMPARED_WITH)}}, scaled],
                                  [{"LOWER": {"IN": list(COMPARED_WITH)}}, bare,
                                   {"LOWER": {"IN": ["m", "bn", "mn", "tn", "million", "billion", "trillion"]}}]])
        # "hundreds of people", "tens of thousands", "several hundred": vague counts (numbers.json)
        self.vague = Matcher(nlp.vocab)
        self.vague.add(COUNT, [
            [{"LOWER": {"IN": ["tens", "hundreds"]}}, {"LOWER": "of"}, {"LOWER": {"IN": ["thousands", "millions"]}}],
            [{"LOWER": "a", "OP": "?"}, {"LOWER": {"IN": ["several", "few"]}},
             {"LOWER": {"IN": ["dozen", "hundred", "thousand"]}}],
            [{"LOWER": {"IN": ["dozens", "scores", "hundreds", "thousands", "millions"]}}],
        ])
        # "a quarter of its 8,000 staff", "half of the 300 workers": a share of a stated whole
        self.vague.add("FRACTION", [
            [{"LOWER": {"IN": ["a", "one"]}}, {"LOWER": {"IN": ["quarter", "third", "fifth", "tenth", "half"]}},
             {"LOWER": "of"}],
            [{"LOWER": "half"}, {"LOWER": "of"}],
        ])
        self.matcher.add(PERCENT, [
            [{"LIKE_NUM": True}, {"TEXT": "%"}],
            [{"LIKE_NUM": True}, {"LOWER": {"IN": ["percent", "pct"]}}],
            [{"LIKE_NUM": True}, {"LOWER": "per"}, {"LOWER": "cent"}],
            [{"LIKE_NUM": True}, {"LOWER": "percentage"}, {"LOWER": "points"}],
        ])

    def __call__(self, doc: Doc) -> Doc:
        found: list[Span] = []
        # Every pattern of ours and every count holds a digit or a number-like token ("three", "million"),
        # and a count may be "a dozen": a paragraph with none of these is only read for the model's labels.
        numeric = bool(doc.to_array(LIKE_NUM).any()) or any(c.isdigit() for c in doc.text)
        # our patterns first: on a tie they beat the model's label ("300 per cent" tagged MONEY)
        for match_id, start, end in self.matcher(doc) if numeric else ():
            found.append(self._with_qualifier(Span(doc, start, end, label=doc.vocab.strings[match_id])))
        for ent in doc.ents:
            if ent.label_ in (MONEY, PERCENT) and ent.text.strip():
                start = ent.start
                while start < ent.end - 1 and _not_of_an_amount(doc[start]):
                    start += 1  # "revenues - £160m": the model took words before the amount into it
                end = ent.end
                if ent.label_ == MONEY and end < len(doc) and doc[end - 1].like_num and \
                        doc[end].lower_ in _SCALE_AFTER:
                    end += 1  # "between £415[m] and £425m": the scale letter the model left out of the amount
                found.append(self._with_qualifier(Span(doc, start, end, label=ent.label_)))
        for _, start, end in self.compared(doc) if numeric else ():
            found.append(Span(doc, start + 1, end, label=COUNT))  # without its "from"
        taken = _union(found)
        vague = self.vague(doc) if numeric or _VAGUE_RE.search(doc.text) else []
        for match_id, start, end in sorted(vague, key=lambda m: (m[1], m[1] - m[2])):
            if doc.vocab.strings[match_id] == "FRACTION":
                end -= 1  # the share without its "of"
                if not _of_a_counted_whole(doc, end):
                    continue
                span = Span(doc, start, end, label=COUNT)
                if taken.isdisjoint(range(start, end)):
                    found.append(self._with_qualifier(span))
                    taken.update(range(start, end))
                continue
            span = Span(doc, start, end, label=COUNT)
            if taken.isdisjoint(range(start, end)) and self._vague_count(span):
                found.append(self._with_qualifier(span))
                taken.update(range(start, end))
        counted = doc if numeric or _QUANTITY_NOUN_RE.search(doc.text) else ()
        for token in counted:
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
        spans = _merge_ranges([s for s in _longest_first(_split_changes(found)) if s._.nf_quantity is not None])
        spans = [_compared_amount(s, spans) for s in spans]
        doc.spans[QUANTITY_KEY] = sorted(spans, key=lambda s: s.start)
        return doc

    @staticmethod
    def _vague_count(span: Span) -> bool:
        """'hundreds of people', 'millions have been left homeless'; not 'millions of dollars', nor the
        'hundred' of 'several hundred million'."""
        doc = span.doc
        after = doc[span.end] if span.end < len(doc) else None
        if after is not None and after.lower_ in ("million", "billion", "thousand", "hundred"):
            return False
        if after is not None and after.lower_ == "of":
            following = doc[span.end + 1] if span.end + 1 < len(doc) else None
            return following is not None and not (following.like_num or following.lower_ in CURRENCY_NOUNS)
        return span.root.dep_ in ("nsubj", "nsubjpass", "dobj", "attr") or span.text.lower().split()[-1] in (
            "hundred", "thousand", "dozen")

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
                    "dozen", "half", "couple", "handful", "third", "quarter", *NUMBER_SCALES):
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


def _not_of_an_amount(token) -> bool:
    """A noun, verb or dash that no amount starts with: the model's MONEY label sometimes takes one in."""
    return (token.is_punct and detect_unit(token.text) is None) or (
        token.pos_ in ("NOUN", "VERB", "PROPN") and not token.like_num and token.is_alpha
        and token.lower_ not in CURRENCY_NOUNS and detect_unit(token.text) is None)


def _of_a_counted_whole(doc: Doc, of: int) -> bool:
    """'of its 8,000 staff', 'of the 300 workers': a number within three words after 'of'."""
    return any(t.like_num and t.ent_type_ not in ("DATE", "MONEY", "PERCENT") for t in doc[of + 1:of + 4])


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
        between = a[0].lower_ == "between"  # the model took "between" into the first amount: "between £415m"
        if b is not None and a.label_ == b.label_ and b.start == a.end + 1 and a.doc[a.end].lower_ in RANGE_JOINERS \
                and (not a._.nf_quantity.qualifier or between) and not _after_from(a):
            doc = a.doc
            start = a.start - 1 if a.start > 0 and doc[a.start - 1].lower_ == "between" else a.start
            if doc[a.end].lower_ != "and" or start < a.start or between:  # "10 and 15" alone is a list
                merged = Span(doc, start, b.end, label=a.label_)
                if merged._.nf_quantity is not None:
                    out.append(merged)
                    i += 2
                    continue
        out.append(a)
        i += 1
    return out


COMPARED_WITH = ("from", "against", "with", "versus", "vs")
# Verbs whose "from X to Y" spans a range, not a change: "prices range from $699 to $849".
RANGE_VERBS = frozenset({"range", "vary", "span"})  # not "run": "shares ran from $5 to $10" is a change


def from_of_a_range(from_token: Token) -> bool:
    """'Prices range from $699.99 to $849.99', 'fines ranging from £1,000 to £10,000': a "from" that opens a range
    (after a verb of ranging), not the start of a change."""
    return from_token.i > 0 and from_token.doc[from_token.i - 1].lemma_.lower() in RANGE_VERBS
_SCALED = re.compile(r"^\d[\d,]*(?:\.\d+)?\s*(?:m|bn|mn|tn|million|billion|trillion)$", re.IGNORECASE)


def _compared_amount(span: Span, spans: list[Span]) -> Span:
    """'77m euros, up from 38m', '3bn rupees, against 2.7bn a year earlier': a scaled figure compared with an
    amount before it in the sentence is an amount in its currency."""
    doc = span.doc
    if span.label_ != COUNT or not _SCALED.match(span.text) or span.start == 0 or \
            doc[span.start - 1].lower_ not in COMPARED_WITH:
        return span
    sent_start = doc[span.start].sent.start
    if not any(s.label_ == MONEY and sent_start <= s.start < span.start and s._.nf_quantity.unit not in (None, "%")
               for s in spans):
        return span
    return Span(doc, span.start, span.end, label=MONEY)


def _after_from(span: Span) -> bool:
    """'increased this from £6 to £10': the start of a change, not of a range; 'shares fell 25 cents to $17.65':
    the change and the level it reached (an amount of money right after a verb of change in the past)."""
    if span.start == 0:
        return False
    before = span.doc[span.start - 1]
    if before.lower_ == "from":
        return not from_of_a_range(before)
    if span.label_ != "MONEY":
        return False
    if before.lower_ in ("up", "down", "by"):
        return True  # "shares were up 25p to 300p", "cut it by £2 to £8"
    if before.lower_ == "or":
        # "up more than 6%, or 16.75 pence to 293.5p": the change restated, then the level
        restated = span.doc[max(0, span.start - 3):span.start - 1]
        return len(restated) > 0 and (restated[-1].text == "%" or
                                      restated[-1].text == "," and len(restated) == 2 and restated[0].text == "%")
    lemma = before.lemma_.lower()
    voc = measures()
    return before.tag_ in ("VBD", "VBN", "VBG") and (
        lemma in voc.up or lemma in voc.down or lemma in ("add", "shed", "gain"))  # "adding $1.89 to $48.62"


def _split_changes(spans: list[Span]) -> list[Span]:
    """A span the model labelled 'from £6 to £10' would read as a range: it is two amounts, before and after."""
    out = []
    for span in spans:
        to = next((t.i for t in span if t.lower_ == "to" and span.start < t.i < span.end - 1), None)
        if to is not None and _after_from(span):
            out += [Span(span.doc, span.start, to, label=span.label_), Span(span.doc, to + 1, span.end,
                                                                            label=span.label_)]
        else:
            out.append(span)
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
