"""Numbers as written ("more than $2bn", "Only three", "18 per cent") -> Quantity with an interval."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path

from text_to_num import text2num

from pipeline.types import Interval, Quantity

MODELS_DIR = Path(__file__).resolve().parents[2] / "models"

# "$2 billion" vs "$2.05 billion" agree: a writer rounding to the last digit they wrote is
# trusted to within 5% at most ("$2 billion" -> [1.9, 2.1] bn, not the +-0.5 bn half-digit).
ROUNDING_TOLERANCE = 0.05
# "about 50" -> [45, 55]: the usual reading of about/around/roughly in news copy.
APPROXIMATE_TOLERANCE = 0.10
# "nearly 3,000" -> [2,700, 3,000): "nearly" rarely hides more than a 10% shortfall.
APPROACHING_TOLERANCE = 0.10
# Counts of people below 100 are written exactly ("three of the 14"); above, they are rounded.
EXACT_COUNT_BELOW = 100


@dataclass(frozen=True, slots=True)
class NumberVocabulary:
    quantity_words: dict[str, float]
    scales: dict[str, float]
    currency_symbols: dict[str, str]
    currency_words: dict[str, str]
    percent_words: tuple[str, ...]
    qualifiers: dict[str, dict]
    vague: dict[str, tuple[float, float]]  # "hundreds" -> [200, 1000)


@cache
def vocabulary() -> NumberVocabulary:
    data = json.loads((MODELS_DIR / "numbers.json").read_text(encoding="utf-8"))
    return NumberVocabulary(
        quantity_words=data["quantity_words"],
        scales=data["scales"],
        currency_symbols=data["currency_symbols"],
        currency_words=data["currency_words"],
        percent_words=tuple(data["percent_words"]),
        qualifiers=data["qualifiers"],
        vague={w: (float(b[0]), float(b[1])) for w, b in data["vague_quantities"].items() if not w.startswith("_")},
    )


_DIGITS = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)")
_RANGE = re.compile(
    r"^(?:between\s+)?(?P<a>.+?)\s*(?:\band\b|\bto\b|-|–|—)\s*(?P<b>.+)$", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
# "$10-$15 million", "10–15": a dash between two numbers is a range; "-5%" alone is not.
_DASH_RANGE = re.compile(r"\d\s*[-–—]\s*\D{0,3}\d")


def _quote(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def _qualifier_re() -> re.Pattern[str]:
    return re.compile(rf"^(?:{_quote(vocabulary().qualifiers)})\b", re.IGNORECASE)


@cache
def _symbols_re() -> re.Pattern[str]:
    """Currency symbols in lower case, longest first; one spelled with letters ("rs", "rm", "hk$") only
    where no letter touches it, so "dollars" and "firm" hold no rupee or ringgit."""
    parts = []
    for symbol in sorted(vocabulary().currency_symbols, key=len, reverse=True):
        low = re.escape(symbol.lower())
        parts.append(rf"(?<![a-z]){low}(?![a-z])" if any(c.isalpha() for c in symbol) else low)
    return re.compile("|".join(parts))


@cache
def _symbol_codes() -> dict[str, str]:
    return {symbol.lower(): code for symbol, code in vocabulary().currency_symbols.items()}


def split_qualifier(text: str) -> tuple[str | None, str]:
    """'more than $2 billion' -> ('more than', '$2 billion')."""
    text = text.strip()
    m = _qualifier_re().match(text)
    if not m:
        return None, text
    return m.group(0).lower(), text[m.end():].strip()


# Scale words a count may be written with after "a": "a billion dollars", "a hundred staff".
NUMBER_SCALES = ("hundred", "thousand", "million", "billion", "trillion")
# Cents of a named currency after the number: "70 euro cents", "30 US cents" (not "5 per cent").
_CURRENCY_CENTS = re.compile(r"^(?!per\b)[a-z.]+\s+cents?\b")


# The article between a fraction and its scale: "half [a] billion", "a quarter [of a] million".
_FRACTION_OF = re.compile(r"^(?:of\s+)?an?\s+")


def parse_number(text: str) -> float | None:
    """A number from digits, number words or both, with a scale: '2.5bn', 'eleven', '1,700'."""
    vocab = vocabulary()
    s = _SPACE.sub(" ", text.strip().lower()).strip(" .,;:")
    if not s:
        return None
    s = _symbols_re().sub(" ", s).strip()
    m = _DIGITS.search(s)
    if m:
        value = Decimal(m.group(1).replace(",", ""))
        rest = s[m.end():].strip().removeprefix("-")  # "$1.05-billion fundraising"
    else:
        words_value, rest = _parse_words(s)
        if words_value is None:
            return None
        value = Decimal(str(words_value))
    if value < 1:
        rest = _FRACTION_OF.sub("", rest)  # "half a billion dollars", "a quarter of a million"
    scale_word = re.match(r"[a-z]+", rest)
    if scale_word and scale_word.group(0) in vocab.scales:
        value *= Decimal(str(vocab.scales[scale_word.group(0)]))
    elif _CURRENCY_CENTS.match(rest):
        value *= Decimal("0.01")  # "70 euro cents", "55 US cents"
    return float(value)


def _parse_words(s: str) -> tuple[float | None, str]:
    vocab = vocabulary()
    for phrase, number in sorted(vocab.quantity_words.items(), key=lambda kv: -len(kv[0])):
        if s == phrase or s.startswith(phrase + " "):
            return float(number), s[len(phrase):].strip()
    words = s.replace("-", " ").split()
    if len(words) > 1 and words[0] in ("a", "an") and words[1] in NUMBER_SCALES:
        return _parse_words(" ".join(["one", *words[1:]]))  # "a billion dollars", "a hundred staff"
    if words and (words[0] in vocab.scales or words[0].removesuffix("s") in vocab.scales):
        return None, s  # "billions", "millions of": a scale with no count is not a number
    # Longest prefix of words that text2num reads as one number ("three hundred and forty").
    for end in range(len(words), 0, -1):
        candidate = " ".join(words[:end])
        if candidate.endswith(" and"):
            continue
        try:
            return float(text2num(candidate, "en")), " ".join(words[end:])
        except ValueError:
            continue
    return None, s


# Pence written with a p ("shares rose 4p to 548p"); not a video resolution ("1080p").
PENCE = re.compile(r"^(?!(?:240|360|480|576|720|1080|1440|2160|4320)p$)(\d[\d,]*(?:\.\d+)?)p$", re.IGNORECASE)

# Number phrases whose parse is remembered per process: a few thousand distinct ones cover a corpus's
# amounts and counts, and a span's quantity is read several times (ranges, filters, each claim reader).
PARSED_QUANTITY_CACHE = 8192


@lru_cache(maxsize=PARSED_QUANTITY_CACHE)
def detect_unit(text: str) -> str | None:
    """The currency code or '%' a number's text carries, else None (a plain count)."""
    vocab = vocabulary()
    low = text.lower()
    m = _symbols_re().search(low)
    if m:
        return _symbol_codes()[m.group(0)]
    for word in sorted(vocab.currency_words, key=len, reverse=True):
        if re.search(rf"\b{re.escape(word)}\b", low):
            return vocab.currency_words[word]
    for word in vocab.percent_words:
        if word in low:
            return "%"
    return None


