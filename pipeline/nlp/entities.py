"""Entity types by evidence: the model's label, a gazetteer line, a name's own words, and context cues.

Every decision names its evidence (see `TypeEvidence`), so a test can say why a name got its type and the
open-domain evaluation can measure each rule against the bare English model on the same labelled names.
A given-name list alone never makes a span a person: it only counts together with a person cue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import gender_guesser.detector
import pycountry
from spacy.tokens import Span, Token

from pipeline.nlp.build import load_gazetteer, load_json, load_lines

PERSON, COMPANY, ORG = "PERSON", "COMPANY", "ORG"
# A person's name in news copy has two or three words ("Marie-Anne Lachaux", "Jean-Claude Van Damme");
# longer spans are titles, lists or sentence fragments.
MAX_PERSON_TOKENS = 4
# How many tokens after a name a pronoun may refer back to it ("Virgin Atlantic said it would cut").
PRONOUN_WINDOW = 12
NEIGHBOUR_DEPS = frozenset({"appos", "compound", "amod", "nmod", "poss", "acl", "relcl", "det"})
_POSSESSIVE = re.compile(r"(?:['’‘]s?|['’‘])$")


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


@dataclass(frozen=True, slots=True)
class TypeEvidence:
    label: str | None  # PERSON, COMPANY, ORG, or None: not an entity we keep
    reason: str  # "gazetteer", "company suffix", "org word", "model PERSON", "person cue", ...


@dataclass(frozen=True, slots=True)
class EntityData:
    company_suffixes: frozenset[str]
    company_context: frozenset[str]
    company_possessions: frozenset[str]
    company_phrases: tuple[str, ...]  # role phrases only a company fills: "market leader"
    market_professions: tuple[str, ...]  # jobs held at banks, brokers and funds: "an analyst at X"
    company_compounds: frozenset[str]  # nouns a company's name modifies: "Vodafone shares"
    company_deals: frozenset[str]  # nouns whose "of"/"in" object is a company: shares of, stake in
    company_subject_verbs: frozenset[str]  # "X merged with", "X shipped"
    company_object_verbs: frozenset[str]  # "acquired X", "X was taken over"
    company_agent_verbs: frozenset[str]  # "made by X"
    not_entities: frozenset[str]  # casefolded: products, stock indexes, words the model tags in error
    honorifics: frozenset[str]
    org_words: frozenset[str]
    org_phrases: tuple[str, ...]
    org_acronyms: frozenset[str]
    not_org_heads: frozenset[str]  # an event's, a law's or a place's head word ("Brit Awards", "Patriot Act")
    person_cues: frozenset[str]  # casefolded role nouns that stand right before a person's name
    person_possessions: frozenset[str]  # nouns only a person has: "X's wife", "X's murder"
    name_particles: frozenset[str]
    group_cues: frozenset[str]  # nouns before a name that make it a group: "the band Franz Ferdinand"
    post_nominals: frozenset[str]  # letters after a name: QC, MP, OBE, Jr
    not_person_last: frozenset[str]
    gazetteer_types: dict[str, str]
    known_companies: frozenset[str]  # models/known_companies.txt: listed companies' names as news writes them
    listed_companies: frozenset[str]  # models/listed_companies.txt: the world's largest, for a name the model tags ORG
    stock_indexes: frozenset[str]  # casefolded: "FTSE 100", "Dow Jones Industrial Average"


@cache
def entity_data() -> EntityData:
    d = load_json("entities.json")
    return EntityData(
        company_suffixes=frozenset(d["company_suffixes"]),
        company_context=frozenset(d["company_context"]),
        company_possessions=frozenset(d["company_possessions"]),
        company_deals=frozenset(d["company_deals"]),
        company_compounds=frozenset(d["company_compounds"]),
        company_phrases=tuple(d["company_phrases"]),
        market_professions=tuple(d["market_professions"]),
        company_subject_verbs=frozenset(d["company_subject_verbs"]),
        company_object_verbs=frozenset(d["company_object_verbs"]),
        company_agent_verbs=frozenset(d["company_agent_verbs"]),
        not_entities=frozenset(n.casefold() for n in (*d["not_entities"], *d["products"], *d["stock_indexes"])),
        honorifics=frozenset(d["honorifics"]),
        org_words=frozenset(d["org_words"]),
        org_phrases=tuple(d["org_phrases"]),
        org_acronyms=frozenset(d["org_acronyms"]),
        not_org_heads=frozenset(d["not_org_heads"]),
        person_cues=frozenset(c.casefold() for c in d["person_cues"]),
        person_possessions=frozenset(d["person_possessions"]),
        name_particles=frozenset(d["name_particles"]),
        group_cues=frozenset(d["group_cues"]),
        post_nominals=frozenset(d["post_nominals"]),
        not_person_last=frozenset(d["not_person_last_words"]),
        gazetteer_types={e["name"]: e["type"] for e in load_gazetteer()},
        known_companies=frozenset(load_lines("known_companies.txt")),
        listed_companies=frozenset(load_lines("listed_companies.txt")),
        stock_indexes=frozenset(n.casefold() for n in d["stock_indexes"]),
    )


@cache
def country_names() -> frozenset[str]:
    """Countries by their ISO 3166 names as news writes them ("Sri Lanka", "Maldives", "Cameroon"; not the
    inverted "Korea, Republic of")."""
    names = set()
    for country in pycountry.countries:
        for attribute in ("name", "common_name"):
            value = getattr(country, attribute, None)
            if value and "," not in value:
                names.add(value)
    return frozenset(names)


def is_not_entity(name: str) -> bool:
    data = entity_data()
    folded = name.casefold()
    return folded in data.not_entities or " ".join(folded.split()[:-1]) in data.not_entities and \
        name.split()[-1].isdigit()  # "FTSE 100", "Halo 2": an index or product with its number


def type_of(span: Span, name: str, model_label: str, gazetteer_id: str = "") -> TypeEvidence:
    """The type of a span the model (or the gazetteer ruler) labelled PERSON or ORG."""
    data = entity_data()
    gazetteer_id = gazetteer_id or (name if name in data.gazetteer_types else "")
    if gazetteer_id:
        return TypeEvidence(COMPANY if data.gazetteer_types.get(gazetteer_id) == "company" else ORG, "gazetteer")
    if is_not_entity(name):
        return TypeEvidence(None, "not an entity (product, index or common word)")
    if not any(c.isupper() for c in name):
        return TypeEvidence(None, "no capital letter: common words ('the supreme court', 'capitol')")
    if dateline(span):
        return TypeEvidence(None, "a dateline's place ('AMSTERDAM (Reuters) -')")
    words = name.split()
    by_name = type_by_name(words)
    if by_name is not None:
        return by_name
    if len(words) > 1 and words[-1] in data.not_org_heads and (
            model_label != PERSON or len(words) > 2 or not is_given_name(words[0])):
        # (not "Mike Lake" or "Alexandra Tower", a person the model reads as one; "Joe Farrington Road" is a road)
        return TypeEvidence(None, "an event's, a law's or a place's name ('Brit Awards', 'Patriot Act')")
    if model_label == PERSON:
        return _model_person(span, words)
    if name in data.known_companies or name in data.listed_companies:
        # the model's ORG, and a name on a stock index or among the world's largest listed companies
        return TypeEvidence(COMPANY, "listed company")
    return _model_org(span, words)


def dateline(span: Span) -> bool:
    """'AMSTERDAM (Reuters) - ...', 'LONDON, June 11 (AFP) -': a place in capitals opening a sentence before
    the agency's name in brackets."""
    doc = span.doc
    if span.start != span.sent.start or not span.text.isupper():
        return False
    after = doc[span.end:min(len(doc), span.end + 8)]
    return any(t.text == "(" for t in after[:5]) and any(t.text in ("-", "—", "–") for t in after)


