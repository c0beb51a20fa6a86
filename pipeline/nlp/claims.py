"""Read claims off an annotated sentence: money, counts, percentages and roles, with offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from spacy.tokens import Span, Token

from pipeline.nlp.build import load_gazetteer, load_json
from pipeline.nlp.components import COMPANY, COUNT, ENTITY_KEY, MONEY, ORG, PERCENT, PERSON, QUANTITY_KEY
from pipeline.nlp.numbers import parse_number
from pipeline.types import ClaimKind, Quantity

# How far (in tokens) past a state verb its organisation may stand: "left Meta",
# "remain employed at Meta", "have since joined rival Mistral".
MAX_ORG_DISTANCE = 5
# How far before a money span a funding cue still governs it ("backed by $2 billion").
MONEY_CUE_WINDOW = 8
# How far after a money span its noun phrase may run: "a €10bn pre-money valuation".
MONEY_TAIL_WINDOW = 5
# How far up the parse from a percentage its change word may be ('up 19% from ...' -> 'up').
PERCENT_HEAD_HOPS = 3
# How far up the parse from an amount the word it hangs off may be.
MONEY_PATH_HOPS = 3
# How many tokens after a person an apposition may name the role's organisation in
# ("Alex Kendall, 29, is the co-founder and CEO of autonomous driving startup Wayve").
ROLE_ORG_WINDOW = 18


@dataclass(frozen=True, slots=True)
class Cues:
    states: dict[str, str]  # verb lemma -> state
    group_heads: dict[str, str]  # noun lemma -> canonical group head
    money: dict[str, frozenset[str]]
    rounds: tuple[tuple[str, str], ...]
    investor_cues: tuple[str, ...]
    lead_cues: tuple[str, ...]
    measures: dict[str, str]
    up: frozenset[str]
    down: frozenset[str]
    roles: tuple[str, ...]
    role_synonyms: dict[str, str]
    contribution_verbs: frozenset[str]
    contribution_nouns: frozenset[str]


@cache
def cues() -> Cues:
    data = load_json("claims.json")
    pct = data["percentage"]
    return Cues(
        states={verb: state for state, verbs in data["count_states"].items() for verb in verbs},
        group_heads={w: canon for canon, words in data["group_heads"].items() for w in [canon, *words]},
        money={kind: frozenset(words) for kind, words in data["money"].items()},
        rounds=tuple((a, b) for a, b in data["rounds"]),
        investor_cues=tuple(data["investor_cues"]),
        lead_cues=tuple(data["lead_cues"]),
        measures={w: m for m, words in pct["measures"].items() for w in words},
        up=frozenset(pct["up"]),
        down=frozenset(pct["down"]),
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


def sentence_entities(sent: Span) -> list[RawEntity]:
    return [RawEntity(s.kb_id_, s.label_, s.start, s.end)
            for s in sent.doc.spans[ENTITY_KEY] if sent.start <= s.start and s.end <= sent.end]


def sentence_quantities(sent: Span) -> list[Span]:
    return [s for s in sent.doc.spans[QUANTITY_KEY] if sent.start <= s.start and s.end <= sent.end]


def extract_sentence(sent: Span, previous_group: str | None = None,
                     previous_company: str | None = None) -> list[RawClaim]:
    """Claims of one sentence. previous_group / previous_company carry the article's context:
    "Five have joined" counts the group named before; "It raised ..." funds the company named before."""
    entities = sentence_entities(sent)
    claims: list[RawClaim] = []
    group = previous_group
    quantities = sentence_quantities(sent)
    for index, q in enumerate(quantities):
        if q.label_ == MONEY:
            if _is_conversion(q, quantities[index - 1] if index else None):
                continue
            claims.extend(_money_claim(sent, q, entities, previous_company))
        elif q.label_ == PERCENT:
            claims.extend(_percentage_claim(sent, q, entities))
        elif q.label_ == COUNT:
            claim = _count_claim(sent, q, entities, group)
            if claim is not None:
                group = claim.fields["group"]
                claims.append(claim)
    claims.extend(_role_claims(sent, entities))
    return claims


# ---------------------------------------------------------------- counts

def _count_claim(sent: Span, q: Span, entities: list[RawEntity], context_group: str | None):
    doc = sent.doc
    quantity: Quantity = q._.nf_quantity
    if quantity is None or not _whole(quantity):
        return None
    if q.root.dep_ == "nummod" and _fronted_partitive(q.root.head.head) is not None:
        return None  # the 14 of "Of the 14 researchers, 11 have left": a total, not a claim of its own
    after = q.end
    total = None
    head: Token | None = None
    region_end = after
    if after < sent.end and doc[after].lower_ == "of":
        # "Eleven of the 14 scientists who ... have now left Meta"
        head, total = _partitive_group(sent, after + 1)
        if head is None:
            return None
        region_end = head.i + 1
        verb = _next_state_verb(sent, region_end, skip=set(t.i for t in head.subtree))
        region = range(after + 1, verb.i if verb is not None else _subtree_end(head))
    elif q.root.dep_ == "nummod" and q.root.head.pos_ in ("NOUN", "PROPN") and _group_head(q.root.head):
        # "Of the 11 researchers who left Meta", "200 employees were laid off"
        head = q.root.head
        verb = _governing_state_verb(head)
        region = range(head.left_edge.i, _subtree_end(head))
    elif after < sent.end and doc[after].pos_ in ("VERB", "AUX") and _state_of(doc[after]):
        # "with five joining Mistral", "Only three remain"
        verb = doc[after]
        region = range(q.start, q.start)
    elif q.root.dep_ in ("nsubj", "nsubjpass") and _state_of(q.root.head):
        verb = q.root.head
        region = range(q.start, q.start)
    else:
        return None
    if verb is None:
        return None
    state = _state_of(verb)
    if state is None:
        return None
    if head is None and (fronted := _fronted_partitive(verb)) is not None:
        # "Of the 14 researchers, 11 have since left Meta"
        head, total = fronted
        region = range(head.left_edge.i, _subtree_end(head))
    org = _state_org(sent, verb, state, entities)
    group = _group_name(sent, head, region, org) if head is not None else context_group
    if group is None:
        return None
    if total is not None and total < quantity.value:
        return None  # "3 of the 2 ..." is a misparse, not a claim
    return RawClaim(ClaimKind.COUNT, q.start_char, max(q.end_char, verb.idx + len(verb.text)),
                    quantity=quantity,
                    fields={"group": group, "state": state, "total": total, "org": org})


def _whole(quantity: Quantity) -> bool:
    """Counts are of whole things: 11, "a dozen", "between 10 and 15"; not 2.5."""
    bounds = [b for b in (quantity.interval.low, quantity.interval.high) if b is not None]
    if quantity.qualifier == "between":
        return all(float(b).is_integer() for b in bounds)
    return float(quantity.value).is_integer()


def _fronted_partitive(verb: Token) -> tuple[Token, int | None] | None:
    """'Of the 14 researchers, ...' in front of the verb: the group and its total."""
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ == "of" and child.i < verb.i:
            head = next((t for t in child.children if t.dep_ == "pobj"), None)
            if head is None or not _group_head(head):
                return None
            total = next((parse_number(t.text) for t in head.children if t.dep_ == "nummod"), None)
            return head, int(total) if total is not None and float(total).is_integer() else None
    return None


def _partitive_group(sent: Span, i: int) -> tuple[Token | None, int | None]:
    doc = sent.doc
    total = None
    for j in range(i, min(sent.end, i + 12)):
        t = doc[j]
        if t.like_num and total is None and j + 1 < sent.end and not t.ent_type_ == "DATE":
            value = parse_number(t.text)  # "14", "1,400" and "fourteen" alike
            total = int(value) if value is not None else None
        if j + 1 < sent.end and doc[j + 1].text == "-":
            continue  # first half of a hyphenated noun: "co-authors"
        if t.is_alpha and t.pos_ in ("NOUN", "PROPN") and _group_head(t) and not _is_possessor(t):
            if t.tag_ in ("NNS", "NNPS") or t.lemma_.lower() in cues().group_heads:
                return t, total
        if t.pos_ in ("VERB", "AUX") or t.lower_ in ("who", "that", "which"):
            break
    return None, None


def _is_possessor(t: Token) -> bool:
    return t.dep_ == "poss" or (t.i + 1 < len(t.doc) and t.doc[t.i + 1].tag_ == "POS")


def _group_head(t: Token) -> str | None:
    lemma = t.lemma_.lower()
    heads = cues().group_heads
    if lemma in heads:
        return heads[lemma]
    if t.i >= 2 and t.doc[t.i - 1].text == "-" and f"{t.doc[t.i - 2].lower_}-{lemma}" in heads:
        return heads[f"{t.doc[t.i - 2].lower_}-{lemma}"]
    if t.tag_ in ("NNS", "NNPS") and t.pos_ == "NOUN":
        return lemma + "s"
    return None


def _subtree_end(t: Token) -> int:
    return t.right_edge.i + 1


def _state_of(verb: Token) -> str | None:
    if verb.pos_ not in ("VERB", "AUX") and verb.lower_ not in ("remain", "remains"):
        return None
    lemma = verb.lemma_.lower()
    state = cues().states.get(lemma)
    if state == "lay off" and lemma == "lay":
        if not any(c.lower_ == "off" for c in verb.children) and not (
                verb.i + 1 < len(verb.doc) and verb.doc[verb.i + 1].lower_ == "off"):
            return None
    if verb.dep_ in ("aux", "auxpass"):
        return None
    if lemma in ("work", "go", "add", "move") and not _has_org_after(verb):
        return None
    return state


def _has_org_after(verb: Token) -> bool:
    return any(t.ent_type_ == "ORG" for t in verb.doc[verb.i + 1: verb.i + 1 + MAX_ORG_DISTANCE])


def _next_state_verb(sent: Span, start: int, skip: set[int]) -> Token | None:
    for t in sent.doc[start:sent.end]:
        if t.i in skip:
            continue
        if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("aux", "auxpass") and _state_of(t):
            return t
    return None


def _governing_state_verb(head: Token) -> Token | None:
    for child in head.children:  # relative clause: "researchers who left Meta"
        if child.dep_ in ("relcl", "acl") and _state_of(child):
            return child
    if head.dep_ in ("nsubj", "nsubjpass", "dobj") and _state_of(head.head):
        return head.head
    return None


def _state_org(sent: Span, verb: Token, state: str, entities: list[RawEntity]) -> str | None:
    orgs = [e for e in entities if e.label in (COMPANY, ORG)]
    org_names = {e.name for e in orgs}
    if state in ("lay off", "hire", "employ"):
        # the employer is the subject: "Alphabet Inc., the parent company of Google, said that it will cut ..."
        subject = _subject_of(verb)
        if subject is not None and subject.pos_ == "PRON" and verb.dep_ == "ccomp":
            subject = _subject_of(verb.head)
        named = [n for n in (_names_at(subject, entities) if subject is not None else []) if n in org_names]
        if named:
            return named[0]
        before = [e for e in orgs if e.end <= verb.i]
        if before:
            return before[-1].name
    for e in orgs:
        if verb.i < e.start <= verb.i + MAX_ORG_DISTANCE:
            return e.name
    if any(t.lemma_.lower() in GENERIC_COMPANY_WORDS for t in verb.subtree if t.i > verb.i):
        # "Three OpenAI leaders ... have left the company": the company named in the subject
        subject = _subject_of(verb)
        inside = [e for e in orgs if subject is not None and subject.left_edge.i <= e.start <= subject.i]
        if inside:
            return inside[0].name
    return None


def _group_name(sent: Span, head: Token, region: range, org: str | None) -> str:
    """'the 14 scientists who contributed to the 2023 Llama paper' -> 'llama paper researchers'."""
    canonical = _group_head(head) or head.lemma_.lower()
    doc = sent.doc
    for i in region:
        t = doc[i]
        if t.pos_ != "PROPN" or t.dep_ not in ("compound", "poss", "nmod", "amod"):
            continue
        if org and t.ent_type_ == "ORG" and org.lower().startswith(t.text.lower()):
            continue
        modified = t.head
        if modified.i == head.i:
            return f"{t.text.lower()} {canonical}"
        if modified.pos_ == "NOUN" and modified.tag_ == "NN":
            return f"{t.text.lower()} {modified.lemma_.lower()} {canonical}"
    return canonical


# ---------------------------------------------------------------- money

def _is_conversion(q: Span, previous: Span | None) -> bool:
    """'1.7 billion euros ($2 billion)': the bracketed amount restates the one before it in another
    currency; '($1 = 0.8495 euros)' is an exchange rate. Neither is a claim of its own."""
    doc = q.doc
    if q.start > 0 and doc[q.start - 1].text == "(" and previous is not None and previous.end == q.start - 1:
        return True
    return (q.end < len(doc) and doc[q.end].text == "=") or (q.start > 0 and doc[q.start - 1].text == "=")


def _tail_words(sent: Span, q: Span) -> set[str]:
    """Words right after an amount up to the next clause break: 'a €10bn pre-money valuation'."""
    words = set()
    for t in sent.doc[q.end: min(sent.end, q.end + MONEY_TAIL_WINDOW)]:
        if (t.is_punct and t.text not in ("-", "–")) or t.pos_ in ("VERB", "ADP", "CCONJ"):
            break
        words.add(t.lemma_.lower())
    return words


def _money_kind(sent: Span, q: Span) -> ClaimKind:
    c = cues()
    doc = sent.doc
    near = doc[max(sent.start, q.start - MONEY_CUE_WINDOW): min(sent.end, q.end + 4)]
    words = {t.lemma_.lower() for t in near} | {t.lower_ for t in near}
    # "at a $6 billion valuation", "valued at $6 billion": the nearest cue decides
    tail = _tail_words(sent, q)
    head = {t.lemma_.lower() for t in doc[max(sent.start, q.start - 3): q.start]}
    if tail & c.money["valuation"] or head & {"value", "valued", "worth", "valuation"}:
        return ClaimKind.VALUATION
    # the words the amount hangs off: "valuing the company at $157 billion", "its acquisition of X for
    # $69 billion", "SoftBank, which put in around $500 million"
    path = [t.lemma_.lower() for t in list(q.root.ancestors)[:MONEY_PATH_HOPS]]
    for lemma in path:
        if lemma in c.money["valuation"]:
            return ClaimKind.VALUATION
        if lemma in c.money["revenue"]:
            return ClaimKind.REVENUE
        if lemma in c.money["other"]:
            return ClaimKind.MONEY
        if lemma in c.contribution_verbs or lemma in c.money["funding"]:
            return ClaimKind.FUNDING
    if tail & c.money["revenue"] or head & c.money["revenue"]:
        return ClaimKind.REVENUE
    if words & c.money["other"] and not (tail & c.money["funding"]):
        return ClaimKind.MONEY
    if words & c.money["funding"]:
        return ClaimKind.FUNDING
    if words & c.money["revenue"]:
        return ClaimKind.REVENUE
    return ClaimKind.MONEY


def _money_claim(sent: Span, q: Span, entities: list[RawEntity],
                 previous_company: str | None = None) -> list[RawClaim]:
    quantity: Quantity = q._.nf_quantity
    if quantity.unit is None or quantity.unit == "%":
        return []
    kind = _money_kind(sent, q)
    investors, leads = _investors(sent, entities)
    contributors = _contributors(q, entities) if kind is ClaimKind.FUNDING else []
    not_funded = set(investors) | set(contributors) | set(_sentence_contributors(sent, entities))
    companies = [e for e in entities if e.label in (COMPANY, ORG) and e.name not in not_funded
                 and not _attribution(sent, e)
                 and not (kind in (ClaimKind.FUNDING, ClaimKind.VALUATION) and e.name in _known_non_companies())]
    if not companies:
        companies = [e for e in _unrecognised_subject(sent) if e.name not in not_funded]
    if companies:
        company = _funded_company(sent, q, companies).name
    elif previous_company and (not_funded or _generic_subject(sent)):
        company = previous_company  # "It is backed by Nvidia and raised €600 million ..."
    else:
        return []
    if company in not_funded:
        return []  # "Microsoft Corp., which has already invested $13 billion in the startup": funded unnamed
    if kind is ClaimKind.FUNDING:
        rnd = _round(sent, q)
    elif kind is ClaimKind.VALUATION:
        rnd = "pre-money" if "pre" in _tail_words(sent, q) | {t.lower_ for t in sent.doc[q.start - 3:q.start]} \
            else None
    else:
        rnd = None
    return [RawClaim(kind, q.start_char, q.end_char, quantity=quantity, fields={
        "company": company,
        "round": rnd,
        "investors": tuple(dict.fromkeys(investors)) if kind is ClaimKind.FUNDING else (),
        "lead_investors": tuple(dict.fromkeys(leads)) if kind is ClaimKind.FUNDING else (),
        "contributor": " and ".join(contributors) or None,
    })]


def _contributors(q: Span, entities: list[RawEntity]) -> list[str]:
    """Who put this amount in: 'ASML is investing €1.3 billion in Mistral', 'Andreessen Horowitz is
    leading the round with a €200 million investment', 'Nvidia and Salesforce committing another
    €120 million'. The amount is then one investor's share, not the size of the round. An amount
    elsewhere in the clause ("as part of the startup's €1.7bn Series C") is not the share."""
    node = q.root
    if node.dep_ in ("pobj", "dobj", "compound", "nmod", "amod", "nummod") and \
            node.head.lemma_.lower() in cues().contribution_nouns:
        node = node.head  # "with a €200 million investment"
        if node.dep_ == "pobj" and node.head.lower_ == "with":
            node = node.head
    if node.dep_ not in ("dobj", "obj", "npadvmod", "prep", "attr"):
        return []
    verb = node.head
    if verb.pos_ not in ("VERB", "AUX") or verb.lemma_.lower() not in cues().contribution_verbs:
        return []
    subject = _subject_of(verb)
    if subject is None:
        return []
    return list(dict.fromkeys(_names_at(subject, entities)))


def _names_at(subject: Token, entities: list[RawEntity]) -> list[str]:
    """The entities a subject and its conjuncts name: 'Microsoft Corp.' for the head 'Corp.'."""
    names = []
    for head in (subject, *subject.conjuncts):
        start = min([c.i for c in head.children if c.dep_ == "compound"] + [head.i])
        names += [e.name for e in entities if e.label in (COMPANY, ORG, PERSON) and e.start <= head.i
                  and e.end > start]
    return names


@cache
def _known_non_companies() -> frozenset[str]:
    """Gazetteer organisations that are not companies (news outlets, agencies, governments): nobody funds
    or values them, whatever the parse says about 'Sources close to Bloomberg report ...'."""
    return frozenset(e["name"] for e in load_gazetteer() if e["type"] != "company")


def _sentence_contributors(sent: Span, entities: list[RawEntity]) -> list[str]:
    """Everyone the sentence says puts money in ('with Nvidia and Salesforce committing another €120m'):
    whatever amount a claim is about, they are investors, not the funded company."""
    names = []
    for verb in sent:
        if verb.pos_ != "VERB" or verb.lemma_.lower() not in cues().contribution_verbs:
            continue
        if any(t.dep_ == "agent" for t in verb.children) or (
                verb.tag_ == "VBN" and verb.dep_ in ("acl", "amod", "advcl")
                and not any(t.dep_ in ("nsubj", "aux") for t in verb.children)):
            continue  # "a round led by ASML": the funded company is the subject, ASML the agent
        subject = _subject_of(verb)
        if subject is not None:
            names += _names_at(subject, entities)
    return names


def _subject_of(verb: Token) -> Token | None:
    """The subject of a verb, looking up through raising and control chains: in 'Andreessen Horowitz is
    reported to be leading the round' the subject of 'leading' is Andreessen Horowitz."""
    node = verb
    for _ in range(3):
        subject = next((t for t in node.children if t.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None and subject.tag_ in ("WDT", "WP") and node.dep_ == "relcl":
            return node.head  # "SoftBank, which put in around $500 million": the relative's antecedent
        if subject is not None:
            return subject
        if node.dep_ not in ("advcl", "acl", "conj", "xcomp", "relcl", "pcomp", "ccomp", "prep") or node.head is node:
            return None
        node = node.head
    return None


def _leads_or_invests(root: Token) -> str | None:
    """'X led the round', 'X is reported to be leading the round': the investing verb X is subject of."""
    if root.dep_ not in ("nsubj", "nsubjpass"):
        return None
    verb = root.head
    for _ in range(3):
        if verb.lemma_.lower() in ("lead", "co-lead", "participate", "invest"):
            return verb.lemma_.lower()
        verb = next((t for t in verb.children if t.dep_ == "xcomp"), None)
        if verb is None:
            return None
    return None


# News outlets and sources a sentence cites ("according to Reuters", "Sources close to Bloomberg report
# that ...", "reports Reuters") are never the company a money claim is about.
ATTRIBUTION_WORDS = frozenset({"report", "say", "tell", "cite", "according", "source", "confirm", "write"})


def _attribution(sent: Span, e: RawEntity) -> bool:
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


GENERIC_COMPANY_WORDS = frozenset({"company", "firm", "startup", "start-up", "group", "business"})

# Roles held inside one company: with no organisation in the sentence, the company the story is about.
COMPANY_ROLES = frozenset({"co-founder", "ceo", "cto", "cfo", "coo", "chief revenue officer", "chief scientist",
                           "chief product officer", "president", "chair", "general manager", "managing director"})


def subject_company(sent: Span) -> str | None:
    """The company the sentence is about when it is the grammatical subject ('ASML has strengthened ...')."""
    for e in sentence_entities(sent):
        if e.label == COMPANY and sent.doc[e.start:e.end].root.dep_ in ("nsubj", "nsubjpass"):
            return e.name
    return None


def _generic_subject(sent: Span) -> bool:
    """'It raised ...', 'The startup is valued at ...': the article's company, unnamed here."""
    return any(t.dep_ in ("nsubj", "nsubjpass") and (t.lower_ in ("it", "they") or t.lemma_.lower() in (
        "company", "startup", "start-up", "firm", "business")) for t in sent)


def _unrecognised_subject(sent: Span) -> list[RawEntity]:
    """'Acme raised $5 million': a proper-noun subject of a funding verb the model did not tag."""
    for t in sent:
        if t.dep_ == "nsubj" and t.pos_ == "PROPN" and t.head.lemma_.lower() in cues().money["funding"]:
            start = min([c.i for c in t.children if c.dep_ == "compound"] + [t.i])
            return [RawEntity(sent.doc[start:t.i + 1].text, COMPANY, start, t.i + 1)]
    return []


def _funded_company(sent: Span, q: Span, companies: list[RawEntity]) -> RawEntity:
    doc = sent.doc
    for e in companies:  # the subject of raise/secure/close
        root = doc[e.start:e.end].root
        if root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_.lower() in cues().money["funding"]:
            return e
    # otherwise the closest company, preferring one before the amount ("Acme raised $5m")
    return min(companies, key=lambda e: (abs(e.start - q.start) if e.end <= q.start
                                         else 2 * abs(e.start - q.end)))


_LEAD = re.compile(r"\b(?:co-)?led by\b|\blead investor\b", re.IGNORECASE)


def _investors(sent: Span, entities: list[RawEntity]) -> tuple[list[str], list[str]]:
    """Names after an investor cue ("led by X with participation from Y and Z"); leads apart."""
    doc = sent.doc
    cue_words = [cue for cue in cues().investor_cues if cue not in ("and", "with")]
    investors: list[str] = []
    leads: list[str] = []
    in_lead_list = False
    for e in entities:
        if e.label not in (COMPANY, ORG, PERSON):
            continue
        window = doc[max(sent.start, e.start - 4): e.start]
        before = window.text.lower() + " "
        root = doc[e.start:e.end].root
        cued = _cued(window, cue_words)
        chained = bool(investors) and re.search(r"(?:,|\band\b)\s*$", before.rstrip() + " ") is not None
        lead_verb = _leads_or_invests(root)
        subject_of_lead = lead_verb is not None
        if not (cued or chained or subject_of_lead):
            in_lead_list = False
            continue
        investors.append(e.name)
        if _LEAD.search(before) or lead_verb in ("lead", "co-lead"):
            in_lead_list = True
        elif cued:
            in_lead_list = False
        if in_lead_list:
            leads.append(e.name)
    return investors, leads


def _cued(before: Span, cue_words: list[str]) -> bool:
    """An investor cue ends shortly before the name with nothing but modifiers in between: 'led by existing
    investor General Catalyst', 'from firms such as Lightspeed', but not 'a fall from grace for Klarna'."""
    text = before.text.lower() + " "
    for cue in cue_words:
        for m in re.finditer(rf"(?:^|\W)({re.escape(cue)})\W", text):
            gap = [t for t in before if t.idx - before.start_char >= m.end(1)]
            if not any(t.pos_ in ("ADP", "AUX", "PRON", "SCONJ") or (t.pos_ == "VERB" and t.dep_ not in (
                    "amod", "compound")) for t in gap):
                return True
    return False


_CUMULATIVE = re.compile(r"total (?:funding|funds|raised|amount)|to date", re.IGNORECASE)


def _round(sent: Span, q: Span) -> str | None:
    """The round named in the sentence whose nearest amount is this one: in "a €105 million Seed
    round ..., is closing €450m", the seed round is the €105 million. "bringing its total funding
    to ..." is the cumulative sum raised so far."""
    doc = sent.doc
    before = doc[max(sent.start, q.start - MONEY_CUE_WINDOW):q.start]
    lemmas = {t.lemma_.lower() for t in before}
    if "total" in lemmas and ("bring" in lemmas or _CUMULATIVE.search(before.text)):
        return "cumulative"
    text = sent.text.lower()
    amounts = [x for x in sentence_quantities(sent) if x.label_ == MONEY and not (
        x.start > 0 and doc[x.start - 1].text == "(")]  # a bracketed conversion is not an amount of its own
    best: tuple[float, str] | None = None
    for pattern, name in cues().rounds:
        for m in re.finditer(rf"\b{re.escape(pattern)}\b", text):
            if name == "debt" and "debt" not in text:
                continue
            mid = sent.start_char + (m.start() + m.end()) / 2
            nearest = min(amounts, key=lambda x: abs((x.start_char + x.end_char) / 2 - mid), default=None)
            if nearest is None or nearest.start != q.start:
                continue
            distance = abs((q.start_char + q.end_char) / 2 - mid)
            if best is None or distance < best[0]:
                best = (distance, name)
    return best[1] if best else None


def round_followup(sent: Span) -> tuple[str | None, list[str], list[str]] | None:
    """'The Series-B round included investments from firms such as Lightspeed, Andreessen Horowitz, ...':
    a sentence whose subject is the round just reported names its round and investors. Returns
    (round, investors, lead investors), or None when the sentence is not about 'the round'."""
    subject = next((t for t in sent if t.dep_ in ("nsubj", "nsubjpass")
                    and t.lemma_.lower() in ("round", "funding", "financing", "fundraise", "fundraising")
                    and any(d.lower_ in ("the", "this") for d in t.children if d.dep_ == "det")), None)
    if subject is None:
        return None
    words = sent.doc[subject.left_edge.i:subject.i + 1].text.lower().replace("series-", "series ")
    name = next((n for pattern, n in cues().rounds if re.search(rf"\b{re.escape(pattern)}\b", words)), None)
    investors, leads = _investors(sent, sentence_entities(sent))
    return name, investors, leads


# ---------------------------------------------------------------- percentages

def _percentage_claim(sent: Span, q: Span, entities: list[RawEntity]) -> list[RawClaim]:
    quantity: Quantity = q._.nf_quantity
    # the change word nearest the amount on its way up the parse decides the direction: "fell 20%",
    # "were up more than 3%", "up 19% from the previous quarter", "a 262% increase"
    direction = ""
    node = q.root
    for _ in range(PERCENT_HEAD_HOPS):
        direction = _direction(node)
        if direction or node.pos_ in ("VERB", "AUX") or node.head.i == node.i:
            break
        node = node.head
    verb = node
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    if not direction:
        direction = next((d for t in verb.children if t.dep_ in ("advmod", "prt", "acomp", "advcl")
                          and t.i < q.start and (d := _direction(t))), "")
    subject = next((t for t in verb.children if t.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None and verb.dep_ == "conj":  # "Shares surged 20% ... and were up more than 100%"
        subject = next((t for t in verb.head.children if t.dep_ in ("nsubj", "nsubjpass")), None)
    measure = None
    owner = None
    if subject is not None:
        measure = _first_measure(subject.subtree)
        owner = _entity_in(entities, subject.left_edge.i, subject.right_edge.i + 1)
    # "revenues of $7.1 billion, up 50%": the nearest measure word before the figure;
    # "cut more than 15% of its workforce": one right after it
    measure = measure or _first_measure(reversed(sent.doc[sent.start:q.start])) or \
        _first_measure(sent.doc[q.end:min(sent.end, q.end + 4)])
    if owner is None:
        owner = _entity_in(entities, sent.start, q.start)
    if owner is None or not direction:
        return []
    period = None
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in ("over", "since", "in", "during", "from") and \
                child.i > q.start:
            period = sent.doc[child.i: child.right_edge.i + 1].text
            break
    return [RawClaim(ClaimKind.PERCENTAGE, q.start_char, q.end_char, quantity=quantity, fields={
        "subject": owner, "measure": measure or "value", "direction": direction, "period": period})]


def _first_measure(tokens) -> str | None:
    """The measure the first measure word among the tokens names ('shares' -> 'stock price')."""
    measures = cues().measures
    return next((m for t in tokens if (m := measures.get(t.lemma_.lower()) or measures.get(t.lower_))), None)


def _direction(t: Token) -> str:
    lemma = t.lemma_.lower()
    if lemma in cues().up:
        return "up"
    if lemma in cues().down or (lemma == "off" and t.head.lemma_ == "be"):
        return "down"
    return ""


def _founder_chain(sent: Span, person: RawEntity, people: list[RawEntity]) -> bool:
    """The person stands right after 'founded by' (modifiers allowed) or in a list that does."""
    doc = sent.doc
    gap = doc[max(sent.start, person.start - 6):person.start].text
    if re.search(r"founded\s+by\b", gap, re.I):
        return True
    prev = [p for p in people if p.end <= person.start]
    return bool(prev) and doc[prev[-1].end:person.start].text.strip() in ("and", ",", ", and") and \
        _founder_chain(sent, prev[-1], people)


def _entity_in(entities: list[RawEntity], start: int, end: int, before_only: bool = False) -> str | None:
    candidates = [e for e in entities if start <= e.start and e.end <= end and e.label in (COMPANY, ORG)]
    if before_only:
        return candidates[0].name if candidates else None
    for e in entities:
        if start <= e.start and e.end <= end and e.label in (COMPANY, ORG):
            return e.name
    return None


# ---------------------------------------------------------------- roles

def _role_claims(sent: Span, entities: list[RawEntity]) -> list[RawClaim]:
    doc = sent.doc
    claims = []
    people = [e for e in entities if e.label == PERSON]
    roles = _roles_re()
    for person in people:
        # "Marjorie Janiewicz, former chief revenue officer at Foursquare,"
        after = doc[person.end: min(sent.end, person.end + 10)].text
        m = re.match(rf"^\s*,\s*(?:the\s+|a\s+)?(former\s+|ex-)?({roles})\s+(?:at|of|for)\s+",
                     after, re.IGNORECASE)
        if m:
            org = _entity_in(entities, person.end, min(sent.end, person.end + 12))
            if org:
                claims.append(_role(doc, person, m.group(2), org, bool(m.group(1))))
        # "Mira Murati, OpenAI's chief technology officer,", "Karén Simonyan, a co-founder of Inflection",
        # "Alex Kendall, 29, is the co-founder and CEO of autonomous driving startup Wayve"
        m = re.match(rf"^\s*(?:,\s*\d+\s*)?(?:,\s*(?:(?:is|was|has\s+been|became)\s+)?|\s+(?:is|was|has\s+been|became)"
                     rf"\s+)(?:(?:named|appointed)\s+(?:as\s+)?)?(?:the\s+|a\s+|an\s+)?"
                     rf"(former\s+|ex-)?(?:(\S+?)(?:'s|’s)\s+)?({roles})(?:\s+and\s+({roles}))?\b"
                     rf"(?:\s+(?:at|of|for)\s+)?", doc[person.end: min(sent.end, person.end + ROLE_ORG_WINDOW)].text,
                     re.IGNORECASE)
        if m and (m.group(2) or m.group(0).rstrip().endswith(("at", "of", "for"))):
            org = _entity_in(entities, person.end, min(sent.end, person.end + ROLE_ORG_WINDOW))
            if org:
                for role in (m.group(3), m.group(4)):
                    if role:
                        claims.append(_role(doc, person, role, org, bool(m.group(1))))
        # "the former head of alignment at OpenAI Jan Leike"
        m = re.search(rf"(former\s+|ex-)?\b({roles})\s+(?:of\s+[a-z]+\s+)?(?:at|of)\s+\S+(?:\s+\S+)?\s*$",
                      doc[max(sent.start, person.start - 9): person.start].text, re.IGNORECASE)
        if m:
            org = _entity_in(entities, max(sent.start, person.start - 3), person.start)
            if org:
                claims.append(_role(doc, person, m.group(2), org, bool(m.group(1))))
        # "... recruitment of Marjorie Janiewicz, ..., as its first U.S. general manager"
        later = doc[person.end: min(sent.end, person.end + 20)].text
        m = re.search(rf"\bas\s+(?:its|their|the\s+company's)\s+(?:first\s+|new\s+)?(?:\S+\s+){{0,2}}?"
                      rf"({roles})\b", later, re.IGNORECASE)
        if m:
            company = _entity_in(entities, sent.start, person.start, before_only=True)
            if company:
                claims.append(_role(doc, person, m.group(1), company, False))
        # "a Paris-based startup founded by former Meta researchers A and B"
        before = doc[max(sent.start, person.start - 6): person.start].text
        founded = re.search(r"\b(co-?)?founded\s+by\b", doc[sent.start:person.start].text[-80:], re.I)
        if founded and _founder_chain(sent, person, people):
            company = _entity_in(entities, sent.start, person.start, before_only=True)
            if company:
                role = "co-founder" if founded.group(1) else "founder"
                claims.append(_role(doc, person, role, company, False))
        # "co-founders Guillaume Lample and ...", "Mistral CEO Arthur Mensch", "former Meta researchers A and B",
        # "Researchers like A and B, now at Mistral"
        m = re.search(rf"(former\s+|ex-)?(?:(?-i:[A-Z][\w&.'’-]*)\s+){{0,3}}({roles})s?"
                      rf"(?:\s+and\s+({roles}))?(?:\s+(?:like|such\s+as|including))?\s*,?\s*$", before, re.IGNORECASE)
        anchor = person
        if m is None and person.start > 0:
            m, anchor = _conjunct_role(sent, person, people)
        if m:
            org_words = doc[max(sent.start, anchor.start - 8): anchor.start]
            org = _entity_in(entities, org_words.start, person.start)
            if org is None:
                org = _now_at(sent, person, people, entities)
            claims.append(_role(doc, person, m.group(2), org, bool(m.group(1))))
            if m.re.groups >= 3 and m.group(3):  # "co-founder and CEO Arthur Mensch"
                claims.append(_role(doc, person, m.group(3), org, bool(m.group(1))))
    return claims


def _now_at(sent: Span, person: RawEntity, people: list[RawEntity], entities: list[RawEntity]) -> str | None:
    """'A and B, now at Mistral': the organisation after a list of people, for each of them."""
    doc = sent.doc
    end = person.end
    for other in people:
        if other.start >= end and doc[end:other.start].text.strip() in ("and", ",", ", and"):
            end = other.end
    m = re.match(r"^\s*,?\s*(?:now|currently)\s+(?:at|with)\s+", doc[end:min(sent.end, end + 4)].text, re.I)
    return _entity_in(entities, end, min(sent.end, end + 6)) if m else None


def _conjunct_role(sent: Span, person: RawEntity, people: list[RawEntity]):
    """'co-founders A and B', 'researchers like A and B': B inherits A's role."""
    doc = sent.doc
    for other in people:
        if other.end <= person.start and doc[other.end:person.start].text.strip() in ("and", ",", ", and"):
            before = doc[max(sent.start, other.start - 6): other.start].text
            m = re.search(rf"(former\s+|ex-)?(?:(?-i:[A-Z][\w&.'’-]*)\s+){{0,3}}({_roles_re()})s"
                          rf"(?:\s+(?:like|such\s+as|including))?\s*$", before, re.IGNORECASE)
            if m is None:
                m, other = _conjunct_role(sent, other, people)
            return m, other
    return None, person


@cache
def _roles_re() -> str:
    return "|".join(re.escape(r).replace(r"\-", r"\s*-\s*") for r in cues().roles)


def canonical_role(role: str) -> str:
    """'Co-founders' / 'founder' -> 'co-founder'; 'chief executive' -> 'ceo'."""
    role = re.sub(r"\s*-\s*", "-", role.lower()).strip()
    role = role[:-1] if role.endswith("s") and role[:-1] in cues().roles else role
    return cues().role_synonyms.get(role, role)


def _role(doc, person: RawEntity, role: str, org: str | None, former: bool) -> RawClaim:
    span = doc[person.start:person.end]
    return RawClaim(ClaimKind.ROLE, span.start_char, span.end_char, fields={
        "person": person.name, "role": canonical_role(role), "org": org,
        "former": former})
