"""Counts of people in general news: tolls, injuries, arrests, evacuations, crowds, cases, votes and seats
("At least three people from Scotland died in the tsunami", "police arrested 224 people in a crackdown",
"by 297 votes to 203"), each with the group counted, the event it belongs to, the place, and who says so.

The measure comes from the grammar around the number, never from a word nearby: the verb whose patient the
people are ("20 people were killed", "killed 20 people"), the verb whose subject they are ("20 died"), an
adjective ("left 20 dead", "158 others missing"), a noun that counts them ("34 deaths", "432 new cases",
"a crowd of 360,000") or a noun they are "of" ("the murder of one Chilean"). The vocabulary is the
`events` section of models/measures.json.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Span, Token

from pipeline.nlp.build import load_json
from pipeline.nlp.claims.common import RawClaim, RawEntity
from pipeline.nlp.claims.context import claim_status
from pipeline.types import ClaimKind, Interval, Quantity

# Groups that say nothing about who was counted: "20 people" and "20" are one group for comparing.
GENERIC_GROUPS = frozenset({"people", "person", "persons", "individuals", "others", "other"})
REPORTING_VERBS = frozenset({"say", "tell", "announce", "confirm", "report", "state", "add", "estimate", "claim",
                             "tweet", "write", "warn", "reveal", "disclose", "expect", "believe", "put", "insist",
                             "show", "suggest", "indicate", "tout", "publish", "release", "cite", "quote"})
# Nouns a figure is reported in: "estimates that 2.2 million could die", "figures show ..."
REPORT_NOUNS = frozenset({"estimate", "figure", "report", "data", "statistic", "count", "tally", "projection",
                          "survey", "poll", "census"})
_VOTE_RANGE = re.compile(r"^(\d[\d,]*)\s*[-–]\s*(\d[\d,]*)$")
PLACE_LABELS = ("GPE", "LOC")
# Raising verbs between the people and their state: "41 Britons are now confirmed to have died",
# "150,000 people are feared to be dead".
RAISING_VERBS = frozenset({"confirm", "fear", "believe", "report", "think", "know", "say", "presume", "expect",
                           "feared", "seem", "appear", "be", "have", "remain"})
PREPOSITIONS_OF_EVENT = frozenset({"in", "after", "during", "following", "from", "since", "by", "amid", "at", "over"})


@dataclass(frozen=True, slots=True)
class EventVocabulary:
    patient_verbs: dict[str, str]
    subject_verbs: dict[str, str]
    subject_particles: dict[str, str]
    adjectives: dict[str, str]
    nouns: dict[str, str]
    of_nouns: dict[str, str]
    tolls: frozenset[str]
    case_context: frozenset[str]
    people: frozenset[str]
    events: frozenset[str]
    vote_flip: tuple[str, ...]


def _inverted(table: dict[str, list[str]]) -> dict[str, str]:
    return {word: measure for measure, words in table.items() for word in words}


@cache
def event_vocabulary() -> EventVocabulary:
    data = load_json("measures.json")["events"]
    return EventVocabulary(
        patient_verbs=_inverted(data["patient_verbs"]), subject_verbs=_inverted(data["subject_verbs"]),
        subject_particles=data["subject_particles"], adjectives=_inverted(data["adjectives"]),
        nouns=_inverted(data["nouns"]), of_nouns=_inverted(data["of_nouns"]), tolls=frozenset(data["tolls"]),
        case_context=frozenset(data["case_context"]), people=frozenset(data["people"]),
        events=frozenset(data["events"]), vote_flip=tuple(data["vote_flip"]))


def event_count_claims(sent: Span, q: Span, entities: list[RawEntity], recent_event: str | None = None,
                       health: bool = False) -> list[RawClaim]:
    """The event counts one number of the sentence states (two for a vote: for and against). A sentence
    that names no event gets the one the article named last (`recent_event`), never keyed by it. `health`:
    the article names a disease (see is_health_article), so its 'cases' are infections."""
    quantity: Quantity = q._.nf_quantity
    if quantity is None or quantity.value <= 0:
        return []
    doc = sent.doc
    if _negated(q):
        return []  # "No one died", "no-one got injured"
    votes = _vote_claims(sent, q, quantity, recent_event)
    if votes is not None:
        return votes
    if not float(quantity.value).is_integer() or _SCORE.match(q.text.replace(" ", "")):
        return []  # "2.5", "drew 1-1"
    if quantity.value == 1 and q.end < sent.end and doc[q.end].lower_ == "of":
        return []  # "one of the", "one of four Britons"
    partitive = _partitive(q)
    if partitive is not None:  # "two of the five arrested were released", "12 of the dead were children"
        return [claim for part in partitive
                for claim in _claims(sent, q, quantity, entities, recent_event,
                                     [(part.measure, part.anchor)], part.group, None, part.total, conjoined=False)]
    root = q.root
    noun = _counted_noun(q)
    if noun is None and q.text.lower() == "one":
        return []  # "the one held by ...": a pronoun, not a count
    found = None
    if noun is not None and noun.i not in range(q.start, q.end) and not _is_people(noun):
        found = _noun_measure(noun, sent, health)
        group_token = None
    else:
        group_token = noun if noun is not None and noun.i not in range(q.start, q.end) else None
        # "hundreds of people died": the number stands where the people would
        of_people = group_token is not None and group_token.dep_ == "pobj" and group_token.head.head.i == root.i
        if group_token is None and _elided_other(sent, root):
            return []  # "killing a total of 91 foxes - only four were killed by hounds"
        found = _state_of_people(root if of_people or group_token is None else group_token)
        if found is None and group_token is not None and quantity.value > 1 and not of_people \
                and not _refers_back(q) and (m := _noun_measure(group_token, sent, health)) is not None:
            found = m  # "10,000 protesters", with no verb that says more (not "seven of the detainees")
    if found is None and group_token is not None:
        found = _party_seats(group_token)
    if found is None:
        return []
    group = _group_text(group_token) if group_token is not None else None
    return _claims(sent, q, quantity, entities, recent_event, [found], group, group_token or root,
                   _total_of_whom(found[1]))


def _claims(sent: Span, q: Span, quantity: Quantity, entities: list[RawEntity], recent_event: str | None,
            states: list[tuple[str, Token]], group: str | None, people: Token | None, total: int | None,
            conjoined: bool = True) -> list[RawClaim]:
    """The claims of one number: its state (and the states of verbs conjoined with it), with the sentence's
    event, place and claimant."""
    first = states[0][1]
    event, event_token = _event_of(sent, first, people or q.root)
    place = _place(sent, event_token, entities)
    explicit = event is not None
    event = event or recent_event
    claimant = claimant_of(sent, first, entities)
    claims = []
    for measure, anchor in [*states, *(_conjoined_states(first) if conjoined else [])]:
        start = min(q.start_char, anchor.idx)
        end = max(q.end_char, anchor.idx + len(anchor.text))
        claims.append(RawClaim(
            ClaimKind.COUNT, start, end, quantity=quantity, status=claim_status(anchor),
            subject_explicit=explicit, cue=anchor.lemma_.lower(), anchor=anchor.i,
            fields={"group": group or "people", "state": measure, "total": total, "org": None,
                    "specific": group is not None and group.split()[-1] not in GENERIC_GROUPS,
                    "event": event, "place": place, "claimant": claimant, "event_key": _event_key(event_token, place)}))
    return claims


@dataclass(frozen=True, slots=True)
class _Part:
    measure: str
    anchor: Token
    group: str | None
    total: int | None


def _partitive(q: Span) -> list[_Part] | None:
    """'Two of the five arrested were released' -> released 2 of 5, and arrested 5; '12 of the dead were
    children' -> 12 children killed; 'Of the 30 people killed, 12 were children' likewise. A part in a state
    of no measure ('three of the injured are in a critical condition') is no count: []. None: no partitive."""
    doc = q.doc
    root = q.root
    of = next((c for c in root.children if c.dep_ == "prep" and c.lower_ == "of" and c.i >= q.end), None)
    verb = root.head if root.dep_ in ("nsubj", "nsubjpass") else None
    if of is None and verb is not None:  # fronted: "Of the 30 people killed, 12 were children"
        of = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "of" and c.i < q.start), None)
    if of is None:
        return None
    whole = next((c for c in of.children if c.dep_ == "pobj"), None)
    if whole is None:
        return None
    total_token = whole if whole.like_num else next((c for c in whole.children if c.dep_ == "nummod"), None)
    total = _int(total_token.text) if total_token is not None else None
    whole_state = _whole_state(whole)
    if whole_state is None:
        return None
    measure, anchor = whole_state
    parts: list[_Part] = []  # the whole ("the five arrested") is a count of its own number
    if verb is None:
        return parts
    predicate = _through_raising(verb, passive=_is_passive(verb))
    if predicate is not None and predicate[0] != measure:  # "were released"
        parts.append(_Part(predicate[0], predicate[1], doc[anchor.i:anchor.i + 1].text, total))
        return parts
    attribute = next((c for c in verb.children if c.dep_ == "attr"), None)
    if verb.lemma_ == "be" and attribute is not None and _is_people(attribute):  # "were children"
        parts.append(_Part(measure, attribute, _group_text(attribute), total))
    return parts


def _whole_state(whole: Token) -> tuple[str, Token] | None:
    """The state the whole of a partitive is in: 'the dead', 'the injured', 'the five arrested', 'the 30
    people killed'."""
    voc = event_vocabulary()
    for t in (whole, *whole.children):
        if t is not whole and t.dep_ not in ("acl", "amod", "relcl"):
            continue
        if t.lower_ in voc.adjectives:
            return voc.adjectives[t.lower_], t
        if t.tag_ == "VBN" and t.lemma_.lower() in voc.patient_verbs:
            return voc.patient_verbs[t.lemma_.lower()], t
    if whole.lemma_.lower() in voc.nouns and whole.pos_ == "NOUN" and voc.nouns[whole.lemma_.lower()] != "cases":
        return voc.nouns[whole.lemma_.lower()], whole  # "of the fatalities"
    return None