def written_precision(number_text: str, value: float) -> float:
    """Half a unit of the last digit the writer wrote, in the number's own scale."""
    m = _DIGITS.search(number_text.replace(" ", ""))
    if not m:
        return 0.0
    digits = m.group(1).replace(",", "")
    raw = float(digits)
    if raw == 0:
        return 0.0
    scale = value / raw
    if "." in digits:
        decimals = len(digits.split(".")[1])
        return 0.5 * 10 ** (-decimals) * scale
    stripped = digits.rstrip("0")
    trailing_zeros = len(digits) - len(stripped)
    return 0.5 * 10**trailing_zeros * scale


def interval_for(value: float, qualifier: str | None, unit: str | None, number_text: str) -> Interval:
    kind = vocabulary().qualifiers.get(qualifier or "", {}).get("kind")
    inclusive = vocabulary().qualifiers.get(qualifier or "", {}).get("inclusive", True)
    if kind == "above":
        return Interval(value, None, low_open=not inclusive)
    if kind == "below":
        return Interval(0.0, value, high_open=not inclusive)
    if kind == "approaching":
        return Interval(value * (1 - APPROACHING_TOLERANCE), value, high_open=True)
    if kind == "approximately":
        return Interval(value * (1 - APPROXIMATE_TOLERANCE), value * (1 + APPROXIMATE_TOLERANCE))
    return rounded_interval(value, unit, number_text)


