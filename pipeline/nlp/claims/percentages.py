"""Percentage claims: a change of a measure of an entity ("Meta's stock has declined by 18% over the past
18 months"), with its direction and period."""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from pipeline.nlp.claims.common import (
    SAME_STORE_SALES,
    RawClaim,
    RawEntity,
    SentenceContext,
    a_partner,
    entity_in,
    generic_company_ref,
    is_attribution,
    names_a_partner,
    normalize_name,
    resolve_reference,
    segment_of,
    sentence_quantities,
    sole_owner,
)
from pipeline.nlp.claims.context import claim_status, normalize_period, period_text, twelve_months_to
from pipeline.nlp.claims.counts import job_status
from pipeline.nlp.claims.money import money_measure
from pipeline.nlp.components import COMPANY, MONEY, ORG, PERSON
from pipeline.nlp.entities import entity_data, is_public_body
from pipeline.nlp.measures import vocabulary
from pipeline.nlp.numbers import detect_unit
from pipeline.types import ClaimKind, ClaimStatus, Quantity

# How far up the parse from a percentage its change word may be ('up 19% from ...' -> 'up', 'expanded by
# a breakneck 9.5%' -> 'expanded').
PERCENT_HEAD_HOPS = 4
# Prepositions that open a percentage's period: "over the past 18 months", "in the fourth quarter".
PERIOD_PREPS = ("over", "since", "in", "during", "from", "for")


# Words of a span of time a period we cannot name is written with ("over the past 18 months", "in late January"),
# kept as its words; a day's ("in Tuesday morning trading in New York") is no period.
_SPAN_WORDS = re.compile(r"\b(?:weeks?|months?|years?|quarters?|decades?|halves|half|january|february|march|april|may|"
                         r"june|july|august|september|october|november|december)\b", re.IGNORECASE)


def _unknown_name(subject: Token) -> bool:
    """A subject written as a name ("Wimpey", "HIS") that is no entity of the sentence and names no measure."""
    return (subject.pos_ == "PROPN" or subject.is_upper and subject.is_alpha and len(subject) > 1) and \
        subject.ent_type_ not in ("GPE", "NORP", "LOC") and _first_measure([subject]) is None