def _elided_other(sent: Span, number: Token) -> bool:
    """Does a bare number stand for things the sentence counted before, not people ('91 foxes - only four
    were killed')?"""
    counted = [t.head for t in sent if t.i < number.i and t.dep_ == "nummod" and t.head.pos_ == "NOUN"]
    return bool(counted) and not _is_people(counted[-1])


def _total_of_whom(anchor: Token) -> int | None:
    """'a caseload of nearly 162,000, of whom 7,844 have died': the whole the part is 'of'."""
    if anchor.dep_ != "relcl" or not anchor.head.like_num:
        return None
    of = next((c for c in anchor.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    if of is None or not any(c.lower_ in ("whom", "which", "them") for c in of.children):
        return None
    value = _int(anchor.head.text)
    return value


def compared_count(q: Span, before: list[RawClaim]) -> list[RawClaim]:
    """'There were 34 deaths in September compared to four in August': a bare number a count is compared
    with is a count of the same measure, group and event (at its own time)."""
    root = q.root
    quantity: Quantity = q._.nf_quantity
    if quantity is None or root.dep_ != "pobj" or root.head.lower_ not in ("to", "with") \
            or root.head.head.lemma_.lower() != "compare" or _counted_noun(q) is not None:
        return []
    base = next((c for c in reversed(before) if c.kind is ClaimKind.COUNT and "event" in c.fields), None)
    if base is None:
        return []
    return [RawClaim(ClaimKind.COUNT, q.start_char, q.end_char, quantity=quantity, status=base.status,
                     subject_explicit=base.subject_explicit, cue=base.cue, anchor=root.i, fields=dict(base.fields))]


def _conjoined_states(anchor: Token) -> list[tuple[str, Token]]:
    """'have been arrested and freed on bail': a second state of the same people, its verb a conjunct
    with no subject of its own."""
    if anchor.pos_ != "VERB":
        return []
    passive = _is_passive(anchor)
    out = []
    for verb in anchor.conjuncts:
        if verb.i < anchor.i or any(c.dep_ in ("nsubj", "nsubjpass", "dobj") for c in verb.children):
            continue
        state = _verb_state(verb, passive=passive or verb.tag_ == "VBN")
        if state is not None:
            out.append((state, verb))
    return out


# ---------------------------------------------------------------- the measure

_SCORE = re.compile(r"^\d+[-–]\d+$")


def _negated(q: Span) -> bool:
    doc = q.doc
    before = doc[q.start - 1].lower_ if q.start > 0 else ""
    return before in ("no", "not") or q.text.lower().startswith(("no-one", "no one", "none"))


def _counted_noun(q: Span) -> Token | None:
    """The noun a number counts: '20 people', 'hundreds of people', 'a crowd of 360,000' has none."""
    root = q.root
    if root.dep_ in ("nummod", "quantmod") and (root.head.pos_ in ("NOUN", "PROPN") or _nominal_nationality(root.head)):
        return root.head
    of = next((c for c in root.children if c.dep_ == "prep" and c.lower_ == "of" and c.i >= q.end), None)
    if of is not None:
        return next((c for c in of.children if c.dep_ == "pobj"), None)
    return None


def _is_people(t: Token) -> bool:
    """'people', 'civilians', 'Britons' (a nationality as a noun), 'MPs'."""
    voc = event_vocabulary()
    lemma = t.lemma_.lower()
    if lemma in voc.people or t.lower_ in voc.people:
        return True
    # a nationality, faith or party as a noun: "41 Britons", "16 Nazis" (the tagger's NNPS even where the
    # recogniser gave no NORP), "one Chilean"
    return t.tag_ == "NNPS" or (t.ent_type_ == "NORP" and t.pos_ in ("NOUN", "PROPN")) or _nominal_nationality(t)


def _nominal_nationality(t: Token) -> bool:
    """'the murder of one Chilean': a nationality the tagger calls an adjective, used as a noun."""
    return t.ent_type_ == "NORP" and t.pos_ == "ADJ" and t.dep_ in ("pobj", "nsubj", "nsubjpass", "dobj", "conj")


def is_health_article(docs) -> bool:
    """Does the article name a disease (models/measures.json: events.case_context)?"""
    words = event_vocabulary().case_context
    return any(t.lower_ in words for doc in docs for t in doc)


# A party's MPs stand for its seats where they are what it has or wins: "its 301 MPs were 17 short", "the 14
# Liberal MPs", "leaving the Tories with just 163 MPs"; not where they act ("34 Labour MPs rebelled").
SEAT_HOLDERS = frozenset({"mp", "mps"})
SEAT_VERBS = frozenset({"be", "have", "hold", "win", "return", "elect", "leave", "need"})


def _party_seats(noun: Token) -> tuple[str, Token] | None:
    if noun.lower_ not in SEAT_HOLDERS and noun.lemma_.lower() not in SEAT_HOLDERS:
        return None
    party = any((c.dep_ in ("compound", "amod", "nmod") and (c.pos_ == "PROPN" or c.ent_type_ in ("NORP", "ORG")))
                or (c.dep_ == "poss" and c.lower_ in ("its", "their")) for c in noun.children)
    if not party and not (noun.dep_ == "pobj" and noun.head.lower_ == "with" and noun.head.head.lemma_ == "leave"):
        return None
    if noun.dep_ in ("nsubj", "nsubjpass", "dobj") and noun.head.lemma_.lower() not in SEAT_VERBS:
        return None
    if noun.dep_ == "pobj" and (noun.head.lower_ in ("by", "from", "of") or (
            noun.head.lower_ == "with" and noun.head.head.lemma_ != "leave")):
        return None  # "a rebellion by 34 Labour MPs", "along with 16 other Lib Dem MPs"
    return "seats", noun


def _refers_back(q: Span) -> bool:
    """'the other seven protesters': people the article counted before, not a new count."""
    doc = q.doc
    before = [t.lower_ for t in doc[max(q.start - 2, 0):q.start]]
    return bool({"the", "these", "those", "other"} & set(before))


def _noun_measure(noun: Token, sent: Span, health: bool = False) -> tuple[str, Token] | None:
    voc = event_vocabulary()
    lemma = noun.lemma_.lower()
    measure = voc.nouns.get(lemma) or voc.nouns.get(noun.lower_)
    if measure is None:
        return None
    if measure == "seats" and (noun.tag_ != "NNS" or noun.dep_ in ("compound", "amod")):
        return None  # "a 300-seat sector", "the seat of government"
    if measure == "cases" and not any(t.lower_ in voc.case_context for t in noun.doc) and not (
            health and not (noun.dep_ == "pobj" and noun.head.lower_ in ("in", "of"))):
        return None  # "in 30 cases": no infections without a disease named around
    return measure, noun


def _state_of_people(node: Token) -> tuple[str, Token] | None:
    """The state the people at `node` are in, from the grammar around them."""
    voc = event_vocabulary()
    for child in node.children:  # "people killed in a crash", "Britons who were released"
        if child.dep_ in ("acl", "relcl", "amod") and child.i > node.i:
            state = _verb_state(child, passive=child.dep_ == "acl" or _is_passive(child)
                                or child.tag_ == "VBN", subject=child.dep_ == "relcl")
            if state is not None:
                return state, child
            if child.lower_ in voc.adjectives and child.dep_ in ("amod", "acl"):
                return voc.adjectives[child.lower_], child
    while node.dep_ == "conj" and node.head.pos_ in ("NOUN", "PROPN", "NUM"):
        node = node.head  # "four officers and 16 Nazis dead": the role of the first conjunct
    head = node.head
    if node.dep_ == "nsubjpass":
        return _through_raising(head, passive=True)
    if node.dep_ == "nsubj":
        if head.lower_ in voc.adjectives:  # "158 others missing"
            return voc.adjectives[head.lower_], head
        if head.lemma_.lower() == "lose" and any(c.lemma_.lower() == "life" for c in head.children):
            return "killed", head  # "21,000 people lost their lives"
        has_object = any(c.dep_ == "dobj" for c in head.children)
        return _through_raising(head, passive=head.tag_ == "VBN" and not has_object
                                and not any(c.dep_ == "aux" and c.lemma_ == "have" for c in head.children))
    if node.dep_ == "dobj":
        lemma = head.lemma_.lower()
        if lemma in voc.patient_verbs and not _is_passive(head):
            return voc.patient_verbs[lemma], head
        if lemma == "leave":  # "left four officers and 16 Nazis dead", "left 5,000 homeless"
            adjective = next((t for t in head.subtree if t.lower_ in voc.adjectives and t.i > node.i), None)
            if adjective is not None:
                return voc.adjectives[adjective.lower_], adjective
        if lemma in ("force", "order", "prompt", "cause"):  # "forcing more than 100,000 people to evacuate"
            goal = next((c for c in head.children if c.dep_ in ("xcomp", "ccomp") and c.i > node.i), None)
            if goal is not None and goal.lemma_.lower() in ("evacuate", "flee", "leave"):
                return ("evacuated" if goal.lemma_.lower() == "evacuate" else "displaced"), goal
        return None
    if node.dep_ == "pobj" and head.lower_ == "of":
        owner = head.head
        measure = voc.of_nouns.get(owner.lemma_.lower())
        if measure is not None:
            return measure, owner
        return None
    if node.dep_ == "pobj" and head.lower_ in ("to", "at") and head.head.lemma_.lower() in (
            "rise", "climb", "increase", "reach", "jump", "stand", "go", "hit", "soar"):
        subject = next((c for c in head.head.children if c.dep_ == "nsubj"), None)
        if subject is not None and _is_toll(subject):  # "the death toll rose to 50"
            return "killed", subject
    if node.dep_ == "attr" and head.lemma_ == "be":
        subject = next((c for c in head.children if c.dep_ == "nsubj"), None)
        if subject is not None and _is_toll(subject):  # "the toll is 50"
            return "killed", subject
        if subject is not None and subject.lemma_.lower() in ("caseload",):
            return "cases", subject
    return None


def _to_hospital(verb: Token) -> bool:
    if verb.lemma_.lower() not in ("take", "rush", "airlift", "fly", "admit", "bring", "carry", "ferry"):
        return False
    return any(p.lower_ == "to" and any(o.lemma_.lower() == "hospital" for o in p.children)
               for p in verb.children if p.dep_ == "prep")


def _is_toll(t: Token) -> bool:
    voc = event_vocabulary()
    words = f"{t.doc[t.i - 1].lower_} {t.lower_}" if t.i > 0 else t.lower_
    return t.lemma_.lower() in voc.tolls or words in voc.tolls


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)


def _verb_state(verb: Token, passive: bool, subject: bool = True) -> str | None:
    """The measure a verb gives its people: the patient of a transitive ('were killed'), the subject of an
    intransitive ('died', 'turned out')."""
    voc = event_vocabulary()
    if verb.pos_ not in ("VERB", "AUX", "ADJ"):
        return None
    lemma = verb.lemma_.lower()
    if passive and lemma in voc.patient_verbs:
        return voc.patient_verbs[lemma]
    if subject and not passive and lemma in voc.subject_verbs:
        particle = voc.subject_particles.get(lemma)
        if particle and not any(c.lower_ == particle for c in verb.children):
            return None
        if any(c.dep_ == "dobj" for c in verb.children) and lemma not in ("protest",):
            return None  # "attended the meeting" counts; "evacuated the building" is not 100,000 evacuated
        return voc.subject_verbs[lemma]
    return None


def _through_raising(verb: Token, passive: bool) -> tuple[str, Token] | None:
    """The verb of the people, or one a raising verb hands them on to: 'are confirmed to have died', 'are
    feared to be dead', 'have been left homeless'."""
    voc = event_vocabulary()
    node = verb
    if passive and _to_hospital(verb):
        return "injured", verb  # "One protester was taken to hospital"
    for _ in range(3):
        state = _verb_state(node, passive)
        if state is not None:
            return state, node
        lemma = node.lemma_.lower()
        for child in node.children:  # "are missing", "were left homeless", "were found dead"
            if child.dep_ in ("acomp", "oprd", "attr", "xcomp", "ccomp") and child.lower_ in voc.adjectives:
                return voc.adjectives[child.lower_], child
        if lemma not in RAISING_VERBS and lemma not in ("leave", "find", "declare", "list"):
            return None
        follow = next((c for c in node.children if c.dep_ in ("xcomp", "ccomp")), None)
        if follow is None:
            return None
        node, passive = follow, _is_passive(follow)
    return None


# ---------------------------------------------------------------- votes

def _vote_claims(sent: Span, q: Span, quantity: Quantity, recent_event: str | None) -> list[RawClaim] | None:
    """'by 297 votes to 203', 'MPs voted 272-219', 'an eight to one majority', '15 senators voted against':
    votes for and against (the first figure is against when the sentence turns a motion down). None: this
    number is not a vote."""
    doc = sent.doc
    root = q.root
    noun = _counted_noun(q)
    against: int | None = None
    first: int | None = None
    anchor: Token | None = None
    if noun is not None and noun.lemma_.lower() == "vote":
        first = int(quantity.value)
        anchor = noun
        to = doc[noun.i + 1] if noun.i + 1 < sent.end else None
        if to is not None and to.lower_ == "to" and noun.i + 2 < sent.end and doc[noun.i + 2].like_num:
            against = _int(doc[noun.i + 2].text)
        elif any(c.lower_ in ("more", "fewer", "less") for c in noun.children) or noun.head.lower_ == "by" or \
                noun.head.lemma_.lower() not in ("receive", "win", "get", "secure", "poll", "garner", "take", "cast"):
            return []  # "won by more than 700 votes", "24,000 more yes votes than": a margin, not a tally
    elif (m := _VOTE_RANGE.match(q.text.replace(" ", ""))) and root.head.lemma_.lower() == "vote":
        first, against = _int(m.group(1)), _int(m.group(2))  # "voted 272-219"
        anchor = root.head
    elif quantity.qualifier == "between" and noun is not None and noun.lemma_.lower() == "majority" \
            and " to " in f" {q.text.lower()} ":
        low, high = quantity.interval.low, quantity.interval.high  # "an eight to one majority"
        first, against = int(high), int(low)
        anchor = noun
    elif noun is not None and _is_people(noun) and (first_noun := _first_conjunct(noun)).dep_ == "nsubj" \
            and first_noun.head.lemma_.lower() == "vote":
        verb = first_noun.head  # "all 15 government senators voted against", "the six ... and the nine voted for"
        side = next((c.lower_ for c in verb.children if c.dep_ in ("prep", "advmod", "prt")
                     and c.lower_ in ("for", "against", "favour", "favor")), None)
        if side is None and any(c.lower_ in ("favour", "favor") for c in verb.subtree):
            side = "for"
        if side is None:
            return None
        measure = "votes against" if side == "against" else "votes for"
        return [_vote(q, quantity, measure, verb, sent, _group_text(noun), recent_event)]
    else:
        return None
    if first is None or anchor is None:
        return []
    flipped = _turned_down(anchor)
    claims = [_vote(q, _exact(first) if quantity.qualifier == "between" else quantity,
                    "votes against" if flipped else "votes for", anchor, sent, None, recent_event)]
    if against is not None:
        claims.append(_vote(q, _exact(against), "votes for" if flipped else "votes against", anchor,
                            sent, None, recent_event))
    return claims


def _first_conjunct(t: Token) -> Token:
    while t.dep_ == "conj" and t.head is not t:
        t = t.head
    return t


def _exact(value: int) -> Quantity:
    return Quantity(value=float(value), interval=Interval.exact(float(value)), text=f"{value:,}")


def _int(text: str) -> int | None:
    from pipeline.nlp.numbers import parse_number

    value = parse_number(text)
    return int(value) if value is not None else None


def _turned_down(anchor: Token) -> bool:
    voc = event_vocabulary()
    node = anchor
    for _ in range(6):
        lemma = node.lemma_.lower()
        particle = next((c.lower_ for c in node.children if c.dep_ == "prt"), "")
        if lemma in voc.vote_flip or f"{lemma} {particle}" in voc.vote_flip:
            return True
        if node.head is node:
            return False
        node = node.head
    return False


def _vote(q: Span, quantity: Quantity, measure: str, anchor: Token, sent: Span, group: str | None,
          recent_event: str | None) -> RawClaim:
    event, _ = _event_of(sent, anchor, q.root)
    explicit = event is not None
    event = event or recent_event or "vote"
    return RawClaim(ClaimKind.COUNT, q.start_char, max(q.end_char, anchor.idx + len(anchor.text)),
                    quantity=quantity, status=claim_status(anchor), subject_explicit=explicit,
                    cue=anchor.lemma_.lower(), anchor=anchor.i,
                    fields={"group": group or "votes", "state": measure, "total": None, "org": None,
                            "specific": False, "event": event, "place": None, "claimant": None,
                            "event_key": None})


# ---------------------------------------------------------------- group, event, place, claimant

def _group_text(noun: Token) -> str:
    """'people from Scotland', 'Labour MPs', 'British detainees': the noun with the words that narrow it."""
    doc = noun.doc
    words = [t for t in noun.lefts if t.dep_ in ("compound", "amod") and not t.like_num
             and t.lower_ not in ("other", "more", "further", "new")]
    start = min([w.left_edge.i for w in words] + [noun.i])
    text = doc[start:noun.i + 1].text
    origin = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "from"), None)
    if origin is not None:
        place = next((c for c in origin.children if c.dep_ == "pobj"), None)
        if place is not None and place.ent_type_ in PLACE_LABELS:
            text += f" from {doc[place.left_edge.i:place.i + 1].text}"
    return text