def rounded_interval(value: float, unit: str | None, number_text: str) -> Interval:
    """The interval an unqualified number stands for, given the precision it was written with."""
    if unit is None and value.is_integer() and abs(value) < EXACT_COUNT_BELOW:
        return Interval.exact(value)
    if not _DIGITS.search(number_text):  # number words: "eleven" is exact, "a dozen" too
        return Interval.exact(value)
    tolerance = min(written_precision(number_text, value), abs(value) * ROUNDING_TOLERANCE)
    return Interval(value - tolerance, value + tolerance)


@lru_cache(maxsize=PARSED_QUANTITY_CACHE)  # Quantity is frozen: one parse may be shared
def parse_quantity(text: str, unit: str | None = None) -> Quantity | None:
    """'more than $2 billion' -> Quantity(2e9, (2e9, inf), 'more than', 'USD')."""
    vague = vague_quantity(text, unit)
    if vague is not None:
        return vague
    qualifier, rest = split_qualifier(text)
    if m := PENCE.match(rest.strip()):
        rest = f"{m.group(1)} pence"  # "548p": a British share price
    unit = unit or detect_unit(rest)
    rng = _RANGE.match(rest) if (rest.lower().startswith("between") or " to " in rest
                                 or _DASH_RANGE.search(rest)) else None
    if rng:
        a, b = parse_number(rng["a"]), parse_number(rng["b"])
        if a is not None and b is not None:
            if not _DIGITS.search(rng["a"]) or (a < b / 100 and b >= 1000):
                # "between 1 and 2 billion": the scale is written once, at the end.
                scales = [w for w in rng["b"].lower().split() if w in vocabulary().scales]
                tail_scale = vocabulary().scales[scales[-1]] if scales else 1.0
                a = a * tail_scale if tail_scale > 1 and a * tail_scale <= b else a
            low, high = sorted((a, b))
            return Quantity(value=(low + high) / 2, interval=Interval(low, high),
                            qualifier=qualifier or "between", unit=unit, text=text.strip())
    value = parse_number(rest)
    if value is None or math.isnan(value):
        return None
    return Quantity(value=value, interval=interval_for(value, qualifier, unit, rest),
                    qualifier=qualifier, unit=unit, text=text.strip())


def vague_quantity(text: str, unit: str | None = None) -> Quantity | None:
    """'hundreds', 'tens of thousands', 'several hundred' -> an open interval (models/numbers.json), the
    phrase as its qualifier and the low end as its value; 'hundreds of people' reads as 'hundreds'."""
    s = _SPACE.sub(" ", text.strip().lower())
    s = s.removeprefix("some ").removesuffix(" of")
    bounds = vocabulary().vague.get(s)
    if bounds is None:
        return None
    low, high = bounds
    return Quantity(value=low, interval=Interval(low, high, high_open=True), qualifier=s, unit=unit,
                    text=text.strip())