def type_by_name(words: list[str]) -> TypeEvidence | None:
    """A name's own words: "World Bank" and "Labour Party" are organisations, "Ford Motor Co" a company.
    The head word decides: the one before "of" or "for" ("Massachusetts Institute of Technology"), else the last."""
    data = entity_data()
    name = " ".join(words)
    if name in data.org_acronyms or _has_org_phrase(name):
        return TypeEvidence(ORG, "organisation name")
    head = _head_word(words)
    if head in data.org_words:
        return TypeEvidence(ORG, "organisation word")
    if len(words) > 1 and (head in data.company_suffixes or "&" in words):
        return TypeEvidence(COMPANY, "company suffix")
    return None


def _head_word(words: list[str]) -> str:
    """The word a name is a kind of: the one before "of" or "for" ("Office for National Statistics"), else the
    last."""
    joint = next((w for w in words[1:] if w in ("of", "for")), None)
    return words[words.index(joint) - 1] if joint else words[-1]


def _has_org_phrase(name: str) -> bool:
    """The name holds an organisation's phrase of models/entities.json ("World Bank", "Bank of England")."""
    return any(name.startswith(p) or f" {p}" in f" {name}" for p in entity_data().org_phrases)


def is_institution(name: str) -> bool:
    """A name its own words make an organisation that is no company ("Securities and Exchange Commission",
    "SEC", "Labor Department")."""
    evidence = type_by_name(name.split())
    return evidence is not None and evidence.label == ORG