def _event_of(sent: Span, anchor: Token, people: Token) -> tuple[str | None, Token | None]:
    """What happened, as the sentence names it: the agent of a killing ('a fire that killed 25', 'Mitch
    killed'), an event the state is 'in'/'after' ('died in the tsunami disaster'), else the event word of
    the sentence nearest the number."""
    voc = event_vocabulary()
    verb = anchor
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is not None and verb.lemma_.lower() in voc.patient_verbs and subject.i != people.i:
        if subject.tag_ in ("WDT", "WP") and verb.dep_ == "relcl":
            subject = verb.head
        if subject.lemma_.lower() in voc.events or (subject.pos_ == "PROPN" and subject.ent_type_ not in (
                "PERSON", "ORG", "NORP", "GPE")):
            return _phrase(subject), subject
    candidates = []
    for node in (anchor, people, anchor.head):
        for prep in node.children:
            if prep.dep_ == "prep" and prep.lower_ in PREPOSITIONS_OF_EVENT:
                for obj in prep.children:
                    if obj.dep_ == "pobj" and _is_event(obj):
                        candidates.append(obj)
    if not candidates:
        candidates = sorted((t for t in sent if _is_event(t) and t.pos_ in ("NOUN", "PROPN") and t.i != people.i),
                            key=lambda t: abs(t.i - anchor.i))
    if not candidates:
        return None, None
    event = candidates[0]
    if _is_people(event):  # "crash victims": the crash
        event = next((c for c in event.children if c.dep_ == "compound" and _is_event(c)), event)
    return _phrase(event), event


