"""Role claims: person -> role -> organisation ("Marjorie Janiewicz, former chief revenue officer at
Foursquare", "co-founders Guillaume Lample and Timothée Lacroix", "Mistral CEO Arthur Mensch")."""

from __future__ import annotations

import re
from functools import cache

from spacy.tokens import Span

from pipeline.nlp.claims.common import RawClaim, RawEntity, cues, entity_in
from pipeline.nlp.components import PERSON
from pipeline.types import ClaimKind

# How many tokens after a person an apposition may name the role's organisation in
# ("Alex Kendall, 29, is the co-founder and CEO of autonomous driving startup Wayve").
ROLE_ORG_WINDOW = 18
# Roles held inside one company: with no organisation in the sentence, the company the story is about.
COMPANY_ROLES = frozenset({"co-founder", "ceo", "cto", "cfo", "coo", "chief revenue officer", "chief scientist",
                           "chief product officer", "president", "chair", "general manager", "managing director"})


def role_claims(sent: Span, entities: list[RawEntity]) -> list[RawClaim]:
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
            org = entity_in(entities, person.end, min(sent.end, person.end + 12))
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
            org = entity_in(entities, person.end, min(sent.end, person.end + ROLE_ORG_WINDOW))
            if org:
                for role in (m.group(3), m.group(4)):
                    if role:
                        claims.append(_role(doc, person, role, org, bool(m.group(1))))
        # "the former head of alignment at OpenAI Jan Leike"
        m = re.search(rf"(former\s+|ex-)?\b({roles})\s+(?:of\s+[a-z]+\s+)?(?:at|of)\s+\S+(?:\s+\S+)?\s*$",
                      doc[max(sent.start, person.start - 9): person.start].text, re.IGNORECASE)
        if m:
            org = entity_in(entities, max(sent.start, person.start - 3), person.start)
            if org:
                claims.append(_role(doc, person, m.group(2), org, bool(m.group(1))))
        # "... recruitment of Marjorie Janiewicz, ..., as its first U.S. general manager"
        later = doc[person.end: min(sent.end, person.end + 20)].text
        m = re.search(rf"\bas\s+(?:its|their|the\s+company's)\s+(?:first\s+|new\s+)?(?:\S+\s+){{0,2}}?"
                      rf"({roles})\b", later, re.IGNORECASE)
        if m:
            company = entity_in(entities, sent.start, person.start)
            if company:
                claims.append(_role(doc, person, m.group(1), company, False))
        # "a Paris-based startup founded by former Meta researchers A and B"
        before = doc[max(sent.start, person.start - 6): person.start].text
        founded = re.search(r"\b(co-?)?founded\s+by\b", doc[sent.start:person.start].text[-80:], re.I)
        if founded and _founder_chain(sent, person, people):
            company = entity_in(entities, sent.start, person.start)
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
            org = entity_in(entities, org_words.start, person.start)
            if org is None:
                org = _now_at(sent, person, people, entities)
            if org is None and m.group(2) == "President":
                continue  # "President Mathieu Kerekou": a head of state's title, no company's role
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
    return entity_in(entities, end, min(sent.end, end + 6)) if m else None


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


def _founder_chain(sent: Span, person: RawEntity, people: list[RawEntity]) -> bool:
    """The person stands right after 'founded by' (modifiers allowed) or in a list that does."""
    doc = sent.doc
    gap = doc[max(sent.start, person.start - 6):person.start].text
    if re.search(r"founded\s+by\b", gap, re.I):
        return True
    prev = [p for p in people if p.end <= person.start]
    return bool(prev) and doc[prev[-1].end:person.start].text.strip() in ("and", ",", ", and") and \
        _founder_chain(sent, prev[-1], people)