# Head words of a public body's name: it reports an economy's figures and levies fines, but has no sales,
# profits or exports of its own ("Commerce Department", "Chilean Copper Commission").
PUBLIC_BODY_WORDS = frozenset({"Administration", "Agency", "Authority", "Board", "Bureau", "Commission", "Committee",
                               "Council", "Department", "Ministry", "Office", "Regulator", "Treasury", "Tribunal",
                               "Court", "Parliament", "Government", "Senate", "Congress", "Statistics"})


def is_public_body(name: str) -> bool:
    """A government agency, regulator, court or central bank by its name's own words."""
    return _head_word(name.split()) in PUBLIC_BODY_WORDS or _has_org_phrase(name)


def _model_person(span: Span, words: list[str]) -> TypeEvidence:
    data = entity_data()
    if len(words) > MAX_PERSON_TOKENS or not name_shaped(words) or quoted(span):
        return TypeEvidence(None, "not a name's shape (or a quoted title)")
    if span.start > 0 and span.doc[span.start - 1].lemma_.lower() in data.group_cues:
        return TypeEvidence(None, "a band, team or group, not a person")
    if person_cue(span):
        return TypeEvidence(PERSON, "model PERSON and person cue")
    if named_company(span) or refers_as_it(span) or ticker_after(span, exchange_only=True):
        # "Virgin Atlantic said it would cut", "shares of Chelsea": the model's PERSON is wrong
        return TypeEvidence(COMPANY, "company cue on a model PERSON")
    if span.root.dep_ == "poss" and _company_officer(span.root.head):
        # "Air Deccan's managing director": a person has none (a charity or a federation may: no ORG is retyped)
        return TypeEvidence(COMPANY, "a managing director, chief executive or board of a model PERSON")
    if words[-1] in data.not_person_last:
        return TypeEvidence(None, "a place or thing's name on a model PERSON")
    if which_refers_back(span):
        # a name still (the article's other mentions say of what): 'Diageo, which is listed on the LSE, reported'
        return TypeEvidence(ORG, "'which' refers back to it ('Laura Ashley, which floated'): not a person")
    if span.start > 0 and span.doc[span.start - 1].lower_ == "the":
        return TypeEvidence(ORG, "'the' before a model PERSON: an institution or place, not a person")
    if plural_subject(span):
        return TypeEvidence(None, "a group: the verb agrees in the plural ('Franz Ferdinand have won')")
    root = span.root
    if root.dep_ == "pobj" and root.head.lower_ in LOCATIVE_PREPS and not person_cue(span):
        return TypeEvidence(None, "a place: 'in Glasgow', 'across Wales'")
    return TypeEvidence(PERSON, "model PERSON")