def percentage_claim(sent: Span, q: Span, entities: list[RawEntity], ctx: SentenceContext) -> list[RawClaim]:
    quantity: Quantity = q._.nf_quantity
    if q.root.head.lower_ in ("to", "from") and q.root.dep_ == "pobj":
        return []  # "rates rose to 4.75%", "fell to 4.1% from 4.2%": levels before and after a change, not the change
    # the change word nearest the amount on its way up the parse decides the direction: "fell 20%",
    # "were up more than 3%", "up 19% from the previous quarter", "a 262% increase"
    direction = ""
    node = q.root
    for _ in range(PERCENT_HEAD_HOPS):
        direction = direction_of(node)
        if direction or node.pos_ in ("VERB", "AUX") or node.head.i == node.i:
            break
        node = node.head
    verb = node
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    if not direction:
        direction = next((d for t in verb.children if t.dep_ in ("advmod", "prt", "acomp", "advcl")
                          and t.i < q.start and (d := direction_of(t))), "")
    subject = next((t for t in verb.children if t.dep_ in ("nsubj", "nsubjpass")), None)
    if not direction and _a_rate(q):
        # "expanding at an annual rate of 3.8%", "Growth was at an annual rate of 4%": the verb's or its
        # subject's change
        direction = direction_of(verb) or (direction_of(subject) if subject is not None else "")
    growth = _growth_rate(subject, verb, q)
    if not direction and growth:
        direction = "up"  # "growth had topped 9%", "Economic growth has averaged 6-7%": the rate of a growth
    if not direction:
        return []
    if subject is None and verb.dep_ == "conj":  # "Shares surged 20% ... and were up more than 100%"
        subject = next((t for t in verb.head.children if t.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None and verb.dep_ == "xcomp":
        # "India's mobile market is likely to grow by 40%", "sales are expected to rise 5%": the raised subject
        governor = verb.head.head if verb.head.pos_ == "ADJ" and verb.head.dep_ == "acomp" else verb.head
        subject = next((t for t in governor.children if t.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is not None and _an_index(subject):
        return []  # "the Dow Jones industrial average closed down 1.6%": a market's index, no company's shares
    moved = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if moved is not None and node.head.i == verb.i and node.dep_ in ("advmod", "prt") and not direction_of(verb) \
            and _first_measure(_own_words(moved)):
        subject = moved  # "sending its shares down 20%": what a verb of no change of its own moved
    measure = owner = None
    explicit = True
    named = {i for e in entities for i in range(e.start, e.end)}  # a name's words name no measure ("Pier 1 Imports")
    if subject is not None:
        measure = _first_measure(t for t in _own_words(subject) if t.i not in named)
        owner = entity_in(entities, subject.left_edge.i, subject.right_edge.i + 1)
        generic = next((t for t in subject.subtree if generic_company_ref(t)), None)
        if owner is None and generic is not None:
            # "the company's shares fell 20%", "Acme said its sales rose 2%"
            owner, explicit = resolve_reference(generic, sent, entities, ctx)
    # "revenues of $7.1 billion, up 50%": the nearest measure word before the figure;
    # "cut more than 15% of its workforce": one right after it
    if measure is None and node.pos_ == "NOUN" and direction_of(node):
        # "blamed high fuel prices for a 40% drop in profits": what the change noun is a change in
        changed = [o for c in node.children if c.dep_ == "prep" and c.lower_ in ("in", "of")
                   for o in c.children if o.dep_ == "pobj"]
        measure = next((m for o in changed if (m := _first_measure([o]))), None)
        if measure is None and owner is None and any(o.pos_ == "PROPN" for o in changed):
            named_in = entity_in(entities, changed[0].left_edge.i, changed[0].right_edge.i + 1)
            if named_in is None:
                return []  # "compared with a 2% rise in the FTSE 100": an index's change, not the sentence's company
            owner = named_in
    # not the words of a clause of its own, nor of a name ("Pier 1 Imports saw its sales sink 8.8%")
    skipped = {t.i for t in sent if t.dep_ == "relcl" for t in t.subtree} | named
    if measure is None and moved is not None and direction_of(verb) and moved.pos_ == "NOUN":
        # "will boost its 2004 dividend payment by 27%": a verb of change measures its object, and this one
        # names no measure of ours (not the "stock" of "the German stock exchange" earlier in the sentence)
        measure = _first_measure(_own_words(moved))
    elif measure is None:
        measure = _first_measure(t for t in reversed(sent.doc[sent.start:q.start]) if t.i not in skipped) or \
            _first_measure(t for t in sent.doc[q.end:min(sent.end, q.end + 4)] if t.i not in skipped) or \
            _measure_of_the_amount_before(sent, node)
    if measure is None and growth and (_economic(subject) or not any(
            e.label == COMPANY for e in entities if not is_attribution(sent, e))):
        # "Economic growth has averaged 6-7%"; bare "growth" in a sentence that names no company: an economy's
        measure = "economy"
    if measure == "prices" and ctx.prices:
        measure = ctx.prices  # "said prices rose 15.1% over the whole of 2004" in a story of house prices
    places = measure in vocabulary().percent_places
    if places and subject is not None and names_a_partner(sent, subject):
        return []  # "Latin American exports to China grew 34%", "imports from Japan": one partner's, not the total
    if owner is None and places and subject is not None:
        owner = _place_in(sent, subject)  # "the US economy grew 3.8%", "China's exports rose 35%"
    if owner is None and subject is not None and any(
            c.dep_ == "poss" and c.pos_ == "PROPN" and c.ent_type_ not in ("GPE", "NORP") for c in subject.children):
        return []  # "but Foster's shares fell 3.7%": a name we do not know owns them, not the sentence's other company
    if owner is None and subject is not None and not places and any(
            c.dep_ in ("poss", "amod", "compound") and c.ent_type_ in ("GPE", "NORP") for c in subject.children):
        # "Morgan Stanley has forecast that India's mobile market will grow by 40%", "the Russian market has dropped
        # by 10%": a place's market, not the forecaster's or the article's company's
        return []
    if owner is None and subject is not None and measure == "stock price" and any(
            o.dep_ == "pobj" and o.pos_ == "PROPN" for p in subject.children if p.dep_ == "prep" and p.lower_ in (
                "in", "of") for o in p.children) and not any(e.label == COMPANY for e in entities):
        # "Shares in Manchester United" (read as a place) in a sentence that names no company: a name we do not
        # know, not the article's company
        return []
    if owner is None and subject is not None and not places and _unknown_name(subject):
        return []  # "Wimpey reported a 19% rise", "... and HIS dropping 3.3%": a name we do not know owns the change
    if owner is None and not places:
        # the first name before the figure, not the one the sentence is attributed to ("According to the
        # Ministry of Commerce, ...", "The ONS says ..."): a guess, not the grammar's word
        owner = entity_in([e for e in entities if not is_attribution(sent, e)], sent.start, q.start)
        explicit = False
    if owner is None and measure is not None:
        # "Profits for the year rose 20%": a measured change whose sentence names no owner is the one
        # company (or, for an economy's measures, the one country) it names, else the article's company
        owner, explicit = sole_owner(sent, entities, ctx, places=places)
        if places and owner is not None and owner == ctx.main_company and ctx.main_place and \
                (ctx.labels or {}).get(owner) == ORG:
            owner = ctx.main_place  # "house prices rose 1.1%" in a story that names a ministry most: the country's
    if measure in ONLY_PLACES and owner is not None and (any(e.name == owner for e in entities) or (
            ctx.labels or {}).get(owner) in (COMPANY, ORG, PERSON)):
        # "INSEE expects the economy to grow 2.4%": a company or agency has no economy; the country it is of does
        # (nor house prices: not the article's bank, whichever sentence names it)
        owner = _the_place(sent, ctx)
        explicit = False
    if owner is not None and is_public_body(owner) and (places or vocabulary().is_per_period(measure)):
        # "Figures from the Commerce Department showed exports down 2.3%": the country's, not the agency's
        owner = _the_place(sent, ctx) if places else None
        explicit = False
    if owner is None:
        return []
    if measure == "revenue" and _counted_level(verb):
        measure = None  # "Sales rose by 17.8% to 136,069 units", "to 1.2 million cars": what was sold, not its money
    period_words = None
    base_from = next((c.i for c in verb.children if c.dep_ == "prep" and c.lower_ == "from" and c.i > q.start), None)
    base_to = next((c.i for c in verb.children if c.dep_ == "prep" and c.lower_ == "to"
                    and base_from is not None and c.i > base_from), None)
    for child in verb.children:
        if base_to is not None and base_from < child.i < base_to:
            continue  # "slipped 11% from £3.24bn in 2003 to £2.89bn in 2004": the base's year, not the change's
        if child.dep_ == "prep" and child.lower_ in PERIOD_PREPS and child.i > q.start:
            phrase = sent.doc[child.i: child.right_edge.i + 1]
            if child.lower_ == "from" and not any(o.dep_ == "pobj" and o.ent_type_ == "DATE" for o in child.children):
                continue  # "from $2.8bn for the same period in 2003": the base and its period, not the change's
            if any(t.ent_type_ == "DATE" for t in phrase):  # "over the past 18 months", not "from $10.9bn"
                period_words = phrase.text
                break
    # the dates of the change's words and of its subject's ("Sales in the fiscal third quarter rose by 17.8%")
    dates = period_text(sent, [q.root, verb] + ([subject] if subject is not None else []))
    period = normalize_period(period_words, ctx.published) or normalize_period(dates, ctx.published) or (
        " ".join(period_words.lower().split()) if period_words and _SPAN_WORDS.search(period_words) else None)
    if places and period == "FY":  # "Consumer prices rose 2.5% in the year to August": August's annual rate
        period = twelve_months_to(period_words, ctx.published) or twelve_months_to(dates, ctx.published) or period
    flow = vocabulary().is_per_period(measure)
    status = claim_status(q.root, flow=flow)
    if status == ClaimStatus.ACTUAL and verb.i != q.root.i:
        status = claim_status(verb, flow=flow)  # "is expected to grow at an annual rate of about 4%"
    if measure == "headcount" and (state := vocabulary().count_states.get(verb.lemma_.lower())) in ("lay off", "hire"):
        status = job_status(verb, state)  # "would cut more than 15% of its workforce": a plan, as its job count
    # "UK house prices fell 0.7% in December, according to figures from the ODPM", "the Nationwide said": a measure
    # many surveys publish is the named survey's figure
    source = _survey_of(sent, q, entities) if measure in MANY_INDICES else None
    if source is not None and owner == source:
        # "Nationwide reported a rise of 0.4%": the survey says it, the place's prices rose
        owner, explicit = _the_place(sent, ctx), False
        if owner is None:
            return []
    if places and _another_place(sent, subject, owner):
        return []  # "In the North West and Yorkshire, prices rose by 3% and 1.2%": a region's, not the country's
    return [RawClaim(ClaimKind.PERCENTAGE, q.start_char, q.end_char, quantity=quantity,
                     status=status, period=period,
                     subject_explicit=explicit,
                     cue=verb.lemma_.lower(), anchor=q.root.i, fields={
                         "subject": owner, "measure": measure, "direction": direction,
                         "period_text": period_words, "source": source})]


def _survey_of(sent: Span, q: Span, entities: list[RawEntity]) -> str | None:
    """Who publishes the figure: the named subject of the verb of saying it hangs from ("Halifax said house prices
    rose by 0.8% and Nationwide reported a rise of 0.4%"), else the one source the sentence is attributed to
    ("according to figures from the ODPM", "..., the Halifax has said")."""
    reporting = vocabulary().status["reporting_verbs"]
    for node in q.root.ancestors:
        if node.pos_ == "VERB" and node.lemma_.lower() in reporting:
            speaker = next((c for c in node.children if c.dep_ == "nsubj"), None)
            named = entity_in(entities, speaker.left_edge.i, speaker.right_edge.i + 1) if speaker is not None else None
            if named is not None:
                return named
            break
    sources = {e.name for e in entities if is_attribution(sent, e)}
    return sources.pop() if len(sources) == 1 else None


def _own_words(head: Token) -> list[Token]:
    """A phrase's words without its relative clauses: "the services sector, which accounts for three-quarters
    of the UK economy," is no measure of the economy."""
    inner = {t.i for c in head.children if c.dep_ in ("relcl", "acl") for t in c.subtree}
    return [t for t in head.subtree if t.i not in inner]


# Verbs that state a growth rate's level rather than a change of it: "growth topped 9%", "was 4%".
_RATE_LEVEL_VERBS = frozenset({"be", "top", "average", "reach", "hit", "exceed", "stand", "come", "run"})


def _counted_level(verb: Token) -> bool:
    """The change's verb reaches a level counted in things, not money: "rose by 17.8% to [136,069 units]"."""
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.lower_ != "to":
            continue
        for level in prep.children:
            if level.dep_ == "pobj" and level.pos_ == "NOUN" and level.ent_type_ not in ("MONEY", "PERCENT") and \
                    detect_unit(level.text) is None and any(c.dep_ == "nummod" and c.ent_type_ in (
                        "CARDINAL", "QUANTITY") and detect_unit(c.text) is None for c in level.children):
                return True
            if level.dep_ == "pobj" and level.pos_ == "NUM" and level.ent_type_ == "CARDINAL" and \
                    detect_unit(level.text) is None and not any(c.ent_type_ == "MONEY" for c in level.subtree):
                return True  # "BMW-brand sales rose 2.3% to 80,600"
    return False


# Nouns that name a stock index with a name before them: "the Dow Jones industrial average", "the Nikkei index".
INDEX_NOUNS = frozenset({"average", "index", "composite"})


def _an_index(subject: Token) -> bool:
    """'the Dow Jones industrial average', 'the Nikkei 225 index', 'the FTSE 100': a stock index (models/entities.json
    stock_indexes), named or a noun of an index with a name before it."""
    words = subject.doc[subject.left_edge.i:subject.i + 1]
    named = " ".join(t.text for t in words if t.dep_ != "det").casefold()
    return named in entity_data().stock_indexes or subject.lemma_.lower() in INDEX_NOUNS and any(
        c.dep_ in ("nmod", "compound") and c.pos_ == "PROPN" for c in subject.children)


def _growth_rate(subject: Token | None, verb: Token, q: Span) -> bool:
    """'growth had topped 9% in 2004', 'Economic growth has averaged 6-7%': a growth whose level the verb
    states (the figure its object or a bare measure), not a change of the growth ('growth slowed by 1%')."""
    if subject is None or subject.lemma_.lower() != "growth" or verb.lemma_.lower() not in _RATE_LEVEL_VERBS:
        return False
    return (q.root.head.i == verb.i and q.root.dep_ in ("dobj", "npadvmod", "attr", "advmod")) or _a_rate(q)


def _economic(subject: Token) -> bool:
    return any(c.dep_ == "amod" and c.lower_ == "economic" for c in subject.children)


def _a_rate(q: Span) -> bool:
    """'at an annual rate of 3.8%', 'a growth rate of 9%': the figure is the rate of a change."""
    head = q.root.head
    return head.lower_ == "of" and head.head.lemma_.lower() in ("rate", "pace", "clip")


# Measures that several surveys publish for one place and month (house prices: the Nationwide, the Halifax, the
# government's index): a figure names its survey when the sentence does.
MANY_INDICES = frozenset({"prices", "house prices"})

# Measures only a country or city has (not "OPEC output", "Tesco prices").
ONLY_PLACES = frozenset({"economy", "inflation", "unemployment", "house prices"})


def _the_place(sent: Span, ctx: SentenceContext) -> str | None:
    """The sentence's one country or city, else the one the article is about."""
    return _only_place(sent) or ctx.main_place


def _only_place(sent: Span) -> str | None:
    """The one country or city the sentence names."""
    places = {normalize_name(e.text) for e in sent.ents if e.label_ == "GPE"}
    return places.pop() if len(places) == 1 else None


def _another_place(sent: Span, subject: Token | None, owner: str) -> bool:
    """The sentence names places other than the owner, or several, and the subject phrase does not name the
    owner itself: a region's figure ("prices in the South East and London fell by 1.6% and 0.5%
    respectively"), not the one of the country the story is about."""
    places = [e for e in sent.ents if e.label_ in ("GPE", "LOC") and not a_partner(e)]
    named = {normalize_name(e.text) for e in places}
    if subject is not None:
        own = {normalize_name(e.text) for e in places if subject.left_edge.i <= e.start <= subject.right_edge.i}
        if own == {owner}:
            return False  # "UK house prices rose 1.1%, while in London they fell": the subject names its place
    return len(named) > 1 or (bool(named) and owner not in named)


def _place_in(sent: Span, subject: Token) -> str | None:
    """The one country or city named in the subject phrase ("the US economy"), as its name."""
    places = [e for e in sent.ents if e.label_ == "GPE" and subject.left_edge.i <= e.start <= subject.right_edge.i
              and not a_partner(e)]
    return normalize_name(places[0].text) if len(places) == 1 else None


# Nouns that count what their modifier names: "passenger numbers".
COUNTED_HEADS = frozenset({"number", "numbers", "total", "count"})


def _measure_of_the_amount_before(sent: Span, change: Token) -> str | None:
    """'Its Global Investors wing made £347m, an 82% jump on 2003 figures': a noun of change set after an amount
    (a comma between them) is a change of the amount's measure, when that is a measure of changes too."""
    if change.pos_ != "NOUN" or not direction_of(change):
        return None
    comma = change.left_edge.i - 1
    if comma <= sent.start or sent.doc[comma].text != ",":
        return None
    amount = next((q for q in sentence_quantities(sent) if q.label_ == MONEY and q.end == comma), None)
    found, _ = money_measure(sent, amount) if amount is not None else (None, None)
    if found is None:
        return None
    return found.measure if found.measure in vocabulary().percent_measures.values() else None


def _first_measure(tokens) -> str | None:
    """The measure the first measure word among the tokens names ('shares' -> 'stock price'); a part of it
    names none ('iPhone sales'), another basis its own ('like-for-like sales')."""
    voc = vocabulary()
    for t in tokens:
        measure = voc.percent_measures.get(t.lemma_.lower()) or voc.percent_measures.get(t.lower_)
        if measure is None and t.lemma_.lower() in COUNTED_HEADS:
            # "passenger numbers", "subscriber numbers": the number of what the modifier names
            measure = next((m for c in t.children if c.dep_ == "compound" and c.i < t.i
                            and (m := voc.percent_measures.get(f"{c.lemma_.lower()}s"))), None)
        if measure is None:
            continue
        if measure in voc.segment_measures and (segment := segment_of(t)) is not None:
            return SAME_STORE_SALES if segment == SAME_STORE_SALES else None
        if measure == "prices":
            return _price_kind(t)
        if measure == "inflation" and (prices := next((c for c in t.children if c.dep_ == "compound"
                                                         and c.lemma_.lower() == "price"), None)) is not None:
            # "annual house price inflation is still strong at 13.8%": the rise of house prices, not the
            # country's inflation (and "oil price inflation": a good's)
            kind = _price_kind(prices)
            return "house prices" if kind == "house prices" else None
        return measure
    return None


def _price_kind(prices: Token) -> str | None:
    """'house prices', 'consumer prices', 'prices': the measure; 'steel prices', 'oil prices': a good's, not ours."""
    kinds = vocabulary().price_kinds
    for m in (c for c in prices.children if c.dep_ in ("compound", "amod", "nmod") and c.i < prices.i):
        kind = kinds.get(m.lemma_.lower()) or kinds.get(m.lower_)
        if kind is not None:
            return kind
        if m.pos_ in ("NOUN", "PROPN") and m.ent_type_ not in ("GPE", "NORP", "LOC", "DATE"):
            return None
    for of in (c for c in prices.children if c.dep_ == "prep" and c.lower_ == "of"):
        # "Prices of homes in the UK rose 0.5%" (not "the wholesale prices of its broadband product": its prices)
        goods = [o for o in of.children if o.dep_ == "pobj"]
        if goods and (kind := kinds.get(goods[0].lemma_.lower()) or kinds.get(goods[0].lower_)) is not None:
            return kind
    return "prices"


# Verbs whose particle "up" or "down" makes a phrasal verb of no change: "services make up 40% of the economy".
_PHRASAL_HEADS = frozenset({"make", "set", "take", "end", "give", "sign", "wrap", "back", "open", "break", "write",
                            "turn", "pick", "round", "sum", "add"})


def direction_of(t: Token) -> str:
    voc = vocabulary()
    lemma = t.lemma_.lower()
    if t.dep_ == "prt" and t.head.lemma_.lower() in _PHRASAL_HEADS:
        return ""
    if lemma in voc.up:
        return "up"
    if lemma in voc.down or (lemma == "off" and t.head.lemma_ == "be"):
        return "down"
    return ""
