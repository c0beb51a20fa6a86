"""Date a claim by an explicit point in time stated in its sentence ("In June 2024, Mistral raised ...")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

import dateparser
from spacy.tokens import Span

from pipeline.nlp.build import load_json


@dataclass(frozen=True, slots=True)
class DateCues:
    skip_verbs: frozenset[str]
    skip_preps: frozenset[str]
    vague_prefix: re.Pattern
    duration: re.Pattern


@cache
def date_cues() -> DateCues:
    data = load_json("claims.json")["dates"]
    prefixes = "|".join(re.escape(p) for p in data["vague_prefixes"])
    units = "|".join(data["duration_units"])
    return DateCues(
        skip_verbs=frozenset(data["skip_verbs"]),
        skip_preps=frozenset(data["skip_preps"]),
        vague_prefix=re.compile(rf"^(?:{prefixes})\s*", re.IGNORECASE),
        # "18 months", "five years", "the past two quarters": a span of time, not a point in it
        duration=re.compile(rf"\b(?:\d[\d,.]*|[a-z]+(?:-[a-z]+)?)\s+(?:{units})s?\b", re.IGNORECASE),
    )


def _settings(published: date) -> dict:
    return {
        "RELATIVE_BASE": datetime(published.year, published.month, published.day),
        "PREFER_DATES_FROM": "past",  # a news claim reports what happened, not what will
        "PREFER_DAY_OF_MONTH": "first",
        "PREFER_MONTH_OF_YEAR": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "STRICT_PARSING": False,
    }


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def parse_point(text: str, published: date | None) -> date | None:
    """A point in time written in news style, resolved against the article's date; None for durations."""
    cues = date_cues()
    text = text.strip()
    if cues.duration.search(text) and not re.search(r"\b(?:last|this|next)\s+(?:year|month|week|quarter)\b",
                                                    text, re.IGNORECASE):
        return None
    text = cues.vague_prefix.sub("", text)
    text = re.sub(r"^(?:the|on|in)\s+", "", text, flags=re.IGNORECASE)
    if published is None and not re.search(r"\b(?:1[89]|20)\d\d\b", text):
        return None  # "in March" in an undated article: which March is not said
    base = published or date.today()
    if published is not None and text.lower() in WEEKDAYS and WEEKDAYS.index(text.lower()) == published.weekday():
        return published  # "on Monday" in Monday's paper is that day, not the week before
    parsed = dateparser.parse(text, languages=["en"], settings=_settings(base))
    if parsed is None:
        return None
    when = parsed.date()
    if published is not None and when > published:
        return None  # "by 2030", "next year": a plan, not the moment the claim describes
    return when


def stated_date(sent: Span, start: int, end: int, published: date | None) -> date | None:
    """The explicit date that governs the claim at char offsets [start, end) of its Doc, if any.

    A DATE entity counts when it hangs off a verb (directly or through a preposition such as
    "in"/"on") that is not itself a founding or launch verb: "In June 2024, Mistral raised
    €600 million" dates the funding; "Founded in 2023, Mistral raised ..." and "since its Series A
    in early 2024" do not. The nearest such date to the claim wins.
    """
    cues = date_cues()
    best: tuple[int, date] | None = None
    for ent in sent.ents:
        if ent.label_ != "DATE":
            continue
        head = ent.root.head
        prep = None
        if head.dep_ == "prep" or head.pos_ == "ADP":
            prep = head
            head = head.head
        if prep is not None and prep.lower_ in cues.skip_preps:
            continue
        if head.pos_ not in ("VERB", "AUX") or head.lemma_.lower() in cues.skip_verbs:
            continue
        when = parse_point(ent.text, published)
        if when is None:
            continue
        distance = max(ent.start_char - end, start - ent.end_char, 0)
        if best is None or distance < best[0]:
            best = (distance, when)
    return best[1] if best else None