def which_refers_back(span: Span) -> bool:
    """'X, which floated in 1995': a relative clause on the name whose subject or object is 'which'."""
    return any(c.dep_ == "relcl" and any(w.lower_ == "which" and w.dep_ in ("nsubj", "nsubjpass", "dobj")
                                         for w in c.children) for c in span.root.children)


# Prepositions of place: a name after them is where something happens, not who ("in Glasgow").
LOCATIVE_PREPS = frozenset({"in", "at", "near", "across", "outside", "inside", "around", "throughout"})


def plural_subject(span: Span) -> bool:
    """A singular name with a plural verb is a group (band, team, firm), not a person."""
    root = span.root
    if root.dep_ != "nsubj" or any(c.dep_ == "conj" for c in root.children) or root.dep_ == "conj":
        return False
    verb = root.head
    forms = [verb, *(c for c in verb.children if c.dep_ in ("aux", "auxpass") and c.i < verb.i)]
    return any(t.tag_ == "VBP" or t.lower_ in ("were", "are") for t in forms)


def _model_org(span: Span, words: list[str]) -> TypeEvidence:
    if quoted(span):
        return TypeEvidence(None, "a quoted title")
    if 2 <= len(words) <= MAX_PERSON_TOKENS and name_shaped(words) and \
            is_given_name(words[0]) and person_cue(span):
        # "Ilya Sutskever" tagged ORG after "co-founder": a given name *and* a person cue
        return TypeEvidence(PERSON, "given name and person cue")
    if company_context(span) or ticker_after(span):
        return TypeEvidence(COMPANY, "company context")
    # The model's ORG covers firms, agencies, parties, clubs, venues and misread words alike: without
    # company evidence in the name or around it (here or at another mention in the article), an
    # organisation. Measured on the open-domain labels: a company by default was right for 43% of names.
    return TypeEvidence(ORG, "model ORG")


def quoted(span: Span) -> bool:
    """'“Mary Poppins”', "'The Producers'": a name in quotation marks is a title, not a person or firm."""
    doc = span.doc
    marks = {'"', "“", "”", "'", "‘", "’"}
    return span.start > 0 and doc[span.start - 1].text in marks and span.end < len(doc) and \
        doc[span.end].text in marks | {",", "."} and (span.end + 1 >= len(doc) or doc[span.end].text in marks
                                                     or doc[span.end + 1].text in marks)


def title_cue(span: Span) -> bool:
    """A title or role noun right before the name ("Mr", "chief executive", "striker") or an age in
    apposition (", 45,"): strong enough to keep a name of one word ("singer Ciara")."""
    data = entity_data()
    doc = span.doc
    before = doc[max(0, span.start - 3):span.start]
    if any(before.text.lower().endswith(p) for p in data.company_phrases):
        return False  # "market leader Diageo"
    if before and (before[-1].text in data.honorifics or before[-1].lower_ in data.person_cues):
        return True
    if len(before) >= 2 and f"{before[-2].lower_} {before[-1].lower_}" in data.person_cues:
        return True
    start = span.start
    while start > 0 and doc[start - 1].ent_type_ == "ORG":
        start -= 1  # "the former head of alignment at OpenAI Jan Leike": the role before the employer
    if start < span.start and start > 0 and doc[start - 1].lower_ in ("at", "of", "for"):
        if any(t.lower_ in data.person_cues for t in doc[max(0, start - 5):start - 1]):
            return True
    after = doc[span.end:min(len(doc), span.end + 3)]
    return len(after) >= 2 and after[0].text == "," and after[1].like_num and after[1].text.isdigit() and \
        10 < int(after[1].text) < 110


