"""What every claim reader shares: cue data, the raw claim, the sentence's entities and quantities, and
the grammar helpers that find who a clause is about."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from spacy.tokens import Span, Token

from pipeline.nlp.build import load_gazetteer, load_json
from pipeline.nlp.components import COMPANY, ENTITY_KEY, ORG, PERSON, QUANTITY_KEY
from pipeline.nlp.entities import normalize_name
from pipeline.nlp.measures import vocabulary
from pipeline.types import ClaimKind, ClaimStatus, Quantity


@dataclass(frozen=True, slots=True)
class Cues:
    """Cue words of claim extraction that are not measures (models/claims.json)."""

    rounds: tuple[tuple[str, str], ...]
    investor_cues: tuple[str, ...]
    lead_cues: tuple[str, ...]
    roles: tuple[str, ...]
    role_synonyms: dict[str, str]
    contribution_verbs: frozenset[str]
    contribution_nouns: frozenset[str]


@cache
def cues() -> Cues:
    data = load_json("claims.json")
    return Cues(
        rounds=tuple((a, b) for a, b in data["rounds"]),
        investor_cues=tuple(data["investor_cues"]),
        lead_cues=tuple(data["lead_cues"]),
        roles=tuple(sorted(data["roles"], key=len, reverse=True)),
        role_synonyms=data["role_synonyms"],
        contribution_verbs=frozenset(data["contribution_verbs"]),
        contribution_nouns=frozenset(data["contribution_nouns"]),
    )


@dataclass(frozen=True, slots=True)
class RawEntity:
    name: str
    label: str
    start: int  # token index in the doc
    end: int


@dataclass(slots=True)
class RawClaim:
    """A claim with entity names as written in the sentence; extract.py resolves them."""

    kind: ClaimKind
    start: int  # char offsets within the doc
    end: int
    quantity: Quantity | None = None
    fields: dict = field(default_factory=dict)
    status: str = ClaimStatus.ACTUAL
    period: str | None = None
    subject_explicit: bool = True
    cue: str | None = None
    anchor: int | None = None  # token index the claim hangs on (its amount or verb), for dating it


@dataclass(frozen=True, slots=True)
class SentenceContext:
    """What earlier sentences of the article tell a sentence read on its own."""

    previous_group: str | None = None  # "Five have joined": the group counted just before
    previous_company: str | None = None  # "It raised ...": the company funded just before
    main_company: str | None = None  # the company the article is about, for "the firm", "it"
    published: object | None = None  # the article's date (datetime.date), to resolve periods
    labels: dict[str, str] | None = None  # entity key -> the label its article-wide type gives it
    recent_company: str | None = None  # the one company the last sentences named (see extract.py)
    recent_event: str | None = None  # the event the article last named ("the tsunami"), for its counts
    health: bool = False  # the article names a disease: its "cases" are infections
    main_place: str | None = None  # the country or city an article about no company is about ("the economy")
    previous_subject: str | None = None  # the company the last sentence had as its subject, for its "It"
    described: dict[str, str] | None = None  # "the retailer" -> the one company the article calls a retailer
    deficit: str | None = None  # the measure a bare "the deficit" is in this article: 'trade', 'budget deficit'
    prices: str | None = None  # the measure bare "prices" are in this article: 'house prices' in a house-price story


def sentence_entities(sent: Span, labels: dict[str, str] | None = None) -> list[RawEntity]:
    """The entity spans of a sentence; `labels` (entity key -> label) puts the type the whole article
    gives a name in place of the label of this one mention ("TimeWarner" tagged ORG here, a company by
    the evidence of the article)."""
    labels = labels or {}
    return [RawEntity(s.kb_id_, labels.get(s.kb_id_, s.label_), s.start, s.end)
            for s in sent.doc.spans[ENTITY_KEY] if sent.start <= s.start and s.end <= sent.end]


def sentence_quantities(sent: Span) -> list[Span]:
    return [s for s in sent.doc.spans[QUANTITY_KEY] if sent.start <= s.start and s.end <= sent.end]


def subject_of(verb: Token) -> Token | None:
    """The subject of a verb, looking up through raising and control chains: in 'Andreessen Horowitz is
    reported to be leading the round' the subject of 'leading' is Andreessen Horowitz."""
    node = verb
    for _ in range(3):
        subject = next((t for t in node.children if t.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None and subject.tag_ in ("WDT", "WP") and node.dep_ == "relcl":
            # "SoftBank, which put in around $500 million": the relative's antecedent, the name right
            # before "which" when there is one (the parser may hang the clause on an earlier noun)
            before = subject.i - 1
            while before > 0 and subject.doc[before].is_punct:
                before -= 1
            return subject.doc[before] if subject.doc[before].pos_ == "PROPN" else node.head
        if subject is not None:
            return subject
        if node.dep_ not in ("advcl", "acl", "conj", "xcomp", "relcl", "pcomp", "ccomp", "prep") or node.head is node:
            return None
        node = node.head
    return None


def names_at(subject: Token, entities: list[RawEntity]) -> list[str]:
    """The entities a subject and its conjuncts name: 'Microsoft Corp.' for the head 'Corp.'."""
    names = []
    for head in (subject, *subject.conjuncts):
        start = min([c.i for c in head.children if c.dep_ == "compound"] + [head.i])
        names += [e.name for e in entities if e.label in (COMPANY, ORG, PERSON) and e.start <= head.i
                  and e.end > start]
    return names


def entity_at(token: Token, entities: list[RawEntity], labels=(COMPANY, ORG)) -> RawEntity | None:
    """The entity whose span holds the token (or the token's compound modifiers)."""
    start = min([c.i for c in token.children if c.dep_ == "compound"] + [token.i])
    return next((e for e in entities if e.label in labels
                 and (e.start <= token.i < e.end or start <= e.start <= token.i)), None)


def entity_in(entities: list[RawEntity], start: int, end: int) -> str | None:
    """The first company or organisation named in tokens [start, end)."""
    return next(iter(names_in(entities, start, end)), None)


def names_in(entities: list[RawEntity], start: int, end: int) -> dict[str, None]:
    """The companies and organisations named in tokens [start, end), in order, each once."""
    return dict.fromkeys(e.name for e in entities if start <= e.start and e.end <= end and e.label in (COMPANY, ORG))


@cache
def known_non_companies() -> frozenset[str]:
    """Gazetteer organisations that are not companies (news outlets, agencies, governments): nobody funds
    or values them, whatever the parse says about 'Sources close to Bloomberg report ...'."""
    return frozenset(e["name"] for e in load_gazetteer() if e["type"] != "company")


# News outlets and sources a sentence cites ("according to Reuters", "Sources close to Bloomberg report
# that ...", "reports Reuters") are never the company a claim is about.
ATTRIBUTION_WORDS = frozenset({"report", "say", "tell", "cite", "according", "source", "confirm", "write"})


def is_attribution(sent: Span, e: RawEntity) -> bool:
    """Is the entity the source of the sentence rather than part of what it reports?"""
    doc = sent.doc
    if e.start - sent.start <= 3 and e.start > 0 and doc[e.start - 1].text == "(" and \
            e.end < len(doc) and doc[e.end].text == ")":
        return True  # dateline: "AMSTERDAM (Reuters) - ..."
    node = doc[e.start:e.end].root
    for _ in range(4):
        if node.head is node or node.dep_ in ("ccomp", "xcomp", "conj"):
            return False  # inside the reported content
        node = node.head
        if node.lower_ == "according":
            return True
        if node.lemma_.lower() in ATTRIBUTION_WORDS:
            # "X reports that ...", "..., reports X": the verb frames a clause; "X reported revenue" does not
            return node.dep_ == "parataxis" or any(c.dep_ in ("ccomp", "parataxis") for c in node.children)
    return False


def polled_by(sent: Span, e: RawEntity) -> bool:
    """'Analysts polled by FactSet had expected ...', 'a survey compiled by Reuters': the one who gathered others'
    figures, never their subject."""
    by = sent.doc[e.start:e.end].root.head
    return by.lower_ == "by" and by.head.lemma_.lower() in POLLING_VERBS


# Verbs of gathering others' figures: "analysts polled by FactSet", "a survey compiled by Reuters".
POLLING_VERBS = frozenset({"poll", "survey", "compile", "track", "canvass", "interview"})


# segment_of: the measure of sales counted over the same stores or outlets as a year before.
SAME_STORE_SALES = "same-store sales"
# Tokens before a sales word its same-store modifier may take: "like - for - like" is five.
SAME_STORE_WORDS = 5
# segment_of: a part of the measure (a product's, a region's, a channel's), which is no measure of ours.
SEGMENT = "segment"
# Entity types of a modifier that leave the whole measure: dates ("fourth-quarter sales") and numbers; and a name
# of an organisation, which owns it ("Nike revenue").
_WHOLE_ENTITY_TYPES = frozenset({"DATE", "TIME", "ORDINAL", "CARDINAL", "MONEY", "PERCENT", "QUANTITY", "ORG"})


def segment_of(cue: Token) -> str | None:
    """What the modifiers of a revenue word make of it: 'like-for-like sales', 'comparable sales' are
    SAME_STORE_SALES; 'iPhone sales', 'Drinks sales', 'online sales', 'US sales', 'European sales' a SEGMENT;
    'annual sales', 'fourth-quarter sales', 'its sales', 'Nike revenue' None (the whole). The cue is a word of
    one of the measures a modifier parts (models/measures.json "segments")."""
    voc = vocabulary()
    # read off the words, not the parse: the model reads "Like-for-like sales" as an interjection and more
    before = cue.doc[max(cue.sent.start, cue.i - SAME_STORE_WORDS):cue.i].text.lower()
    written = " " + re.sub(r"\s*-\s*", "-", " ".join(before.split()))
    if any(written.endswith((" " + s, "-" + s)) for s in voc.same_store):
        return SAME_STORE_SALES
    if any(c.dep_ == "prep" and c.lower_ in ("in", "across") and any(
            g.dep_ == "pobj" and g.ent_type_ in ("GPE", "LOC") for g in c.children) for c in cue.children) or any(
            c.dep_ == "advmod" and c.lower_ == "there" for c in cue.children):
        return SEGMENT  # "its sales in India", "sales there fell 16%": one market's sales, not the revenue
    if any(c.dep_ == "prep" and c.lower_ in ("in", "at", "from") and any(
            g.dep_ == "pobj" and _a_company_part(g) for g in c.children) for c in cue.children):
        return SEGMENT  # "Sales in Dr Reddy's generics business fell 8.6%": one business's sales
    mods = [c for c in cue.children if c.dep_ in ("compound", "amod", "nmod") and c.i < cue.i]
    if not mods:
        return None
    for t in cue.doc[min(m.left_edge.i for m in mods):cue.i]:
        if t.is_punct or t.like_num or t.ent_type_ in _WHOLE_ENTITY_TYPES or t.dep_ in ("det", "poss", "case") or \
                t.lemma_.lower() in voc.segment_generic or t.lower_ in voc.segment_generic:
            continue
        if t.pos_ in ("NOUN", "PROPN") or (t.pos_ in ("ADJ", "VERB") and (
                t.lower_ in voc.segment_adjectives or t.ent_type_ in ("NORP", "GPE", "LOC"))):
            return SEGMENT
    return None


def _a_company_part(noun: Token) -> bool:
    """'its generics business', 'the division', 'US operations': a part of a company; a business or operations
    only with a word of its own before it ('in the business' may be the whole)."""
    voc = vocabulary()
    lemma = noun.lemma_.lower()
    if noun.pos_ != "NOUN" or noun.lower_ not in voc.segment_parts and lemma not in voc.segment_parts:
        return False
    if lemma in ("business", "operation"):
        return any(c.dep_ in ("compound", "amod", "nmod") and c.i < noun.i and
                   c.lower_ not in voc.segment_generic for c in noun.children)
    return True


# Words that stand for the company the article is about when a sentence does not name it.
GENERIC_COMPANY_WORDS = frozenset({"company", "firm", "startup", "start-up", "group", "business", "retailer",
                                   "bank", "carmaker", "insurer", "airline", "lender", "maker", "giant",
                                   "operator", "brewer", "chain", "conglomerate"})
# Pronouns that do the same.
GENERIC_PRONOUNS = frozenset({"it", "its"})
# Company words that say what kind of company it is: an article that gives one company such a word by name
# ("Circuit City, the second-largest electronics retailer", "US insurer Marsh") means it by "the retailer".
DESCRIPTIVE_COMPANY_WORDS = GENERIC_COMPANY_WORDS - {"company", "firm", "startup", "start-up", "group", "business",
                                                     "giant"}


def generic_company_ref(token: Token) -> bool:
    """'it', 'the company', 'the retailer': a reference to a company the sentence does not name."""
    if token.lower_ in GENERIC_PRONOUNS:
        return True
    return token.lemma_.lower() in GENERIC_COMPANY_WORDS and any(
        c.dep_ in ("det", "poss") and c.lower_ in ("the", "this", "its") for c in token.children) and \
        not any(c.dep_ in ("compound", "amod") and c.pos_ == "PROPN" for c in token.children)


def subject_company(sent: Span, labels: dict[str, str] | None = None, main_clause: bool = False,
                    kinds: tuple[str, ...] = (COMPANY,)) -> str | None:
    """The company the sentence is about when it is the grammatical subject ('ASML has strengthened ...');
    main_clause: of the sentence's own verb, not of a clause inside it ("X sued [Morgan Stanley to return]");
    kinds: the entity labels that count (an organisation too, for whom a next sentence's "It" may stand)."""
    entities = sentence_entities(sent, labels)
    for e in entities:
        root = sent.doc[e.start:e.end].root
        if e.label in kinds and root.dep_ in ("nsubj", "nsubjpass") and (not main_clause or (
                root.head == sent.root and not any(c.dep_ in ("nsubj", "nsubjpass") and c.i < root.i
                                                   for c in root.head.children))):
            return e.name  # (the model gives "the administrator sued Morgan Stanley" two subjects: the first)
    for e in entities:
        root = sent.doc[e.start:e.end].root
        if e.label in kinds and root.dep_ == "pobj" and root.head.dep_ == "agent" and \
                root.head.head == sent.root and (not main_clause or root.head.head.dep_ == "ROOT"):
            return e.name  # "Consolidation is being driven by Constellation": the passive's doer
    return None


def it_is_the_subject(sent: Span) -> bool:
    """'It seized the top spot when ...', 'Since then, it has paid $1bn': the sentence's own subject is 'it'."""
    return any(t.lower_ == "it" and t.dep_ in ("nsubj", "nsubjpass") and t.head == sent.root for t in sent)


def generic_subject(sent: Span) -> bool:
    """'It raised ...', 'The startup is valued at ...': the article's company, unnamed here."""
    return any(t.dep_ in ("nsubj", "nsubjpass") and (t.lower_ in ("it", "they") or t.lemma_.lower() in (
        "company", "startup", "start-up", "firm", "business")) for t in sent)


def place_name(token: Token) -> str:
    """The name of the place (GPE) entity a token is part of: "US" of "the US economy"."""
    return normalize_name(next(e.text for e in token.doc.ents if e.start <= token.i < e.end))


def resolve_reference(token: Token | None, sent: Span, entities: list[RawEntity],
                      ctx: SentenceContext, places: bool = False) -> tuple[str | None, bool]:
    """A holder token -> (entity name, named in the sentence). A name is itself ("the mill, Krivorizhstal,"
    by its apposition); with places=True a country or city is one too ("India's defence budget"); 'it',
    'its', 'the company' are the company this sentence's subject names ("Acme said that its revenue
    rose"), else the company the article is about; any other word leaves the holder unknown."""
    if token is None:
        return None, True
    for t in (token, *(c for c in token.children if c.dep_ == "appos")):
        e = entity_at(t, entities, labels=(COMPANY, ORG, PERSON))
        if e is not None:
            return e.name, True
    if places:
        place = token if token.ent_type_ == "GPE" else next(
            (c for c in token.children if c.ent_type_ == "GPE" and c.dep_ in ("poss", "compound")), None)
        if place is not None:
            return place_name(place), True
    if not generic_company_ref(token):
        return None, True
    if its_other_owner(token, entities):
        return None, True  # "The club managed to reduce its losses": the club's, not the article's company's
    described = (ctx.described or {}).get(token.lemma_.lower())
    if described is not None:
        return described, False  # "Shares in the retailer were up 19.6%": the company the article calls so
    named = subject_company(sent, ctx.labels)
    if named is not None and sent.doc[min(e.start for e in entities if e.name == named)].i < token.i:
        return named, True
    if ctx.previous_subject and token.lower_ in GENERIC_PRONOUNS and not named and (
            sent.doc[sent.start:token.i].text.strip(" \"'") == "" or it_is_the_subject(sent)):
        # "Walmart reported revenue of $173.4bn. It also said it would cut 1,500 jobs", "Since then, it has paid
        # $1bn for ...": a sentence whose own subject is "It" goes on about the company the last one had as its
        # subject
        return ctx.previous_subject, False
    return (ctx.main_company, False) if ctx.main_company else (None, True)


def its_other_owner(token: Token, entities: list[RawEntity]) -> bool:
    """'its' whose clause has for subject a noun that is no company word and no name ('The club managed to reduce
    its losses'): the noun's, not a company the article names."""
    owner = clause_subject(token) if token.lower_ == "its" else None
    return owner is not None and owner.pos_ == "NOUN" and not generic_company_ref(owner) and \
        not any(e.start <= owner.i < e.end for e in entities)


def clause_subject(token: Token) -> Token | None:
    """The subject of the clause a word sits in ('The club managed to reduce [its] losses' -> club)."""
    node = token
    for _ in range(6):
        if node.pos_ in ("VERB", "AUX") and (subject := subject_of(node)) is not None and \
                not subject.left_edge.i <= token.i <= subject.right_edge.i:  # not "[its profits] rose"
            return subject
        if node.head is node:
            return None
        node = node.head
    return None


# Prepositions that name a trading partner: "exports to China", "imports from Japan", "trade with the EU".
PARTNER_PREPS = frozenset({"to", "from", "with", "into"})


def a_partner(place: Span) -> bool:
    """'Latin American exports to China', 'imports from Japan', 'trade with the EU': the other side of a
    trade, not the place whose figure it is ('exports from China' and 'imports into the US' are theirs)."""
    prep = place.root.head
    if place.root.dep_ != "pobj" or prep.lower_ not in PARTNER_PREPS:
        return False
    flow = prep.head.lemma_.lower()
    if flow.startswith("export"):
        return prep.lower_ != "from"
    if flow.startswith("import"):
        return prep.lower_ not in ("to", "into")
    return True


def names_a_partner(sent: Span, phrase: Token) -> bool:
    """The phrase names a trading partner ("Latin American exports to China"): a flow with one partner, not the
    place's total."""
    return any(e.label_ == "GPE" and phrase.left_edge.i <= e.start <= phrase.right_edge.i and a_partner(e)
               for e in sent.ents)


def _trading_venue(sent: Span, e: RawEntity) -> bool:
    """'closed down 19.84% at 151.5 pence on the London Stock Exchange': the exchange a share trades on, named after
    "on", owns no figure of the sentence."""
    span = sent.doc[e.start:e.end]
    return span.root.dep_ == "pobj" and span.root.head.lower_ == "on" and (
        span.root.lower_ in ("exchange", "nasdaq", "bourse", "market") or "Exchange" in span.text)


def sole_owner(sent: Span, entities: list[RawEntity], ctx: SentenceContext,
               places: bool = False) -> tuple[str | None, bool]:
    """Whose a figure is when the grammar does not say ("while revenues grew 6.4% to $42.09bn", "Pre-tax
    profits rose 15%"): the one company the sentence names, else (with places=True) its one country, else,
    when it names none, the company the article is about (or, when none is, the one the last sentences
    named). Two candidates: nobody can tell."""
    entities = [e for e in entities if not _trading_venue(sent, e)]
    companies = {e.name for e in entities if e.label == COMPANY and not is_attribution(sent, e)}
    if len(companies) == 1:
        return companies.pop(), True
    if companies:
        return None, True
    speakers = {e.name for e in entities if e.label == COMPANY and e.name not in known_non_companies()}
    if len(speakers) == 1 and not any(e.label == ORG for e in entities):
        return speakers.pop(), True  # "Acme Holdings said sales fell 2%": the company that gives its own figures
    if places:
        countries = {normalize_name(e.text) for e in sent.ents if e.label_ == "GPE" and not a_partner(e)}
        if len(countries) == 1:
            return countries.pop(), True
        if countries:
            return None, True
    if any(e.label == ORG and not is_attribution(sent, e) for e in entities):
        return None, True  # "the SEC cut ...": an organisation may own it as well as the article's company
    # "Mahindra has reported a 52% rise in net profit. Profit was 1.33bn rupees": a sentence that names nobody
    # goes on about the company the last one had as its subject, even in a story about another
    fallback = ctx.previous_subject or ctx.main_company or (ctx.main_place if places else None) or ctx.recent_company
    return (fallback, False) if fallback else (None, True)