def sentence_event(sent: Span) -> str | None:
    """The event a sentence names first ('Tsunami death toll rises'), for the counts of later sentences."""
    event = next((t for t in sent if t.pos_ in ("NOUN", "PROPN") and _is_event(t)), None)
    return _phrase(event) if event is not None else None


def _event_key(event: Token | None, place: str | None) -> str | None:
    """'tsunami in Thailand': what two outlets must both name for their counts to be compared."""
    if event is None or place is None:
        return None
    voc = event_vocabulary()
    word = next((c for c in event.children if c.dep_ == "compound" and c.lemma_.lower() in voc.events), event)
    return f"{word.lemma_.lower()} in {place}"


def _is_event(t: Token) -> bool:
    voc = event_vocabulary()
    if t.ent_type_ in ("DATE", "TIME", "PERSON", "ORG"):
        return False  # "in March"
    if t.lemma_.lower() in voc.events or t.lower_ in voc.events:
        return True
    return any(c.dep_ == "compound" and c.lemma_.lower() in voc.events for c in t.children)


def _phrase(t: Token) -> str:
    """The event's words as written, without determiners: 'the terrorist attack' -> 'terrorist attack'."""
    doc = t.doc
    lefts = [c for c in t.lefts if c.dep_ in ("compound", "amod", "nmod", "poss") and c.tag_ != "POS"]
    start = min([c.left_edge.i for c in lefts] + [t.i])
    words = [w for w in doc[start:t.i + 1] if w.dep_ != "det" and w.tag_ != "POS" and not w.is_punct]
    return " ".join(w.text for w in words) or t.text