def person_cue(span: Span) -> bool:
    """A title cue (above), 'he'/'she' for a subject that said something, a person's possession ("X's
    wife"), a role noun in apposition, or a list of people the name stands in."""
    data = entity_data()
    doc = span.doc
    if title_cue(span):
        return True
    if span.start > 0 and doc[span.start - 1].lemma_.lower() in data.group_cues:
        return False  # "the band Franz Ferdinand"
    root = span.root
    if root.dep_ == "nsubj" and root.head.lemma_ in ("say", "tell", "add", "explain"):
        window = doc[span.end:min(len(doc), span.end + PRONOUN_WINDOW)]
        if any(t.lower_ in ("he", "she", "his", "her") for t in window):
            return True
    if root.dep_ == "poss" and root.head.lemma_.lower() in data.person_possessions:
        return True  # "Fortuyn's murder", "his wife"
    if root.dep_ == "appos" and root.head.lemma_.lower() in data.person_cues:
        return True  # "the anti-immigration politician Pim Fortuyn"
    if (root.dep_ == "conj" and root.head.ent_type_ == "PERSON") or any(
            c.dep_ == "conj" and c.ent_type_ == "PERSON" for c in root.children):
        return True  # "Viktor Pinchuk and Rinat Akhmetov": a list of people
    return any(t.dep_ == "appos" and t.lemma_.lower() in data.person_cues for t in root.children)


def name_shaped(words: list[str]) -> bool:
    """Capitalised words, with the lowercase particles of surnames allowed ("Laurence des Cars")."""
    particles = entity_data().name_particles
    return bool(words) and words[0][:1].isupper() and all(w[:1].isupper() or w in particles for w in words)


def _list_head(span: Span) -> Token:
    """For a conjunct ("A, B and C have invested"), the first name of the list."""
    root = span.root
    while root.dep_ == "conj" and root.head.i < root.i:
        root = root.head
    return root


def named_company(span: Span) -> bool:
    """The strongest company cues, enough to overrule the model's PERSON: a company noun the name is
    modified by or in apposition with ('the firm X', 'X, the retailer', 'market leader Diageo'),
    'shares of X', 'X shares'."""
    data = entity_data()
    doc = span.doc
    root = _list_head(span)
    # the words a name is modified by or stands in apposition with, not its conjuncts ("Ek and Spotify
    # investor Shakil Khan": investor is Khan's word)
    neighbours = [t for t in (root.head, *(c for c in root.children if c.dep_ in NEIGHBOUR_DEPS))
                  if not span.start <= t.i < span.end]
    if root.dep_ == "appos":
        neighbours.append(root.head)
    neighbours += [t for t in root.children if t.dep_ == "appos"]
    if any(t.lemma_.lower() in data.company_context for t in neighbours if t.pos_ in ("NOUN", "PROPN")):
        return True
    before = doc[max(0, span.start - 2):span.start].text.lower()
    if any(before.endswith(p) for p in data.company_phrases):
        return True  # "market leader Diageo"
    if root.dep_ == "pobj" and root.head.lower_ in ("of", "in") and \
            root.head.head.lemma_.lower() in ("share", "stock", "shareholder", "stake"):
        return True  # "shares of Morgan Stanley", "a stake in Chelsea"
    return span.end < len(doc) and doc[span.end].lower_ in ("shares", "stock")


# Who only a company has: "X's chairman", "X's board"; and, with "chief" or "managing", its executive or director.
COMPANY_OFFICERS = frozenset({"chairman", "chairwoman", "ceo", "cfo", "coo", "board", "shareholders"})
OFFICER_TITLES = frozenset({"executive", "director", "officer"})


def _company_officer(noun: Token) -> bool:
    """'chairman', 'board', 'chief executive', 'managing director'; and a name given such a title ("[Reckitt
    Benckiser's] chief executive Bart Becht")."""
    if noun.pos_ == "PROPN":
        return any(c.dep_ == "compound" and c.pos_ == "NOUN" and _company_officer(c) for c in noun.children)
    if noun.lower_ in COMPANY_OFFICERS:
        return True
    return noun.lower_ in OFFICER_TITLES and any(c.dep_ in ("amod", "compound") and c.lower_ in ("chief", "managing")
                                                 for c in noun.children)


def company_context(span: Span) -> bool:
    """Words around the name that only a company takes: the strong cues above, and "X's profits",
    'X shares', 'its takeover of X', 'X bought ...', 'devices made by X'. Enough for a name the model
    calls an organisation, not to overrule a PERSON (people have drives and bids too)."""
    data = entity_data()
    if named_company(span):
        return True
    root = _list_head(span)
    if root.dep_ == "poss" and _word_in(root.head, data.company_possessions):
        return True  # "Time Warner's profits", "Canon's camera", "Enron's shareholders"
    if root.dep_ == "compound" and root.head.lemma_.lower() in data.company_compounds:
        return True  # "Vodafone shares", "Nintendo handhelds"; not "HAMR drives" (a technology)
    if root.dep_ == "pobj" and root.head.lower_ in ("of", "in", "for") and \
            root.head.head.lemma_.lower() in data.company_deals:
        return True  # "shares of Morgan Stanley", "a stake in Chelsea", "its takeover of Grey"
    verb = root.head
    if root.dep_ == "nsubj" and (verb.lemma_.lower() in data.company_subject_verbs or any(
            c.dep_ == "xcomp" and c.lemma_.lower() in data.company_subject_verbs for c in verb.children)):
        return True  # "the two firms merged", "Seagate will start shipping"
    if root.dep_ in ("dobj", "nsubjpass") and verb.lemma_.lower() in data.company_object_verbs:
        return True  # "WPP bought Grey Global", "Opel was acquired"
    if root.dep_ == "pobj" and verb.lower_ == "by" and verb.head.lemma_.lower() in data.company_agent_verbs:
        return True  # "devices made by Nintendo"
    return employs_market_professional(span) or named_as_an_example(span) or party_to_a_deal(span)


# Verbs of buying a company or a part of one, and of holding such a part.
BUYING_VERBS = frozenset({"acquire", "buy", "purchase"})
HOLDING_VERBS = BUYING_VERBS | {"sell", "own", "hold"}
# What a bidder puts to a company's owners: "a higher bid from Qwest"; as verbs, "Qwest bid $6.3bn for MCI".
BID_NOUNS = frozenset({"bid", "offer", "approach"})


def party_to_a_deal(span: Span) -> bool:
    """A deal's words that make both sides companies: a buyer of a named organisation or of a part of one ("Kraft
    agreed to acquire Cadbury", "Fosters bought 18.8% of Southcorp"), the company a part of is bought or held ("18.8%
    of Southcorp", "owns 82% of Fox Entertainment"), a bidder ("a higher bid from Qwest"). Clubs buy players, not
    organisations, and people (the model's PERSON) never get here."""
    root = _list_head(span)
    verb = root.head
    if root.dep_ == "nsubj":
        verbs = [verb, *(c for c in verb.children if c.dep_ == "xcomp")]  # "agreed to acquire"
        for v in verbs:
            if v.lemma_.lower() in BUYING_VERBS and any(
                    o.dep_ == "dobj" and (o.ent_type_ == "ORG" or _a_part(o)) for o in v.children):
                return True
            if v.lemma_.lower() in BID_NOUNS and any(  # "Qwest has bid $6.3bn for MCI"
                    p.dep_ == "prep" and p.lower_ == "for" and any(
                        o.dep_ == "pobj" and o.ent_type_ == "ORG" for o in p.children) for p in v.children):
                return True
    if root.dep_ == "pobj" and verb.lower_ == "of" and _a_part(verb.head) and verb.head.dep_ == "dobj" and \
            verb.head.head.lemma_.lower() in HOLDING_VERBS:
        return True
    return root.dep_ == "pobj" and verb.lower_ == "from" and verb.head.lemma_.lower() in BID_NOUNS