def _place(sent: Span, event: Token | None, entities: list[RawEntity]) -> str | None:
    """The place the sentence sets its event in: a place the event word is 'in' or 'of', else the one place
    the sentence names."""
    doc = sent.doc
    if event is not None:
        for t in event.subtree:
            if t.i > event.i and t.ent_type_ in PLACE_LABELS:
                ent = next(e for e in doc.ents if e.start <= t.i < e.end)
                return ent.text
    places = {e.text for e in sent.ents if e.label_ in PLACE_LABELS and not _of_people(doc[e.start])}
    return places.pop() if len(places) == 1 else None


def _of_people(t: Token) -> bool:
    """Is this place where the people come from ('people from Scotland'), not where the event was?"""
    node = t
    for _ in range(3):
        if node.dep_ == "pobj" and node.head.lower_ == "from" and _is_people(node.head.head):
            return True
        if node.head is node:
            return False
        node = node.head
    return False


def claimant_of(sent: Span, anchor: Token, entities: list[RawEntity]) -> str | None:
    """Who the sentence says gave the figure: 'according to the health ministry', '..., police said', 'The
    Foreign Office says ...'; None when the sentence states it as fact or a pronoun says it."""
    doc = sent.doc
    for t in sent:
        if t.lower_ == "according" and t.i + 1 < sent.end and doc[t.i + 1].lower_ == "to":
            obj = next((c for c in doc[t.i + 1].children if c.dep_ == "pobj"), None)
            if obj is not None:
                return _name_of(obj, entities)
    node = anchor
    came: Token | None = None
    for _ in range(8):
        if came is not None and came.dep_ in ("relcl", "acl") and node.lemma_.lower() not in REPORT_NOUNS \
                and not _is_people(node) and not node.like_num:
            # "the tsunami, which killed 30,000, ..., its central bank said", "In India, where 2,000 are
            # thought to have died, the rupee fell, analysts said": background, not theirs
            return None
        for child in node.children:  # "Three people have been arrested ..., federal authorities announced"
            if child is not came and child.dep_ in ("parataxis", "ccomp", "advcl") and child.i > anchor.i \
                    and child.lemma_.lower() in REPORTING_VERBS:
                speaker = next((c for c in child.children if c.dep_ == "nsubj"), None)
                if speaker is not None and (name := _name_of(speaker, entities)):
                    return name
        if came is not None and node.lemma_.lower() in REPORTING_VERBS and came.dep_ in (
                "ccomp", "parataxis", "xcomp", "advcl", "dobj"):
            # "The Countryside Alliance says it expects up to 4,000": past the pronoun to who says so
            speaker = next((c for c in node.children if c.dep_ == "nsubj"), None)
            if speaker is not None and (name := _name_of(speaker, entities)):
                return name
        if came is not None and node.lemma_.lower() in REPORT_NOUNS and came.dep_ in ("acl", "ccomp", "relcl") \
                and node.head.pos_ == "VERB":
            # "The White House has touted estimates that 2.2 million Americans could die"
            speaker = next((c for c in node.head.children if c.dep_ == "nsubj"), None)
            if speaker is not None and speaker.i != node.i and (name := _name_of(speaker, entities)):
                return name
        if node.head is node:
            break
        came, node = node, node.head
    return None


def _name_of(t: Token, entities: list[RawEntity]) -> str | None:
    if t.pos_ == "PRON":
        return None
    for e in entities:
        if e.start <= t.i < e.end:
            return e.name
    doc = t.doc
    start = t.left_edge.i
    while start < t.i and doc[start].dep_ in ("det",):
        start += 1
    return doc[start:t.i + 1].text