def _a_part(t: Token) -> bool:
    """A percentage of something ("18.8%"), or a stake."""
    return t.ent_type_ == "PERCENT" and t.pos_ in ("NOUN", "NUM", "SYM") or t.lemma_.lower() == "stake"


def named_as_an_example(span: Span) -> bool:
    """'banking giants such as Barclays Capital and Sumitomo Mitsui', 'lenders like HSBC': a name given as an example
    of companies."""
    node = span.root
    for _ in range(3):
        head = node.head
        if head.i == node.i:
            return False
        example = head.lower_ == "like" or head.lower_ == "as" and any(c.lower_ == "such" for c in head.children)
        if example and head.dep_ == "prep" and head.head.tag_ == "NNS" and \
                head.head.lemma_.lower() in entity_data().company_context:
            return True
        node = head
    return False


def employs_market_professional(span: Span) -> bool:
    """'Wallace Cheung, an analyst at DBS Vickers', 'analyst Alex Potter at Lehman Brothers', 'chief economist
    with Eaton Vance', 'a fund manager at Perpetual Trustees': the bank, broker or fund a market professional
    works for. (Names of public bodies and institutes never get here: their own words type them first.) Not an
    acronym: trade bodies and lobbies employ economists too ("chief economist at the EEF")."""
    root = _list_head(span)
    if span.text.isupper() or root.dep_ != "pobj" or root.head.lower_ not in ("at", "with", "of"):
        return False
    holder = root.head.head
    jobs = [holder] if holder.pos_ == "NOUN" else [
        c for c in holder.children if c.dep_ in ("compound", "appos") and c.pos_ == "NOUN"] \
        if holder.pos_ == "PROPN" and holder.ent_type_ == "PERSON" else []
    return any(_profession(job) for job in jobs)


def _profession(noun: Token) -> bool:
    """'analyst', 'economists', 'fund manager': a job of the markets (models/entities.json 'market_professions')."""
    words = entity_data().market_professions
    if noun.lemma_.lower() in words or noun.lower_ in words:
        return True
    return any(f"{c.lower_} {noun.lemma_.lower()}" in words for c in noun.children if c.dep_ == "compound")


def _word_in(t: Token, words: frozenset[str]) -> bool:
    """The word as written or its lemma is in the list (the lists hold plurals too: 'shareholders')."""
    return t.lower_ in words or t.lemma_.lower() in words


_TICKER = re.compile(r"^(?:(?:NYSE|NASDAQ|Nasdaq|LSE|TSX|ASX|OTC|AMEX)\s*:\s*)?[A-Z][A-Z.]{1,5}$")
_EXCHANGE_TICKER = re.compile(r"^(?:NYSE|NASDAQ|Nasdaq|LSE|TSX|ASX|OTC|AMEX)\s*:")


def ticker_after(span: Span, exchange_only: bool = False) -> bool:
    """'LVMH (LVMHF)', 'Apple (NASDAQ: AAPL)': a stock ticker in brackets right after the name. After a
    place the same brackets hold an airport code ("Spokane (GEG)"): there only an exchange prefix counts."""
    doc = span.doc
    if span.end + 2 >= len(doc) or doc[span.end].text != "(":
        return False
    close = next((t.i for t in doc[span.end + 1:min(len(doc), span.end + 6)] if t.text == ")"), None)
    inside = doc[span.end + 1:close].text if close is not None else ""
    if _EXCHANGE_TICKER.match(inside):
        return True
    # a bare three-letter code is as often an airport ("Heathrow (LHR)") as a ticker: four or more letters
    return not exchange_only and bool(_TICKER.match(inside)) and len(inside.replace(".", "")) >= 4


# Verbs after which 'it' is a dummy subject ("X said it was vital"), not a reference back to X.
_DUMMY_IT_VERBS = frozenset({"be", "seem", "appear", "look", "remain", "become", "take", "make"})


def refers_as_it(span: Span) -> bool:
    """'X said it would cut jobs', 'X and its rivals': the text refers back to the name as a thing."""
    doc = span.doc
    root = span.root
    window = doc[span.end:min(span.sent.end, span.end + PRONOUN_WINDOW)]
    for t in window:
        if t.ent_type_ in ("PERSON", "ORG") or t.lower_ in ("he", "she", "his", "her", "him"):
            return False  # another name in between, or a person's pronoun
        if t.lower_ == "its" and t.dep_ == "poss" and root.dep_ in ("nsubj", "nsubjpass") and \
                root.head in t.ancestors:
            return True  # "Massy said its stores", not "a painting by X for its collection"
        if t.lower_ == "it" and t.dep_ == "nsubj" and root.dep_ == "nsubj" and t.head.dep_ == "ccomp" and \
                t.head.head.i == root.head.i and t.head.lemma_.lower() not in _DUMMY_IT_VERBS and \
                not any(c.lemma_ in _DUMMY_IT_VERBS and c.dep_ in ("aux", "xcomp") for c in t.head.children):
            return True
    return False


def _clause_of(t: Token) -> Token | None:
    """The clausal complement a subject pronoun sits in ('X said [it would cut]')."""
    head = t.head
    return head if head.dep_ in ("ccomp", "xcomp", "advcl") else None


def looks_like_person_run(span: Span) -> bool:
    """An untagged run of capitalised proper nouns is a person only with a given name *and* a cue."""
    words = span.text.split()
    data = entity_data()
    return (2 <= len(words) <= MAX_PERSON_TOKENS and is_given_name(words[0])
            and words[-1] not in data.company_suffixes and words[-1] not in data.not_person_last
            and type_by_name(words) is None and person_cue(span))


def owns_as_company(span: Span) -> bool:
    """'Reddit priced its initial public offering', 'Zeta cut its dividend': the subject of a verb whose object is
    its own thing only a company has (models/entities.json 'company_possessions'). For a name the model tagged
    as nothing, where no place or product reading stands against it."""
    root = span.root
    if root.dep_ != "nsubj":
        return False
    possessions = entity_data().company_possessions
    return any(c.dep_ == "dobj" and any(p.dep_ == "poss" and p.lower_ == "its" for p in c.children) and (
        _word_in(c, possessions) or any(m.dep_ == "compound" and _word_in(m, possessions) for m in c.children))
        for c in root.head.children)  # "raised its full-year revenue forecast"


def named_as_company(span: Span) -> bool:
    """Strong evidence for a span the model did not call ORG or PERSON: a company noun right before it
    ("security firm Sophos", "retailer Argos") or in apposition ("Sophos, the security firm"), or a
    ticker after it. Verb and possessive cues are not enough here: places take them too."""
    data = entity_data()
    doc = span.doc
    if ticker_after(span, exchange_only=True):
        return True
    before = doc[span.start - 1] if span.start > 0 else None
    if before is not None and before.lemma_.lower() in data.company_context and before.pos_ == "NOUN" and \
            before.dep_ in ("compound", "appos", "nmod") or before is not None and before.head.i in \
            range(span.start, span.end) and before.lemma_.lower() in data.company_context and before.pos_ == "NOUN":
        return True
    root = span.root
    return any(t.dep_ == "appos" and t.lemma_.lower() in data.company_context for t in root.children) or (
        root.dep_ == "appos" and root.head.lemma_.lower() in data.company_context and root.head.i < span.start
        and root.head.pos_ == "NOUN")  # not the last word of a name before it: "European Central Bank (ECB)"
