"""Money claims: an amount, what it measures (the vocabulary in models/measures.json), whose it is and
its counterparty, read off the parse around the amount."""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from pipeline.nlp.claims.common import (
    RawClaim,
    RawEntity,
    SentenceContext,
    clause_subject,
    cues,
    entity_at,
    generic_subject,
    is_attribution,
    its_other_owner,
    known_non_companies,
    names_a_partner,
    names_at,
    names_in,
    place_name,
    resolve_reference,
    segment_of,
    sentence_entities,
    sentence_quantities,
    sole_owner,
    subject_of,
)
from pipeline.nlp.claims.context import claim_status, normalize_period, period_text, prior_period
from pipeline.nlp.claims.counts import group_head
from pipeline.nlp.components import COMPANY, MONEY, ORG, PERSON, from_of_a_range
from pipeline.nlp.entities import entity_data, is_institution, is_public_body
from pipeline.nlp.measures import Measure, vocabulary
from pipeline.nlp.numbers import detect_unit, parse_number
from pipeline.types import ClaimKind, ClaimStatus, Quantity

# How far before a money span a funding cue still governs it ("backed by $2 billion").
MONEY_CUE_WINDOW = 8
# How far after a money span its noun phrase may run: "a €10bn pre-money valuation".
MONEY_TAIL_WINDOW = 5
# How far up the parse from an amount the word it hangs off may be.
MONEY_PATH_HOPS = 3
# Funding words that name a round even a few words away from its amount; not "close" or "secure" (shares
# close at a price, a deal is secured) nor "fund" (a fund's size).
FUNDING_WINDOW_CUES = frozenset({"raise", "funding", "financing", "round", "series", "seed", "venture",
                                 "fundraise", "fundraising", "back", "backed", "invest", "investment",
                                 "investor", "led", "injection", "bankroll", "tranche", "secure"})
# Adjectives that make a forecast one that was replaced.
FORMER_WORDS = frozenset({"prior", "previous", "earlier"})
# Words of a funding round: with one of them, money raised in a sentence that names an IPO is the round's.
ROUND_WORDS = frozenset({"round", "series", "seed", "venture", "investor", "lead", "led", "funding", "financing"})
# Nouns of a contest or offer for a company: "a takeover battle for MCI", "a bid for Guidant".
DEAL_NOUNS = frozenset({"takeover", "bid", "offer", "battle", "approach", "acquisition", "merger", "buyout"})
# Verbs whose subject is the target of the bid they take as object: "X has received a $3bn takeover offer".
RECEIVING_VERBS = frozenset({"receive", "get", "reject", "accept", "consider", "rebuff", "spurn", "welcome"})
# Verbs whose subject, given a takeover by another, is the one taken over: "X agreed a $2bn takeover by Y".
AGREEING_VERBS = frozenset({"agree", "approve", "back", "recommend", "support"})
# Nouns that take the amount as their size but say nothing of what it measures: "a total of $515m".
NEUTRAL_HEADS = frozenset({"total", "sum", "amount", "figure", "tune", "record", "of", "about", "around",
                           "some", "nearly", "almost", "than"})


def is_conversion(q: Span, previous: Span | None, previous_converts: bool = False) -> bool:
    """'1.7 billion euros ($2 billion)': the bracketed amount restates the one before it in another
    currency, and so does each one after it in the bracket ('77m euros (£53m; $100m)'); '($1 = 0.8495
    euros)' is an exchange rate. None is a claim of its own."""
    doc = q.doc
    start = q.start
    while start > 0 and (doc[start - 1].is_currency or doc[start - 1].text in ("$", "US$")):
        start -= 1  # "($779m-798m)": the symbol the span left out
    if start > 0 and doc[start - 1].text == "(" and previous is not None and (
            previous.end == start - 1 or _a_date_between(doc[previous.end:start - 1])):
        return True  # "77m euros ($100m)", "Net income jumped to 3bn yuan in 2004 ($365m; £190m)"
    if previous_converts and q.start > 0 and doc[q.start - 1].text in (";", ",") and previous.end == q.start - 1:
        return True
    return (q.end < len(doc) and doc[q.end].text == "=") or (q.start > 0 and doc[q.start - 1].text == "=")


def _a_date_between(gap: Span) -> bool:
    """A short date phrase between an amount and the bracket that converts it: 'in 2004', 'last year'."""
    return 1 <= len(gap) <= 5 and any(t.ent_type_ == "DATE" for t in gap) and all(
        t.ent_type_ == "DATE" or t.lower_ in ("in", "for", "during", "on", "over", "at", "by") for t in gap)


def _exchange_rate(q: Span) -> bool:
    """'$1.364 per euro', 'at $1.3652 versus the euro', 'The dollar was trading at $1.3652', 'One dollar bought
    102.55 yen': the price of a currency, not an amount of money."""
    doc = q.doc
    after = [t.lower_ for t in doc[q.end:min(len(doc), q.end + 5)]]
    if after and after[0] in ("per", "to", "against", "a", "for", "versus", "vs", "vs."):
        rest = " ".join(after[1:]).removeprefix("the ").removeprefix("one ")
        if any(re.match(rf"{w}s?\b(?! zone| area)", rest) for w in _CURRENCY_NAMES):  # not "the euro zone"
            return True
    verb = next((t for t in q.root.ancestors if t.pos_ in ("VERB", "AUX")), None)
    subject = subject_of(verb) if verb is not None else None
    if subject is not None and q.start <= subject.i < q.end and q._.nf_quantity.value == 1:
        return True  # "One dollar bought 102.55 yen"
    return subject is not None and subject.pos_ == "NOUN" and subject.lemma_.lower() in _CURRENCY_WORDS and not (
        q.start <= subject.i < q.end or any((c.like_num or c.dep_ == "nummod") and c.lower_ not in ("one", "1")
                                            for c in subject.children))
    # (not "80bn rupees will be spent": an amount of the currency as the subject; "one dollar bought" is its price)


_CURRENCY_NAMES = ("euro", "dollar", "us dollar", "pound", "sterling", "yen", "yuan", "rupee", "franc", "won",
                   "rouble", "ruble", "peso", "real", "rand", "greenback", "single currency")
# Nouns of a currency as the subject of its price ("the dollar was trading at", "the euro hit $1.30").
_CURRENCY_WORDS = frozenset({"euro", "dollar", "pound", "sterling", "yen", "yuan", "rupee", "franc", "rouble",
                             "ruble", "peso", "rand", "greenback", "currency"})


def money_claims(sent: Span, q: Span, entities: list[RawEntity], ctx: SentenceContext) -> list[RawClaim]:
    quantity: Quantity = q._.nf_quantity
    if quantity.unit is None or quantity.unit == "%":
        return []
    if _about_shares(q) and not _share_quote(q) and not _PER_SHARE.match(sent.doc[q.end:min(sent.end, q.end + 4)].text):
        return []  # "BA's shares closed up four pence": a move of the share price, not an amount of money
    if _exchange_rate(q):
        return []  # "$1.364 per euro", "100 rupees to the US dollar": a price of money, not an amount
    measure, cue = money_measure(sent, q)
    if measure is not None and measure.measure == "trade" and cue is not None and \
            (balance := _balance_of(cue)) != "trade":
        # "the deficit": the trade balance or the budget's, as the article names it elsewhere, else neither;
        # "a pension deficit": no balance of ours
        measure = vocabulary().money_measure(ctx.deficit) if balance == "bare" and ctx.deficit else None
    if measure is not None and measure.kind is ClaimKind.FUNDING and _about_a_listing(sent):
        # "priced its initial public offering at $34 a share, raising $519 million": sold shares, no round
        measure = vocabulary().money_measure("listing proceeds")
    if measure is not None and measure.kind is ClaimKind.VALUATION and cue is not None and (
            _value_of_a_stake(cue) or cue.lower_ == "worth" and _prep_object(cue, ("of",)) is not None):
        # "the value of its Yukos shareholding had gone from $17.8bn": a holder's stake, not Yukos; "revoked $1bn
        # worth of contracts": the value of things
        measure = None
    if measure is not None and measure.measure == "profit" and cue is not None and cue.lemma_.lower() == "earn" and (
            source := _prep_object(cue, ("from",))) is not None and (earned := _measure_of(source)) is not None and \
            earned.measure in EARNED_FROM:
        # "Jamaica earned $1.4bn from exports", "earned $5m from sales of its software": what the money came from
        measure, cue = earned, source
    if measure is not None and measure.measure == "loss" and cue is not None and cue.lemma_.lower() == "lose" and \
            q.root.head.dep_ == "dobj" and q.root.head.head.i == cue.i and q.root.head.pos_ == "NOUN":
        measure = None  # "Boeing lost a $23bn government contract": a deal lost, no loss made
    if measure is not None and measure.kind in (ClaimKind.FUNDING, ClaimKind.VALUATION):
        claim = _funding_claim(sent, q, measure.kind, entities, ctx)
    else:
        claim = _measured_claim(sent, q, measure, cue, entities, ctx)
    if claim is None:
        return []
    if (claim.fields["company"] is None or not claim.subject_explicit) and claim.fields["measure"] is None and \
            not any(t.pos_ in ("VERB", "AUX") for t in sent):
        return []  # an amount alone on a line ("€900 million" in a fact box) states nothing
    claim.status = ClaimStatus.PRIOR if _is_prior(sent, q) else _forecast_named(cue) or (
        ClaimStatus.ACTUAL if _done_in_its_own_clause(q, cue) else None) or claim_status(
        q.root, flow=measure is not None and measure.per_period)
    anchors = [q.root] + ([cue] if cue is not None else [])
    claim.period = normalize_period(period_text(sent, anchors), ctx.published)
    if _per_unit_of_time(sent.doc, _after_brackets(sent.doc, q.end, sent.end), sent.end):
        # "The company is earning about $1.8m an hour": a rate, never held against the period's total
        claim.period = None
        claim.fields["comparable"] = False
    claim.anchor = q.root.i
    if cue is not None:
        claim.cue = cue.lower_ if cue.lower_ in (measure.cues if measure else ()) else cue.lemma_.lower()
    return [claim]


# Measures money earned "from" them is an amount of: "earned $1.4bn from exports", "from sales of its software" (not
# "from its stake in Beta": income, no stake price).
EARNED_FROM = frozenset({"revenue", "exports"})

# Words that make a debt a country's: "public debt", "sovereign debt"; and words of a debt owed abroad, a country's
# unless a company is named as its owner ("Argentina's foreign debt", not "Yukos said its foreign debt").
NATIONS_DEBT_WORDS = frozenset({"public", "national", "sovereign", "government", "state"})
ABROAD_DEBT_WORDS = frozenset({"foreign", "external"})

# What a holder owns of a company: its value is no value of the company.
STAKE_NOUNS = frozenset({"shareholding", "stake", "holding", "holdings", "share", "shares", "investment", "interest"})


def _value_of_a_stake(cue: Token) -> bool:
    """'the value of its Yukos shareholding', "the value of Menatep's stake": the value of what a holder has."""
    held = _prep_object(cue, ("of",))
    return held is not None and held.lemma_.lower() in STAKE_NOUNS


def _done_in_its_own_clause(q: Span, cue: Token | None) -> bool:
    """'offered to repay $220m of the $550m it lost': the amount's own clause says, in the past, what was done
    with it; what the sentence goes on to plan for it is another figure's status."""
    if cue is None or cue.pos_ != "VERB" or cue.tag_ != "VBD":
        return False
    if cue.dep_ == "relcl" and q.start <= cue.head.i < q.end:
        return True
    own = _own_clause_verb(cue.doc, q.end, len(cue.doc))
    return own is not None and own.i == cue.i


def _own_clause_verb(doc, start: int, end: int) -> Token | None:
    """'the $550m it lost': the verb of the clause whose subject pronoun stands right after an amount (ending at
    `start`), however the parse hangs that clause."""
    own = doc[start] if start < end else None
    if own is not None and own.pos_ == "PRON" and own.dep_ in ("nsubj", "nsubjpass") and own.head.pos_ == "VERB" \
            and own.head.i > own.i:
        return own.head
    return None


def _forecast_named(cue: Token | None) -> str | None:
    """'raised its full-year revenue forecast to $10bn': the word that names the measure names a forecast, the
    company's own ('its forecast', 'guidance', 'outlook') or outsiders' ('analysts' forecast')."""
    if cue is None or cue.pos_ != "NOUN" or not _forecast_noun(cue):
        return None
    voc = vocabulary().status
    lemma = cue.lemma_.lower()
    if _replaced(cue):
        return ClaimStatus.PRIOR  # "up from its prior forecast of $3.90 to $4.00 a share": the forecast it replaced
    owner = next((c for c in cue.children if c.dep_ == "poss"), None)
    if owner is not None and owner.lemma_.lower() in voc["outsiders"]:
        return ClaimStatus.ESTIMATE
    return ClaimStatus.GUIDANCE if lemma in voc["guidance_nouns"] or owner is not None else None


def _forecast_noun(t: Token) -> bool:
    """A noun of a forecast, the company's or outsiders' (models/measures.json 'status')."""
    voc = vocabulary().status
    return t.lemma_.lower() in voc["estimate_nouns"] or t.lemma_.lower() in voc["guidance_nouns"]


def _replaced(forecast: Token) -> bool:
    """'its prior forecast', 'the previous guidance': a forecast a newer one replaced."""
    return any(c.dep_ == "amod" and c.lower_ in FORMER_WORDS for c in forecast.children)


def _first_figure(q: Span) -> Token:
    """The amount's first number: of a range "$8.30 to $8.90" (whose root is "to"), "8.30"."""
    return next((t for t in q if t.like_num), q.root)


def _about_a_listing(sent: Span) -> bool:
    """The sentence names a stock market listing (a cue of 'listing proceeds': "IPO", "initial public offering",
    "flotation") and no funding round ("raised $500m in a Series D led by X ahead of an IPO")."""
    listing = vocabulary().money_measure("listing proceeds")
    text = sent.text.lower()
    if any(t.lemma_.lower() in ROUND_WORDS for t in sent):
        return False
    return any(t.lemma_.lower() in listing.cues or t.lower_ in listing.cues for t in sent) or \
        any(p in text for p in listing.phrases)


# ---------------------------------------------------------------- what the amount measures

def money_measure(sent: Span, q: Span, per_share: bool = True) -> tuple[Measure | None, Token | None]:
    """The measure of an amount and the word that says it, nearest evidence first: the words right after
    it ("a $6bn valuation", "$125m in penalties"), "valued at", then the words it hangs off ("profits
    of $1bn", "its acquisition of X for $69bn"), then a purpose ("agreed to pay $300m to settle").
    per_share=False reads an amount "a share" as the measure it is a share of."""
    voc = vocabulary()
    doc = sent.doc
    after = _after_brackets(doc, q.end, sent.end)
    if per_share and _PER_SHARE.match(doc[after:min(sent.end, after + 4)].text):
        if _share_quote(q):
            return voc.money_measure("share price"), doc[after]  # "priced at $25 a share"
        whole, cue = money_measure(sent, q, per_share=False)
        if whole is not None and whole.measure in PER_SHARE_MEASURES:
            return whole, cue  # "raise its dividend to $0.83 a share"
        if whole is not None and whole.measure in PRICES_PAID_FOR:
            # "agreed to buy Activision for $95 a share", "bought 18.8% of Southcorp for A$4.17 per share": a deal's
            # price for each share, apart from its whole price
            return voc.money_measure("price per share"), cue
        if whole is not None and whole.measure not in PER_SHARE_OF_EARNINGS or whole is None and not any(
                (m := _measure_of(t)) is not None and m.measure in PER_SHARE_OF_EARNINGS for t in sent):
            # "buy Vizio for $2.3bn, or $11.50 per share", "set a range of $31 to $34 per share": an offer's or a
            # listing's price, no measure of ours; with no word of earnings in the sentence, no earnings
            return None, None
        # "earned $1.13 a share"; the word of the whole ("full-year earnings of $8.30 a share") holds its period
        return voc.money_measure("earnings per share"), cue if whole is not None else doc[after]
    if per_share and after < sent.end and doc[after].lower_ == "each":
        whole, cue = money_measure(sent, q, per_share=False)
        if whole is not None and whole.measure in PRICES_PAID_FOR and cue is not None and cue.pos_ == "VERB" and \
                (bought := _bought(cue)) is not None and bought.lemma_.lower() == "share":
            # "offered to buy the remaining shares for $31 each": the price of each share bought
            return voc.money_measure("price per share"), cue
    if _share_quote(q):
        return voc.money_measure("share price"), q.root.head  # "its shares were down 10% at 119 pence"
    if (unit := _commodity_unit(doc, after, sent.end)) is not None:
        return voc.money_measure("price"), unit  # "above $40 a barrel": a commodity's price, no company's
    if q.root.dep_ in ("compound", "nmod", "amod", "nummod") and q.root.head.lemma_.lower() in MARKET_NOUNS and not (
            q.root.head.dep_ in ("dobj", "nsubjpass") and q.root.head.head.lemma_.lower() in BUYING_VERBS | {"sell"}):
        # "supplies funds to America's $8 trillion mortgage market", "Acme, the $5bn company, raised $200m": a whole's
        # size, no round (not "bought a $5bn business": the price)
        return None, None
    of = _first_figure(q).head
    if of.lower_ == "of" and of.head.lemma_.lower() == "share" and of.head.head.lower_ in ("per", "a"):
        noun = of.head.head.head  # "adjusted earnings per share of $8.30": what the amount is a share of
        found = _measure_of(noun) if noun.pos_ == "NOUN" else None
        if found is not None and found.measure in PER_SHARE_OF_EARNINGS:
            return voc.money_measure("earnings per share"), noun
        if found is not None and found.measure in PER_SHARE_MEASURES:
            return found, noun  # "dividend per share of 70p"
    tail = _tail_tokens(sent, q)
    for t in tail:
        found = _measure_of(t)
        if found is not None:
            return found, t
    for t in q.root.children:
        if t.dep_ == "relcl" and t.pos_ == "VERB" and (found := _measure_of(t)) is not None:
            return found, t  # "the $550m it lost on trading": what the amount's own clause did with it
    if (own := _own_clause_verb(doc, after, sent.end)) is not None and (found := _measure_of(own)) is not None:
        return found, own  # the same clause, parsed as the sentence's: "repay $220m of the $550m it lost"
    head = doc[max(sent.start, q.start - 3): q.start]
    for t in reversed(head):
        if t.lower_ == "worth":
            # "ticket sales worth 211bn yen" measures the sales; "Acme, worth $5bn" values a company;
            # "masks worth ¥40,000" is no measure of ours
            owner = t.head if t.head.i != t.i else None
            if owner is not None and owner.lemma_ == "be" and (subject := subject_of(owner)) is not None and \
                    subject.pos_ == "NOUN":
                owner = subject  # "its trade with the EU was worth $155.2bn": the trade's, not a valuation
            found = _measure_of(owner) if owner is not None and owner.pos_ == "NOUN" else None
            if found is not None:
                return found, owner
            if owner is not None and _dealing(owner) is not None:
                return voc.money_measure("acquisition price"), owner  # "bought Beta in a deal worth $2bn"
            named = owner is not None and (owner.ent_type_ in ("ORG", "PERSON") or owner.lemma_ == "be")
            return (voc.money_measure("valuation"), t) if named else (None, None)
        if t.lemma_.lower() in ("value", "valued", "valuation", "valuing"):
            if _value_of_a_deal(t):
                return voc.money_measure("acquisition price"), t
            if t.dep_ == "acl" and t.head.lemma_.lower() in ("deal", "contract", "order", "agreement"):
                return None, None  # "an order for 70 planes, in a deal valued at $4bn": no company is valued
            return voc.money_measure("valuation"), t
    if (misread := _change_before(q)) is not None:
        return misread
    path = list(q.root.ancestors)[:MONEY_PATH_HOPS]
    contribution = next((t for t in path if t.pos_ in ("VERB", "AUX")), None)
    if contribution is not None and contribution.lemma_.lower() in cues().contribution_verbs and not (
            contribution.lemma_.lower() == "put" and not any(
                c.dep_ in ("prt", "prep") and c.lower_ in ("in", "into", "up", "forward")
                for c in contribution.children)):  # "put in $500m", not "put the cost at $640m": an estimate
        # "SoftBank, which put in around $500 million", "committing another €120m in convertible debt"
        if any(c.dep_ in ("xcomp", "advcl") and c.lemma_.lower() in BUYING_VERBS for c in contribution.children):
            return None, None  # "it put up 43 million euros to acquire a painting": the price of a purchase, no round
        spent = _measure_of(contribution)
        if spent is not None and spent.measure == "investment spending":
            return spent, contribution  # "will invest $2bn in new factories": spending, no funding round
        return voc.money_measure("funding"), contribution
    after_q = _after_brackets(doc, q.end, sent.end)
    change = q.root.dep_ == "pobj" and q.root.head.lower_ in ("of", "by")  # "a rise of $5m in profits": no profit
    written_after = [doc[after_q]] if after_q < sent.end and doc[after_q].lower_ in ("in", "of") and not change else []
    for child in [*(c for c in q.root.children if c.dep_ == "prep"), *written_after]:
        # "$2 billion in funding", "$125m in penalties", "12 trillion won of debt"; and "includes $5m in fines"
        # when the parse hangs the preposition off the verb
        if child.lower_ in ("in", "of"):
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if obj is not None and (found := _measure_of(obj)) is not None:
                return found, obj
    for t in path:
        found = _measure_of(t) or _change_of(t)
        changed = next((c for c in t.children if c.dep_ == "dobj" and c.pos_ == "NOUN"), None) \
            if t.pos_ == "VERB" else None
        if changed is not None and any(a.dep_ == "prep" and a.lower_ == "for" for a in path[:path.index(t)]) and \
                (paid_for := _measure_of_phrase(changed)) is not None and paid_for.measure in PRICES_PAID_FOR:
            return paid_for, changed  # "took a 10% stake in Arm for $1.2bn": the price of what the verb got
        if changed is not None and any(a.dep_ == "prep" and a.lower_ == "by" for a in path[:path.index(t)]):
            # "restated its earnings by $5bn", "raised its dividend by 10 cents": the amount of a change of the
            # object, not a level of its measure
            return None, None
        if changed is not None and any(a.dep_ == "prep" and a.lower_ in ("to", "from")
                                       for a in path[:path.index(t)]):
            # "lift its 2004 dividend payment to 70 euro cents", "raised its profit forecast to $5bn": the
            # amount is what the verb's object became, and that object says what it measures
            named = _measure_of_phrase(changed)
            if named is not None:
                return named, changed
            if changed.lemma_.lower() not in NEUTRAL_HEADS:  # "taking the annual total up 35.4% to $593.4bn"
                return None, None
        if t.pos_ in ("VERB", "AUX") and (found is None or _moves(t)):
            # a verb of change or being takes its measure from its subject: "Profits at X jumped 76% to
            # $1.13bn", "Sales were $11.1bn", "India's defence budget has been raised to 830bn rupees"
            subject = subject_of(t)
            if subject is None and t.dep_ == "acl" and t.lemma_.lower() in BEING_VERBS:
                subject = t.head  # "liabilities totalling $648m"
            if subject is not None and subject.pos_ == "NOUN" and (named := _measure_of(subject)) is not None:
                return named, subject
        if found is not None:
            return found, t
        if t.pos_ in ("VERB", "AUX"):
            break
    verb = next((t for t in q.root.ancestors if t.pos_ in ("VERB", "AUX")), None)
    if verb is not None and verb.lemma_.lower() == "pay" and q.root.dep_ == "dobj" and _pays_for_a_company(verb):
        return voc.money_measure("acquisition price"), verb  # "it has paid $1bn for US wine maker Robert Mondavi"
    if verb is not None:
        subject = subject_of(verb)
        if subject is not None and subject.pos_ == "NOUN" and (found := _measure_of(subject)) is not None:
            return found, subject
        for child in verb.children:  # "agreed to pay $300m to settle charges"
            if child.dep_ in ("advcl", "xcomp") and child.i > q.start and (found := _measure_of(child)):
                return found, child
    if verb is not None and verb.lemma_.lower() == "make" and q.root.dep_ == "dobj" and _a_business_made(verb):
        return voc.money_measure("profit"), verb  # "Its Global Investors wing made £347m": what a business made
    near = doc[max(sent.start, q.start - MONEY_CUE_WINDOW): min(sent.end, q.end + 4)]
    if any(t.lemma_.lower() in FUNDING_WINDOW_CUES or t.lower_ in FUNDING_WINDOW_CUES
           for t in near if t.pos_ in ("NOUN", "VERB") and t.lemma_.lower() != "lead" and not (
               t.pos_ == "VERB" and any(c.dep_ == "auxpass" for c in t.children)) and not _closes_nothing(t)):
        # not a passive "was raised from £2.50 to £4": a price or rate changed, nobody raised money
        return voc.money_measure("funding"), None  # "backed by $2 billion in funding from a16z"
    return None, None


def _a_business_made(verb: Token) -> bool:
    """'Barclays made £3.3bn', 'its Global Investors wing made £347m', 'the bank made $2bn': money a company, or a
    company's unit, made is its profit; not money made from something ('made $5m from ticket sales', a part of its
    sales) nor by a person or a thing ('the film made $100m')."""
    subject = subject_of(verb)
    if subject is None or any(c.dep_ == "prep" and c.lower_ == "from" for c in verb.children):
        return False
    if subject.ent_type_ == "ORG":
        return True
    return subject.pos_ == "NOUN" and subject.lemma_.lower() in entity_data().company_context | BUSINESS_UNITS


# Nouns of a part of a company that reports its own results: "its Global Investors wing".
BUSINESS_UNITS = frozenset({"unit", "division", "arm", "wing", "subsidiary", "branch", "operation"})


# Measures an amount "a share" keeps: "a dividend of 70 cents a share" is the dividend, as a share of it.
PER_SHARE_MEASURES = frozenset({"dividend", "earnings per share"})
# Measures of which an amount "a share" is earnings per share ("earned $854m, or $1.85 a share"); an amount "a
# share" of any other measure (a takeover's price, a buyback) has no measure of ours.
PER_SHARE_OF_EARNINGS = frozenset({"profit", "loss", "earnings per share"})
# Verbs of buying: money put up to do so pays a price, it funds no company.
BUYING_VERBS = frozenset({"acquire", "buy", "purchase"})
# Measures of a thing bought: "took a stake in X for $1.2bn", "completed the acquisition of X for $5bn".
PRICES_PAID_FOR = frozenset({"stake price", "acquisition price"})
# Measures only a company has: a public body reports or sets them, never owns them ("companies with a market
# value below $700m, the SEC said").
COMPANY_ONLY_MEASURES = frozenset({"market value", "valuation", "share price", "stake price", "listing proceeds"})
# Measures that are amounts of one share, never of a whole company.
PRICES_OF_ONE_SHARE = frozenset({"earnings per share", "share price"})


# Cues of measures named by nouns only that are verbs: "owing $23bn to the IMF", "offered to repay $220m".
VERB_CUES = frozenset({"owe", "repay"})
# People outside a company whose gains and losses are theirs, not its results ("investors lost $5m on the shares").
OUTSIDE_HOLDERS = frozenset({"shareholder", "investor", "holder", "bondholder", "stockholder", "creditor", "depositor",
                             "saver", "customer", "taxpayer", "pensioner", "policyholder", "consumer", "household"})
# Verbs that say a figure is or became something, taking their measure from their subject.
BEING_VERBS = frozenset({"be", "reach", "total", "stand", "come", "hit", "top", "amount", "climb", "remain"})


def _moves(verb: Token) -> bool:
    """A verb of change or being ('rose to', 'was', 'reached'), or 'raise' in the passive ('has been raised')."""
    voc = vocabulary()
    lemma = verb.lemma_.lower()
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)
    return lemma in BEING_VERBS or lemma in voc.up or lemma in voc.down or (lemma == "raise" and passive)


# Words that make a deficit or surplus one of trade: "the trade deficit", "the current account surplus".
_TRADE_BALANCE_WORDS = frozenset({"trade", "account", "current", "goods", "merchandise", "external", "export",
                                  "import", "services"})


def _balance_of(cue: Token) -> str:
    """What a 'deficit' or 'surplus' is a balance of: 'trade' ("the trade deficit", "the deficit with China",
    and any cue of trade that is no such word), 'other' ("a pension deficit": a noun of something else before
    it), or 'bare' ("the deficit", "a record surplus": its words do not say)."""
    if cue.lemma_.lower() not in ("deficit", "surplus"):
        return "trade"
    nouns = [c for c in cue.children if c.dep_ in ("compound", "amod", "nmod") and c.i < cue.i]
    if any(c.lower_ in _TRADE_BALANCE_WORDS or c.lemma_.lower() in _TRADE_BALANCE_WORDS for c in nouns):
        return "trade"
    if any(c.dep_ == "prep" and c.lower_ in ("with", "in") and any(
            g.ent_type_ in ("GPE", "NORP") or g.lemma_.lower() in _TRADE_BALANCE_WORDS for g in c.subtree)
           for c in cue.children):
        return "trade"  # "the deficit with China", "a surplus in goods"
    return "other" if any(c.pos_ in ("NOUN", "PROPN") and c.ent_type_ not in ("GPE", "NORP") for c in nouns) \
        else "bare"  # (a place's deficit, "the US deficit", is as bare as "the deficit")


def _value_of_a_deal(t: Token) -> bool:
    """ "the deal's total value", "the takeover's value": what a deal is worth is its price, not a company's
    valuation."""
    acquisition = vocabulary().money_measure("acquisition price")

    def a_deal(w: Token) -> bool:
        return w.lemma_.lower() == "deal" or vocabulary().by_cue.get(w.lemma_.lower()) is acquisition

    if t.pos_ == "VERB" and t.dep_ == "acl" and t.head.pos_ == "NOUN" and a_deal(t.head):
        # "a buyout by Verizon in a deal valued at $6.75bn"; not "an order for 70 planes, in a deal valued at $4bn"
        return _dealing(t.head) is not None or \
            any(vocabulary().by_cue.get(w.lemma_.lower()) is acquisition for w in t.sent if w.lemma_ != "deal")
    return t.pos_ == "NOUN" and any(c.dep_ == "poss" and a_deal(c) for c in t.children)


def _dealing(deal: Token) -> Token | None:
    """The buying, selling or takeover a deal is the form of: 'bought Beta in a deal valued at $2bn', 'agreed to a
    buyout by Verizon in a deal valued at $6.75bn' (a verb or noun of acquisition the phrase 'in a deal' hangs
    off), else None ('an order for 70 planes, in a deal valued at $4bn')."""
    if deal.lemma_.lower() not in ("deal", "transaction", "agreement") or deal.dep_ != "pobj" or \
            deal.head.lower_ not in ("in", "under"):
        return None
    head = deal.head.head
    acquisition = vocabulary().money_measure("acquisition price")
    if head.pos_ in ("VERB", "NOUN") and vocabulary().by_cue.get(head.lemma_.lower()) is acquisition and \
            head.lemma_.lower() != "bid":
        return head
    return None


def _bought(verb: Token) -> Token | None:
    """What a verb of buying or selling takes: its object, or the subject of its passive."""
    return next((c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")), None)


def _a_stake(thing: Token) -> bool:
    """'a 20% stake', 'its holding', 'shares', '19.5% of Sina's shares': part of a company, not the company."""
    if any(c.lower_ in ("remaining", "outstanding", "all") for c in thing.children
           if c.dep_ in ("amod", "det", "predet")):
        return False  # "the remaining shares", "all of its shares": the rest of the company, its takeover
    if thing.lemma_.lower() in ("stake", "holding", "share", "%", "percent"):
        return True
    return any(p.dep_ == "prep" and p.lower_ == "of" and any(o.dep_ == "pobj" and _a_stake(o) for o in p.children)
               for p in thing.children)


def _market_value_move(cue: Token) -> bool:
    """'ASML shares rose 1%, valuing the company at €268 billion': the stock market's value, not a deal's."""
    if cue.pos_ != "VERB" or cue.dep_ not in ("advcl", "xcomp", "conj"):
        return False
    subject = next((c for c in cue.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subject is not None and subject.lemma_.lower() in ("share", "stock")


def _measure_of_phrase(noun: Token) -> Measure | None:
    """The measure a noun or its compound names ("dividend payment", "profit forecast" -> its own word); a limit
    takes no measure from its compound ("the income-tax threshold", "the debt ceiling": not the tax or the debt),
    though its own phrase may name one ("market cap")."""
    if (found := _measure_of(noun)) is not None or noun.lemma_.lower() in LIMIT_NOUNS:
        return found
    return next((m for c in noun.children if c.dep_ == "compound" and c.i < noun.i
                 and (m := _measure_of(c)) is not None), None)


def _change_of(t: Token) -> Measure | None:
    """'a 26% rise in annual profits to $16.2bn': a noun of change takes its measure from what it is a
    change in."""
    voc = vocabulary()
    if t.pos_ != "NOUN" or t.lemma_.lower() not in voc.up | voc.down:
        return None
    return next((m for c in t.children if c.dep_ == "prep" and c.lower_ in ("in", "of")
                 for o in c.children if o.dep_ == "pobj" and (m := _measure_of(o)) is not None), None)


def _change_before(q: Span) -> tuple[Measure, Token] | None:
    """'blamed X for a 1% fall in profits in its UK retail division to £1.13bn': the parse hangs "to £1.13bn" off
    the sentence's verb, though it ends the noun of change right before it; the amount is the level that
    change reached, of the measure it is a change in."""
    prep = q.root.head
    verb = prep.head
    if q.root.dep_ != "pobj" or prep.lower_ != "to" or verb.pos_ != "VERB" or _moves(verb) or prep.i == 0:
        return None
    for t in [prep.doc[prep.i - 1], *prep.doc[prep.i - 1].ancestors]:
        if t.i == verb.i:
            return None
        if (found := _change_of(t)) is not None:
            return found, t
    return None


def _measure_of(t: Token) -> Measure | None:
    """The measure a word names: a phrase with its modifiers ('market value', 'net income') first, then
    its lemma. Verbs name measures of deeds (raise, buy, fine, earn); nouns of things."""
    voc = vocabulary()
    lemma = t.lemma_.lower()
    mods = [c for c in t.children if c.dep_ in ("compound", "amod") and c.i < t.i]
    if mods:
        phrase = " ".join([m.lower_ for m in mods] + [t.lower_])
        lemma_phrase = " ".join([m.lower_ for m in mods] + [lemma])
        for p, m in voc.phrases:
            if phrase.endswith(p) or lemma_phrase.endswith(p):
                return m
    found = voc.by_cue.get(t.lower_) or voc.by_cue.get(lemma) or voc.by_cue.get(_hyphenated(t))
    if found is None and t.lower_ in ("gap", "difference", "balance") and {
            o.lemma_.lower() for p in t.children if p.dep_ == "prep" and p.lower_ == "between"
            for o in p.subtree} >= {"export", "import"}:
        return voc.money_measure("trade")  # "the gap between US exports and imports"
    if found is None:
        return None
    if found.measure == "acquisition price" and t.pos_ == "VERB" and (bought := _bought(t)) is not None and \
            _a_stake(bought):
        return voc.money_measure("stake price")  # "bought 19.5% of Sina's shares for $230m": a stake, not the firm
    if found.measure == "profit" and _PER_SHARE.match(t.doc[t.i + 1:t.i + 4].text):
        return voc.money_measure("earnings per share")  # "earnings per share rose to 54 cents"
    if found.measure in voc.segment_measures and segment_of(t) is not None:
        return None  # "iPhone sales of $46bn", "like-for-like sales": a part or another basis, not the revenue
    if found.measure == "valuation" and _market_value_move(t):
        return voc.money_measure("market value")
    if found.measure == "valuation" and _value_of_a_deal(t):
        return voc.money_measure("acquisition price")
    if found.measure in ("pay", "tax", "budget", "price", "debt", "stake price", "trade") and t.pos_ != "NOUN" and \
            lemma not in VERB_CUES:
        return None  # "agreed to pay $300m", "shares were trading at $17": the verb names no measure; the noun does
    if found.measure in ("loss", "profit") and t.pos_ == "VERB" and (holder := subject_of(t)) is not None and \
            (holder.lemma_.lower() in OUTSIDE_HOLDERS or found.measure == "loss" and group_head(holder) is not None):
        # "shareholders lost about $180bn when the company collapsed": their money, not its results; "a former
        # executive ... has lost her £7.5m claim": a person's loss, not the firm's
        return None
    if found.measure == "profit" and t.pos_ == "VERB" and lemma in ("earn", "make") and (
            (holder := subject_of(t) or (t.head if t.dep_ == "acl" else None)) is not None) and \
            (group_head(holder) is not None or holder.ent_type_ == "PERSON" or holder.lower_ in EARNING_PEOPLE_WORDS):
        return voc.money_measure("pay")  # "senior members of staff earning $234,000 a year": people's pay, no profit
    if found.measure == "price" and t.tag_ == "NNS" and lemma == "cost":
        return None  # "fuel costs rose by £106m": a company's expenses, not the price of one thing
    if found.kind is ClaimKind.FUNDING and t.pos_ == "VERB" and any(
            c.dep_ == "prep" and any(o.dep_ == "pobj" and (
                c.lower_ in ("on", "in", "through", "via") and o.lemma_.lower() in LISTING_PLACES or
                c.lower_ == "from" and o.lemma_.lower() in LISTINGS) for o in c.children)
            for c in [*t.children, *(g for d in t.children if d.dep_ == "dobj" for g in d.children)]):
        # "looking to raise more than 70m euros on the stock market", "to raise 16.4bn rupees from the offering"
        return voc.money_measure("listing proceeds")
    if found.kind is ClaimKind.FUNDING and t.pos_ == "VERB" and any(c.dep_ == "auxpass" for c in t.children):
        return None  # "the surcharge was raised from £2.50 to £4": a price changed, nobody raised money
    if found.kind is ClaimKind.FUNDING and _closes_nothing(t):
        return None  # "crude closed at $40.15", "fell $12.33 to close at $172.55": a price, no round closed
    if found.measure == "investment spending" and t.pos_ == "VERB" and (spent_on := _spent_on(t)) is not None:
        return spent_on  # "spend 500m euros this year buying back shares", "spend $2bn on dividends"
    invested_in = [o for c in t.children if c.dep_ == "prep" and c.lower_ in ("in", "into")
                   for o in c.children if o.dep_ in ("pobj", "pcomp")]
    if lemma in ("investment", "invest") and any(
            o.pos_ == "NOUN" and o.ent_type_ in ("", "DATE") or o.tag_ == "VBG" for o in invested_in) and not any(
            o.pos_ == "PROPN" or o.ent_type_ in ("ORG", "PERSON", "GPE") for o in invested_in):
        # "an £150m investment in new printing facilities", "plans to invest £10bn in the next five years": spent on
        # things or over years, in no company named
        return voc.money_measure("investment spending")
    return found


# Wholes an amount written before them sizes: "the $8 trillion mortgage market", "a £2bn industry", "the $5bn
# company" (its value or its sales, the text does not say which).
MARKET_NOUNS = frozenset({"market", "industry", "sector", "economy", "company", "firm", "group", "business", "giant",
                          "conglomerate"})

# Nouns of a limit set on a measure: "raised the income-tax threshold to 100,000 rupees", "the debt ceiling".
LIMIT_NOUNS = frozenset({"threshold", "ceiling", "cap", "limit", "allowance", "band", "bracket"})

# Where money raised by selling shares to the public is raised: "on the stock market", "in a flotation".
LISTINGS = frozenset({"flotation", "listing", "ipo", "offering", "float"})
LISTING_PLACES = LISTINGS | {"market", "exchange", "bourse"}

# Subjects of "earn" that are people, whose earnings are pay: "he earned $2m last year", "those earning less than".
EARNING_PEOPLE_WORDS = frozenset({"he", "she", "those"})  # not "we": a company speaking of its profit

# Measures an amount spent may be named by what it is spent on: a buyback, dividends.
SPENT_ON_MEASURES = frozenset({"buyback", "dividend"})


def _spent_on(verb: Token) -> Measure | None:
    """What a verb of spending names its money by: 'spend 500m euros buying back shares' (a buyback), 'spend $2bn
    on dividends'."""
    voc = vocabulary()
    for c in verb.children:
        if c.dep_ in ("xcomp", "advcl") and c.tag_ == "VBG" and (
                c.lemma_.lower() == "repurchase" or c.lemma_.lower() == "buy" and any(
                    p.dep_ == "prt" and p.lower_ == "back" for p in c.children)):
            return voc.money_measure("buyback")
        if c.dep_ == "prep" and c.lower_ == "on":
            found = next((m for o in c.children if o.dep_ == "pobj" and (m := _measure_of_phrase(o)) is not None), None)
            if found is not None and found.measure in SPENT_ON_MEASURES:
                return found
    return None


def _pays_for_a_company(verb: Token) -> bool:
    """'paid $1bn for US wine maker Robert Mondavi', 'paid $2bn for Acme Corp': what is paid for is a company (a
    name the model calls an organisation, or one a company's noun stands by), not rights, a painting or a
    service."""
    context = entity_data().company_context
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ == "for":
            words = [t for o in prep.children if o.dep_ == "pobj" for t in o.subtree]
            names = any(t.pos_ == "PROPN" for t in words)
            return names and any(t.ent_type_ == "ORG" or t.lemma_.lower() in context for t in words)
    return False


def _closes_nothing(t: Token) -> bool:
    """'close' with no object: a price closed at, not a funding round closed."""
    return t.lemma_.lower() == "close" and not any(c.dep_ == "dobj" for c in t.children)


def _hyphenated(t: Token) -> str:
    """The hyphenated word a token is the first part of, as written ("bail-out", "buy-back"), or ''."""
    doc = t.doc
    if t.i + 2 < len(doc) and doc[t.i + 1].text == "-" and not t.whitespace_ and not doc[t.i + 1].whitespace_:
        return f"{t.lower_}-{doc[t.i + 2].lower_}"
    if t.i >= 2 and doc[t.i - 1].text == "-" and not doc[t.i - 2].whitespace_ and not doc[t.i - 1].whitespace_:
        return f"{doc[t.i - 2].lower_}-{t.lower_}"
    return ""


def _tail_tokens(sent: Span, q: Span) -> list[Token]:
    """Words right after an amount up to the next clause break: 'a €10bn pre-money valuation' (and words
    the model took into the amount itself: "€1.7bn Series C")."""
    out = [t for t in q if t.is_alpha and t.pos_ in ("NOUN", "PROPN") and parse_number(t.text) is None
           and detect_unit(t.text) is None]
    doc = sent.doc
    start = _after_brackets(doc, q.end, sent.end)
    for t in doc[start: min(sent.end, start + MONEY_TAIL_WINDOW)]:
        joined = t.text in ("-", "–") and not t.whitespace_ and t.i > 0 and not doc[t.i - 1].whitespace_
        if (t.is_punct and not joined) or t.pos_ in ("VERB", "ADP", "CCONJ", "AUX", "DET", "PRON"):
            break  # "€10B valuation – The funding ...": the dash ends the amount's phrase; "pre-money" does not
        out.append(t)
    return out[::-1]  # the head of an English noun phrase is its last word: "pre-money valuation"


# "a share", "per diluted share", "for each Guidant share", "per LSE share" (a company's name before "share")
_PER_SHARE = re.compile(r"^-?\s*(?i:for\s+each|a|per|each)(?:\s*-\s*|\s+)"
                        r"(?:(?i:diluted|basic|ordinary)\s+|[A-Z][\w&'.-]*\s+){0,3}?(?i:share)\b")
# Units commodities are priced in: "$40 a barrel", "$1,200 an ounce", "£150 per tonne".
COMMODITY_UNITS = frozenset({"barrel", "barrels", "ounce", "ounces", "tonne", "tonnes", "ton", "tons", "gallon",
                             "gallons", "litre", "litres", "liter", "liters", "bushel", "bushels", "therm", "therms",
                             "mmbtu", "mwh", "megawatt-hour", "kilo", "kilogram", "kg", "lb"})


# Units of time an amount may be a rate of: "$1.8m an hour", "1bn CFA francs a month".
TIME_UNITS = frozenset({"second", "minute", "hour", "day", "week", "month"})


def _per_unit(doc, start: int, end: int) -> Token | None:
    """The unit word of "a barrel", "per tonne", "an hour", "a troy ounce" right after an amount."""
    words = [t for t in doc[start:min(end, start + 3)] if t.lower_ != "troy"]
    return words[1] if len(words) >= 2 and words[0].lower_ in ("a", "an", "per", "each", "every") else None


def _per_unit_of_time(doc, start: int, end: int) -> bool:
    """'an hour', 'per day', 'a week' right after an amount."""
    unit = _per_unit(doc, start, end)
    return unit is not None and unit.lemma_.lower() in TIME_UNITS


def _commodity_unit(doc, start: int, end: int) -> Token | None:
    """The unit word of "a barrel", "per tonne", "an ounce" right after an amount, if any."""
    unit = _per_unit(doc, start, end)
    return unit if unit is not None and unit.lower_ in COMMODITY_UNITS else None


def _share_quote(q: Span) -> bool:
    """'its shares were down 10% at 119 pence', 'shares closed at $17.65', 'priced at $25 a share': a price of
    one share, read off a clause whose subject is the shares or whose verb prices them."""
    prep = q.root.head
    if prep.lower_ not in ("at", "to") or prep.head.pos_ not in ("VERB", "AUX", "ADV", "ADJ"):
        return False
    verb = prep.head
    while verb.pos_ not in ("VERB", "AUX") and verb.head is not verb:
        verb = verb.head
    if verb.lemma_.lower() in ("value", "valuing"):
        return False  # "its shares rose 2%, valuing the company at about £20bn": the company's market value
    subject = subject_of(verb)
    name = subject
    if subject is not None and subject.pos_ != "PROPN":  # "Japan's biggest steel company Nippon Steel"
        name = next((c for c in subject.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
    if name is not None and name.ent_type_ in ("ORG", "") and _moves(verb) and any(
            t.ent_type_ == "PERCENT" for t in verb.subtree if t.i < q.start):
        return True  # "Nippon Steel lost 2.5% to 270 yen", "Corus fell 2.2% to 55.57 pence": a listed company's shares
    return (subject is not None and _names_shares(subject)) or verb.lemma_.lower() == "price"


def _about_shares(q: Span) -> bool:
    """The amount is in a clause whose subject is shares, stock or the share price ("shares closed up four
    pence", "BP's share price rose 4p")."""
    verb = next((t for t in q.root.ancestors if t.pos_ in ("VERB", "AUX")), None)
    return verb is not None and any(c.dep_ == "nsubj" and _names_shares(c) for c in verb.children)


def _names_shares(t: Token) -> bool:
    """'shares', 'stock', 'the share price'."""
    return t.lemma_.lower() in ("share", "stock") or (t.lemma_.lower() == "price" and any(
        m.dep_ == "compound" and m.lemma_.lower() in ("share", "stock") for m in t.children))


def _after_brackets(doc, i: int, end: int) -> int:
    """The first token after a bracketed aside right at i ("$3.25bn (£1.7bn) takeover offer")."""
    if i < end and doc[i].text == "(":
        close = next((t.i for t in doc[i:min(end, i + 12)] if t.text == ")"), None)
        if close is not None:
            return close + 1
    return i


def refine(measure: Measure, cue: Token | None) -> str:
    """'pre-tax profit', 'net loss', 'operating profit': the basis a profit or loss is stated on."""
    if not measure.refine or cue is None:
        return measure.measure
    voc = vocabulary()
    if cue.pos_ == "NOUN" and cue.lemma_.lower() in voc.up | voc.down:
        # "an 11% rise in pre-tax profits to A$67.7m": the basis of what the change is a change in
        cue = next((o for c in cue.children if c.dep_ == "prep" and c.lower_ in ("in", "of")
                    for o in c.children if o.dep_ == "pobj"), cue)
    bases = voc.profit_bases
    mods = [c for c in cue.children if c.dep_ in ("amod", "compound", "advmod", "nmod") and c.i < cue.i]
    before = cue.doc[min(c.left_edge.i for c in mods):cue.i].text.lower() if mods else ""
    after = cue.doc[cue.i + 1:cue.i + 3].text.lower()
    words = " ".join(before.replace(" - ", "-").replace("- ", "-").replace(" -", "-").split())
    for basis, name in sorted(bases.items(), key=lambda kv: -len(kv[0])):
        if re.search(rf"(?:^|\s){re.escape(basis)}(?:\s|$)", words) or after.startswith(basis):
            return f"{name} {measure.measure}"  # "underlying pre-tax profits": the first basis named
    return measure.measure


def stated_bases(sent: Span) -> dict[str, str]:
    """The basis a sentence gives each measure that takes one ('annual pre-tax profits climb' -> {'profit':
    'pre-tax profit'}), for an amount of the next sentence that names the measure alone ("Profits for the year
    rose 20% to £4.6bn"); a measure given two bases in the sentence gives none."""
    bases: dict[str, str | None] = {}
    for t in sent:
        found = _measure_of(t) if t.pos_ in ("NOUN", "PROPN") else None
        if found is None or not found.refine:
            continue
        refined = refine(found, t)
        if refined != found.measure:
            bases[found.measure] = refined if bases.get(found.measure, refined) == refined else None
    return {measure: refined for measure, refined in bases.items() if refined is not None}


# ---------------------------------------------------------------- whose amount it is

def _measured_claim(sent: Span, q: Span, measure: Measure | None, cue: Token | None,
                    entities: list[RawEntity], ctx: SentenceContext) -> RawClaim | None:
    """Any amount but funding and valuation: a measured one the owner the parse names, else none (never the
    nearest company: on a page of prices or a story of several firms, that guess makes false contradictions)."""
    quantity = q._.nf_quantity
    subject = counterparty = None
    explicit = True
    if measure is not None:
        subject, counterparty, explicit = _owner(sent, q, measure, cue, entities, ctx)
    else:
        # whose it is, for the reader: the sentence's one company, else the article's; such an amount has no
        # measure, so it is never keyed and meets only the same statement in another copy (store.writer); not
        # when a person's it is ("A former executive at ... Merrill Lynch has lost her £7.5m claim")
        # (read off the words: the parse may take "her" for the verb's object)
        personal = q.start > sent.start and sent.doc[q.start - 1].lower_ in ("her", "his", "their")
        subject, explicit = (None, True) if personal else sole_owner(sent, entities, ctx)
    kind = measure.kind if measure is not None else ClaimKind.MONEY
    return RawClaim(kind, q.start_char, q.end_char, quantity=quantity, subject_explicit=explicit, fields={
        "company": subject, "measure": refine(measure, cue) if measure is not None else None,
        "comparable": measure is None or measure.comparable, "round": None, "investors": (), "lead_investors": (),
        "contributor": None, "counterparty": counterparty})


def _owner(sent: Span, q: Span, measure: Measure, cue: Token | None, entities: list[RawEntity],
           ctx: SentenceContext) -> tuple[str | None, str | None, bool]:
    """(subject, counterparty, subject named in the sentence) of a measured amount."""
    if measure.measure == "acquisition price" or measure.measure == "price per share" and cue is not None and \
            _measure_of(cue) is not None and _measure_of(cue).measure == "acquisition price":
        return _deal_parties(sent, q, cue, entities, ctx)
    if measure.measure == "price per share":
        measure = vocabulary().money_measure("stake price")  # "bought 18.8% of Southcorp for A$4.17 per share"
    if measure.measure == "stake price" and cue is not None and cue.pos_ == "VERB" and \
            (bought := _bought(cue)) is not None:
        # "Shanda bought 19.5% of Sina's shares", "its shares were purchased for $230m": the company whose shares
        # they are, and the buyer
        named = names_in(entities, bought.left_edge.i, bought.right_edge.i + 1)
        owner = next(iter(named)) if len(named) == 1 else None
        explicit = True
        if owner is None and (its := next((t for t in bought.subtree if t.dep_ == "poss"), None)) is not None:
            owner, explicit = resolve_reference(its, sent, entities, ctx)
        buyer = subject_of(cue) if bought.dep_ == "dobj" else _agent(cue)
        buyer_name = _name(buyer, entities)
        return owner, buyer_name if buyer_name != owner else None, explicit
    if measure.measure == "fine" and cue is not None and cue.pos_ == "VERB":
        # "fined Acme Holdings $2m": the one fined is the verb's object or dative, the amount is not
        payer = next((c for c in cue.children if c.dep_ in ("dobj", "dative", "nsubjpass")
                      and not q.start <= c.i < q.end), None)
        authority = next((c for c in cue.children if c.dep_ == "nsubj"), None) or _agent(cue)
        auxiliaries = [t for t in cue.children if t.dep_ in ("aux", "auxpass") and t.i < cue.i]
        if payer is None and authority is not None and cue.tag_ in ("VBD", "VBN") and not auxiliaries \
                and q.root.head.i == cue.i:
            # "Monsanto fined $1.5m for bribery": a headline's passive ("[was] fined"), the one fined pays; an
            # authority fines somebody ("the SEC fined Monsanto $1.5m")
            payer, authority = authority, None
        subject, explicit = resolve_reference(payer, sent, entities, ctx)
        return subject, _name(authority, entities), explicit
    if measure.places and measure.object != "partner" and cue is not None and cue.pos_ == "NOUN" and \
            names_a_partner(sent, cue):
        return None, None, True  # "Latin American exports to China": one partner's flow, nobody's total
    if measure.measure == "price" and cue is not None and cue.lower_ in COMMODITY_UNITS:
        return None, None, True  # "oil above $40 a barrel": the market's price, not the article's company's
    if measure.measure == "share price" and cue is not None and cue.pos_ == "ADP":
        verb = next((t for t in cue.ancestors if t.pos_ in ("VERB", "AUX")), None)
        cue = subject_of(verb) if verb is not None else None  # the shares, whose owner names the company
    holder = _holder_of(cue, measure) if cue is not None else None
    if holder is not None and q.start <= holder.i < q.end:
        holder = None  # "an £150m investment": the amount's own words ('m' read as a name) own nothing
    if holder is None:
        verb = next((t for t in q.root.ancestors if t.pos_ in ("VERB", "AUX")), None)
        holder = subject_of(verb) if verb is not None and verb.lemma_.lower() not in (
            "say", "tell", "report") else None  # "X posted profits of $Y"; not "Reuters said"
    debt_words = {c.lower_ for c in cue.children if c.dep_ == "amod"} if measure.measure == "debt" and \
        cue is not None else set()
    if debt_words & (NATIONS_DEBT_WORDS | ABROAD_DEBT_WORDS):
        # "its foreign public debt of some $113bn" in a story of a Russian oil firm: the country's debt
        subject, explicit = resolve_reference(holder, sent, entities, ctx, places=True)
        company = (ctx.labels or {}).get(subject) in (COMPANY, ORG, PERSON)
        if holder is not None and holder.lower_ in ("its", "their") and (
                owner := clause_subject(holder)) is not None and owner.ent_type_ == "GPE":
            subject, explicit = place_name(owner), True  # "Argentina restructured its foreign debt"
        elif company and not debt_words & NATIONS_DEBT_WORDS and explicit:
            pass  # "Yukos said its foreign debt of $3bn would be repaid": a company owes abroad too
        elif subject is None or company:
            subject, explicit = ctx.main_place, False  # "the country has a $1.7bn public debt": the story's country
        return subject, None, explicit
    subject, explicit = resolve_reference(holder, sent, entities, ctx, places=measure.places)
    if subject is not None and holder is not None and holder.dep_ in ("nsubj", "nsubjpass") and \
            holder.head.lemma_.lower() in vocabulary().status["reporting_verbs"] and \
            any(e.name == subject and e.label == PERSON for e in entities):
        subject = None  # '"trade could cross half a billion dollars," Minister Kamal Nath said': who said it
    if subject is not None and measure.object in ("authority", "payee") and holder is not None and \
            holder.dep_ in ("compound", "poss") and is_institution(subject):
        # "a $515m SEC settlement", "the FSA's fine": the regulator is paid, someone else pays
        payer, explicit = sole_owner(sent, [e for e in entities if e.name != subject], ctx)
        return payer, subject, explicit
    if subject is not None and (measure.results or measure.places and measure.object != "creditor"
                                or measure.measure in COMPANY_ONLY_MEASURES) and is_public_body(subject):
        # "Chile's copper industry has registered record earnings of $14.2bn, the Chilean Copper Commission
        # said": an agency reports figures it does not own
        subject, explicit = sole_owner(sent, [e for e in entities if e.name != subject], ctx, places=measure.places)
    if subject is not None and measure.places and any(e.name == subject and e.label == PERSON for e in entities):
        # "Mr Berlusconi has promised to cut taxes by 6.5bn euros": a country's taxes, not its prime minister's
        subject, explicit = sole_owner(sent, [e for e in entities if e.label != PERSON], ctx, places=True)
    if subject is None and holder is not None and measure.object in ("payee", "authority") and \
            (staff := _people_of(holder, entities)) is not None:  # (an executive's lost claim is no loss of the firm)
        subject, explicit = staff, True  # "Ten former directors at WorldCom have agreed to pay $54m to settle"
    if subject is None and (holder is None or holder.pos_ != "PROPN") and not (
            holder is not None and holder.dep_ == "poss" and not measure.places and (
                holder.pos_ == "NOUN" or its_other_owner(holder, entities))):
        # a name we do not know stays unknown; so does an owner the text names by a noun that is no company word
        # ("the club's turnover", "the club managed to reduce its losses", in a story of a football club and of the
        # broadcaster that sold its stake)
        subject, explicit = sole_owner(sent, entities, ctx, places=measure.places)
    counterparty = None
    if measure.object in ("authority", "provider", "grantor") and cue is not None:
        counterparty = _name(_agent(cue) or _prep_object(cue, ("from", "by")), entities)
    if counterparty is None and measure.object in ("authority", "payee"):
        counterparty = _payee(q, entities)
    if counterparty is None and measure.object == "payee" and cue is not None:
        counterparty = _claimant(cue, entities)
    if measure.object == "partner" and cue is not None and (partner := _partner(cue, entities)) is not None:
        # "the deficit with China", "its trade with the EU": the balance with one partner, not the whole of it
        counterparty = partner
        if subject == partner:
            other = ctx.main_place if ctx.main_place != partner else None
            subject, explicit = (other, False) if other else (None, True)
    if measure.object == "lender" and cue is not None and cue.pos_ == "VERB" and cue.lemma_.lower() == "lend" and \
            (to := next((c for c in cue.children if c.dep_ == "dative"), None) or _lent_to(cue)) is not None:
        # "China lent Russia $6bn", "lent $6bn to Rosneft": the one lent to borrows, the verb's subject lends
        borrower, lent_explicit = resolve_reference(to, sent, entities, ctx, places=True)
        lender = _party_name(subject_of(cue), entities)
        return borrower, lender if lender != borrower else None, lent_explicit  # (unknown: nobody's)
    if measure.object == "lender" and cue is not None and cue.pos_ == "NOUN" and (to := _lent_to(cue)) is not None:
        # "approved a $1bn loan to Pakistan", "Rome's provision of a 400m euro loan to the carrier": the one lent
        # to borrows; the one lending gives it
        borrower, lent_explicit = resolve_reference(to, sent, entities, ctx, places=True)
        if borrower is not None:
            lender = _party_name(_holder_of(cue, measure), entities)
            return borrower, lender if lender != borrower else None, lent_explicit
    if measure.object in ("lender", "creditor") and cue is not None:
        # "a $18.6bn loan agreement with the IMF", "a loan from the World Bank", "owing $23bn to the IMF"
        # ("took a $500m loan from the World Bank": the preposition of the verb whose object the loan is)
        preps = ("from", "with") if measure.object == "lender" else ("to",)
        holders = [cue, cue.head] if cue.dep_ in ("compound", "dobj") else [cue]
        counterparty = next((n for h in holders if (n := _name(_prep_object(h, preps), entities))), None)
    return subject, counterparty, explicit


def _party_name(token: Token | None, entities: list[RawEntity]) -> str | None:
    """The name of a party to a loan: a company, organisation or person the sentence names, or a country."""
    if token is None:
        return None
    return _name(token, entities) or (place_name(token) if token.ent_type_ == "GPE" else None)


def _lent_to(loan: Token) -> Token | None:
    """Whom a loan is made to: 'a loan to Alitalia', 'has given a $500m loan to Ghana' (the verb's dative); not
    'repay the loan to the IMF' (the lender, paid back)."""
    holders = [loan]
    if loan.dep_ == "dobj" and loan.head.lemma_.lower() not in ("owe", "repay", "pay", "return"):
        holders.append(loan.head)
    return next((o for h in holders for c in h.children if c.lower_ == "to" and c.dep_ in ("prep", "dative")
                 for o in c.children if o.dep_ == "pobj"), None)


def _partner(cue: Token, entities: list[RawEntity]) -> str | None:
    """The trading partner a balance or trade is with: "the deficit with China", "trade with the EU"."""
    with_ = next((c for c in cue.children if c.dep_ == "prep" and c.lower_ == "with"), None)
    obj = next((g for g in with_.children if g.dep_ == "pobj"), None) if with_ is not None else None
    if obj is None:
        return None
    named = names_in(entities, obj.left_edge.i, obj.right_edge.i + 1)
    if len(named) == 1:
        return next(iter(named))  # "with the 25 EU member countries"
    place = obj if obj.ent_type_ == "GPE" else next((c for c in obj.subtree if c.ent_type_ == "GPE"), None)
    return place_name(place) if place is not None else None


def _payee(q: Span, entities: list[RawEntity]) -> str | None:
    """Who is paid the amount: 'paying the Securities and Exchange Commission $250m', 'agreed to pay $1m to the
    Department of Justice'."""
    verb = q.root.head
    if q.root.dep_ != "dobj" or verb.lemma_.lower() != "pay":
        return None
    to = next((c for c in verb.children if c.dep_ == "dative"), None) or _prep_object(verb, ("to",))
    return _name(to, entities)


# What a settlement settles: the claimant of these is the one paid.
SETTLED_NOUNS = frozenset({"lawsuit", "suit", "charge", "claim", "case", "allegation", "action", "complaint",
                           "litigation", "dispute", "probe", "investigation", "inquiry"})


def _claimant(cue: Token, entities: list[RawEntity]) -> str | None:
    """Who brought what a payment settles: "to settle a civil lawsuit brought by the US financial watchdog, the
    Securities and Exchange Commission", "to settle charges with the SEC", "to settle the FTC's lawsuit", "a
    settlement with the SEC"."""
    if (with_ := _prep_object(cue, ("with",))) is not None and (name := _named(with_, entities)):
        return name  # "settle with the SEC", "a settlement with the SEC"
    if cue.pos_ != "VERB" or cue.lemma_.lower() != "settle":
        return None
    for settled in (c for c in cue.children if c.dep_ == "dobj" and c.lemma_.lower() in SETTLED_NOUNS):
        for c in settled.children:
            if c.dep_ == "acl" and (name := _named(_agent(c), entities)):
                return name  # "a lawsuit brought by the SEC"
            if c.dep_ in ("poss", "compound") and c.pos_ == "PROPN" and (name := _named(c, entities)):
                return name  # "the FTC's lawsuit", "an SEC lawsuit"
        if (name := _named(_prep_object(settled, ("with", "by", "from")), entities)) is not None:
            return name  # "charges with the SEC", "a lawsuit by the SEC"
    return None


def _named(token: Token | None, entities: list[RawEntity]) -> str | None:
    """The name a token is, or the name it is in apposition to ("the US financial watchdog, the Securities and
    Exchange Commission")."""
    if token is None:
        return None
    if (name := _name(token, entities) or next((n for c in token.children if c.dep_ == "appos"
                                                 and (n := _name(c, entities))), None)) is not None:
        return name
    doc, after = token.doc, token.right_edge.i + 1
    if token.pos_ == "NOUN" and after + 1 < len(doc) and doc[after].text == ",":
        # the apposition the parse missed: "brought by the US financial watchdog, the Securities and Exchange
        # Commission (SEC)" (a description, a comma and a name)
        start = after + 1 + (doc[after + 1].lower_ == "the")
        return next((e.name for e in entities if e.start == start and e.label in (COMPANY, ORG)), None)
    return None


def _people_of(holder: Token, entities: list[RawEntity]) -> str | None:
    """The company a group of its people stand for when they pay: 'ten former directors at WorldCom',
    'former Enron directors', "WorldCom's directors" (one company or organisation named in the phrase)."""
    if holder.pos_ != "NOUN" or group_head(holder) not in ("executives", "employees"):
        return None
    named = names_in(entities, holder.left_edge.i, holder.right_edge.i + 1)
    return next(iter(named)) if len(named) == 1 else None


def _holder_of(cue: Token, measure: Measure) -> Token | None:
    """Whose profit, fine or budget the cue word is: its possessor ("Time Warner's profits"), the name it
    modifies or is modified by ("the Yukos fine"), "profits at X", else the subject of the verb it is the
    object of ("X posted a profit of", "X was hit with a fine of")."""
    for c in cue.children:
        if c.dep_ == "poss" or (c.dep_ == "compound" and c.pos_ == "PROPN"):
            return c
    at = _prep_object(cue, ("at", "of", "for", "in"))  # "profits at X", "shares in X"
    if at is not None and not (at.pos_ == "NOUN" and any(d.dep_ == "det" and d.lower_ in ("a", "an")
                                                         for d in at.children)) and \
            not (at.pos_ == "NOUN" and _measure_of(at) is not None):
        # (not "a record profit for a UK-listed company": no company in particular; not "a 19% rise in profits":
        # the measure the change is in, whose owner the verb's subject is)
        return at
    if cue.pos_ == "VERB":
        return subject_of(cue)
    node = cue
    while node.dep_ in ("pobj", "prep", "conj", "appos") and node.head is not node:
        node = node.head
    if node.dep_ in ("dobj", "attr", "npadvmod") and node.head.pos_ in ("VERB", "AUX"):
        return subject_of(node.head)
    if node.pos_ in ("VERB", "AUX"):
        return subject_of(node)
    if node.dep_ in ("nsubj", "nsubjpass"):
        return _reporter(node.head)  # "GE said [net profits were $5.37bn]"; "Profits rose": nobody's
    return None


def _reporter(verb: Token) -> Token | None:
    """The subject of the reporting verb a clause is the complement of: whose figures a company reports."""
    voc = vocabulary().status
    node = verb
    while node.dep_ in ("ccomp", "conj") and node.head is not node:
        node = node.head
        if node.lemma_.lower() in voc["reporting_verbs"]:
            return subject_of(node)
    return None


def _deal_parties(sent: Span, q: Span, cue: Token | None, entities: list[RawEntity],
                  ctx: SentenceContext) -> tuple[str | None, str | None, bool]:
    """Acquisition price: the target is the subject (what the money bought), the buyer its counterparty.
    'X bought Y for $Z', 'Y was bought by X', "X's $Zbn takeover of Y", 'X sold Y to W for $Z'."""
    if cue is None:
        return None, None, True
    deal = cue.head if cue.pos_ == "VERB" and cue.dep_ == "acl" else cue  # "a deal valued at", "a deal worth"
    if (dealing := _dealing(deal)) is not None:
        cue = dealing  # "Acme bought Beta in a deal valued at $2bn": the parties of the buying
    target = buyer = None
    lemma = cue.lemma_.lower()
    if cue.pos_ == "VERB":
        obj = next((c for c in cue.children if c.dep_ == "dobj"), None)
        passive_subject = next((c for c in cue.children if c.dep_ == "nsubjpass"), None)
        if lemma in ("sell", "sold"):
            target = obj or passive_subject
            buyer = _prep_object(cue, ("to",))
        elif lemma in ("pay", "bid", "offer"):
            target = _prep_object(cue, ("for",))  # "it has paid $1bn for US wine maker Robert Mondavi"
            buyer = subject_of(cue)  # "Qwest has bid $6.3bn for MCI": the money is what is bid, not what is bought
        elif obj is None and passive_subject is None and cue.dep_ == "acl":
            target, buyer = cue.head, _agent(cue)  # "AT&T being bought by former subsidiary SBC for $16bn"
        else:
            target = obj or passive_subject
            buyer = subject_of(cue) if passive_subject is None else _agent(cue)
    else:
        target = _prep_object(cue, ("of", "for"))
        buyer = next((c for c in cue.children if c.dep_ == "poss"), None) or _prep_object(cue, ("by",))
        offer = cue.head if cue.dep_ == "compound" and cue.head.lemma_.lower() in ("offer", "bid", "approach") \
            else cue
        if target is None and offer.dep_ == "dobj" and offer.head.lemma_.lower() in RECEIVING_VERBS:
            target = subject_of(offer.head)  # "Circuit City has received a $3.25bn takeover offer"
            buyer = buyer or _prep_object(offer, ("from",))
        if target is None and buyer is not None and offer.dep_ == "dobj" and \
                offer.head.lemma_.lower() in AGREEING_VERBS:
            target = subject_of(offer.head)  # "Aggregate Industries said it had agreed a £1.8bn takeover by Holcim"
        verb = next((t for t in cue.ancestors if t.pos_ == "VERB"), None)
        if target is None and verb is not None and verb.lemma_.lower() not in RECEIVING_VERBS:
            # "Verizon has won a takeover battle for US phone firm MCI with a bid worth $6.8bn": the clause's
            # contest or offer for a company, and the verb's subject bids
            target = next((o for d in verb.children if d.dep_ == "dobj"
                           and any(w.lemma_.lower() in DEAL_NOUNS for w in d.subtree)
                           and (o := _prep_object(d, ("for", "of"))) is not None), None)
            buyer = buyer or (subject_of(verb) if target is not None else None)
        if target is None and buyer is not None and cue.dep_ == "pobj" and verb is not None and \
                cue.head.head.i == verb.i and verb.lemma_.lower() not in RECEIVING_VERBS:
            target = subject_of(verb)  # "MCI agreed to a buyout by Verizon": the one bought agreed to it
    if target is not None and target.pos_ == "NOUN" and q.start > target.i:
        # "its Travelers Life & Annuity insurance arm", "the Yukos unit": the name that modifies the noun
        # ... or its apposition ("its former parent and phone trailblazer AT&T")
        named = names_in(entities, target.left_edge.i, min(target.right_edge.i + 1, q.start))
        if len(named) == 1:
            target_name = next(iter(named))
            return target_name, _buyer_name(buyer, target_name, sent, entities, ctx), True
    subject, explicit = resolve_reference(target, sent, entities, ctx)
    return subject, _buyer_name(buyer, subject, sent, entities, ctx), explicit


def _buyer_name(buyer: Token | None, target: str | None, sent: Span, entities: list[RawEntity],
                ctx: SentenceContext) -> str | None:
    """The buyer's name; 'its $4.5bn acquisition of ISG' and 'it bought X' are the company the sentence's
    subject or the article names (never the target itself)."""
    name = _name(buyer, entities)
    if name is None and buyer is not None and buyer.lower_ in ("its", "it"):
        name, _ = resolve_reference(buyer, sent, entities, ctx)
    return name if name != target else None


def _prep_object(token: Token, preps: tuple[str, ...]) -> Token | None:
    """The object of the token's preposition, when it is a name and not a figure ("profits at X", not
    "a profit of $3.36bn")."""
    for c in token.children:
        if c.dep_ == "prep" and c.lower_ in preps:
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if obj is not None and not obj.like_num and obj.ent_type_ not in ("MONEY", "CARDINAL", "PERCENT") \
                    and not any(t.like_num or t.text in vocabulary_symbols() for t in obj.subtree):
                return obj
    return None


def vocabulary_symbols() -> frozenset[str]:
    from pipeline.nlp.numbers import vocabulary as numbers
    return frozenset(numbers().currency_symbols)


def _agent(verb: Token) -> Token | None:
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    return next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None


def _name(token: Token | None, entities: list[RawEntity]) -> str | None:
    if token is None:
        return None
    e = entity_at(token, entities, labels=(COMPANY, ORG, PERSON))
    return e.name if e is not None else None


def _is_prior(sent: Span, q: Span) -> bool:
    """'fell from $10bn to $6bn', 'up from $639m year-earlier', 'compared with $1.2bn': the earlier value;
    and so is an amount that restates one ('compared with $971m, or $2.10 a share')."""
    doc = sent.doc
    restated = _restated(sent, q)
    if restated is not None:
        return _is_prior(sent, restated)
    of = _first_figure(q).head
    if of.lower_ == "of" and _forecast_noun(of.head) and _replaced(of.head):
        return True  # "up from its prior forecast of $3.90 to $4.00 a share"
    before = doc[max(sent.start, q.start - 2):q.start]
    if any(t.lower_ == "against" or t.lower_ == "from" and not from_of_a_range(t) for t in before) or (
            len(before) == 2 and f"{before[0].lower_} {before[1].lower_}" in ("compared with", "compared to")):
        return True  # (not "prices range from $699 to $849": a range)
    i = q.start - 1
    while i > sent.start and q.start - i <= 5 and (doc[i].pos_ == "DET" or doc[i].lower_ in EARLIER_WORDS or (
            doc[i].lower_ == "of" and doc[i - 1].pos_ == "NOUN" and _measure_of(doc[i - 1]) is not None) or (
            doc[i].pos_ == "NOUN" and doc[i + 1].lower_ == "of" and _measure_of(doc[i]) is not None)):
        i -= 1
    if i >= sent.start and i < q.start - 2 and doc[i].lower_ == "from":
        # "to 1,546 trillion rials from the previous 1,070 trillion rials", "a change from the loss of 364m euros"
        return True
    return prior_period(sent, q.start, q.end)


# Words between "from" and the amount a change starts from: "from the previous 1,070 trillion rials".
EARLIER_WORDS = frozenset({"previous", "prior", "earlier", "last", "old", "original", "initial", "its", "their"})


def _restated(sent: Span, q: Span) -> Span | None:
    """The amount that q restates in other terms: '$854m, or $1.85 a share' -> '$854m'."""
    head = q.root.head
    if q.root.dep_ != "conj" or not any(c.dep_ == "cc" and c.lower_ == "or" for c in head.children):
        return None
    return next((o for o in sentence_quantities(sent) if o.start <= head.i < o.end and o.label_ == MONEY), None)


# ---------------------------------------------------------------- funding and valuation

def _funding_claim(sent: Span, q: Span, kind: ClaimKind, entities: list[RawEntity],
                   ctx: SentenceContext) -> RawClaim | None:
    quantity = q._.nf_quantity
    investors, leads = investors_of(sent, entities)
    contributors = _contributors(q, entities) if kind is ClaimKind.FUNDING else []
    not_funded = set(investors) | set(contributors) | set(_sentence_contributors(sent, entities))
    companies = [e for e in entities if e.label in (COMPANY, ORG) and e.name not in not_funded
                 and not is_attribution(sent, e) and e.name not in known_non_companies()
                 and not is_public_body(e.name)]  # "the $18.4bn in reconstruction funds approved by Congress"
    explicit = True
    if not companies:
        companies = [e for e in _unrecognised_subject(sent) if e.name not in not_funded]
    if companies:
        company = _funded_company(sent, q, companies).name
    elif ctx.previous_company and (not_funded or generic_subject(sent)):
        company = ctx.previous_company  # "It is backed by Nvidia and raised €600 million ..."
        explicit = False
    else:
        return None
    if company in not_funded:
        return None  # "Microsoft Corp., which has already invested $13 billion in the startup": funded unnamed
    if kind is ClaimKind.FUNDING:
        rnd = _round(sent, q)
    else:
        words = {t.lemma_.lower() for t in _tail_tokens(sent, q)} | {t.lower_ for t in sent.doc[q.start - 3:q.start]}
        rnd = "pre-money" if "pre" in words or "pre-money" in words else None
    return RawClaim(kind, q.start_char, q.end_char, quantity=quantity, subject_explicit=explicit, fields={
        "company": company,
        "measure": None,
        "round": rnd,
        "investors": tuple(dict.fromkeys(investors)) if kind is ClaimKind.FUNDING else (),
        "lead_investors": tuple(dict.fromkeys(leads)) if kind is ClaimKind.FUNDING else (),
        "contributor": " and ".join(contributors) or None,
        "counterparty": None,
    })


def _contributors(q: Span, entities: list[RawEntity]) -> list[str]:
    """Who put this amount in: 'ASML is investing €1.3 billion in Mistral', 'Andreessen Horowitz is
    leading the round with a €200 million investment', 'Nvidia and Salesforce committing another
    €120 million'. The amount is then one investor's share, not the size of the round. An amount
    elsewhere in the clause ("as part of the startup's €1.7bn Series C") is not the share."""
    node = q.root
    if node.dep_ in ("pobj", "dobj", "compound", "nmod", "amod", "nummod") and \
            node.head.lemma_.lower() in cues().contribution_nouns:
        node = node.head  # "with a €200 million investment"
        if _prep_object(node, ("in", "into")) is not None:
            # "Microsoft's $10bn investment in OpenAI", "Microsoft made a $10bn investment in OpenAI": the one whose
            # investment it is puts the money in (not "OpenAI received a $10bn investment", "won", "secured")
            owner = next((c for c in node.children if c.dep_ == "poss"), None)
            if owner is None and node.dep_ == "dobj" and node.head.pos_ == "VERB" and \
                    node.head.lemma_.lower() not in vocabulary().money_measure("funding").cues | INVESTMENT_TAKERS:
                owner = subject_of(node.head)
            if owner is not None:
                return list(dict.fromkeys(names_at(owner, entities)))
        if (by := _prep_object(node, ("by",))) is not None and (names := names_at(by, entities)):
            return list(dict.fromkeys(names))  # "a $95 million investment by the Margaritaville group"
        if node.dep_ == "pobj" and node.head.lower_ == "with":
            node = node.head
    if node.dep_ not in ("dobj", "obj", "npadvmod", "prep", "attr"):
        return []
    verb = node.head
    if verb.pos_ not in ("VERB", "AUX") or verb.lemma_.lower() not in cues().contribution_verbs:
        return []
    subject = subject_of(verb)
    if subject is None:
        return []
    return list(dict.fromkeys(names_at(subject, entities)))


# Verbs whose subject gets the money an investment noun names (beside the funding cues: "raise", "secure").
INVESTMENT_TAKERS = frozenset({"receive", "get", "win", "land", "attract", "accept", "welcome", "take", "need", "seek"})


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
        subject = subject_of(verb)
        if subject is not None:
            names += names_at(subject, entities)
    return names


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


def _unrecognised_subject(sent: Span) -> list[RawEntity]:
    """'Acme raised $5 million': a proper-noun subject of a funding verb the model did not tag."""
    funding = vocabulary().money_measure("funding").cues
    for t in sent:
        if t.dep_ == "nsubj" and t.pos_ == "PROPN" and t.head.lemma_.lower() in funding:
            start = min([c.i for c in t.children if c.dep_ == "compound"] + [t.i])
            return [RawEntity(sent.doc[start:t.i + 1].text, COMPANY, start, t.i + 1)]
    return []


def _funded_company(sent: Span, q: Span, companies: list[RawEntity]) -> RawEntity:
    doc = sent.doc
    funding = vocabulary().money_measure("funding").cues
    for e in companies:  # the subject of raise/secure/close
        root = doc[e.start:e.end].root
        if root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_.lower() in funding:
            return e
    # otherwise the closest company, preferring one before the amount ("Acme raised $5m")
    return min(companies, key=lambda e: (abs(e.start - q.start) if e.end <= q.start
                                         else 2 * abs(e.start - q.end)))


_LEAD = re.compile(r"\b(?:co-)?led by\b|\blead investor\b", re.IGNORECASE)


def investors_of(sent: Span, entities: list[RawEntity]) -> tuple[list[str], list[str]]:
    """Names after an investor cue ("led by X with participation from Y and Z"); leads apart."""
    doc = sent.doc
    cue_words = [cue for cue in cues().investor_cues if cue not in ("and", "with")]
    investors: list[str] = []
    leads: list[str] = []
    in_lead_list = False
    last_end = -1  # where the last investor's name ends
    for e in entities:
        if e.label not in (COMPANY, ORG, PERSON):
            continue
        window = doc[max(sent.start, e.start - 4): e.start]
        before = window.text.lower() + " "
        root = doc[e.start:e.end].root
        cued = _cued(window, cue_words)
        chained = bool(investors) and _CHAINED.search(before.rstrip() + " ") is not None or \
            bool(investors) and e.start > 0 and doc[e.start - 1].text == "(" and last_end == e.start - 1
        # (an investor's acronym in brackets after its name is that investor: "from the Overseas Private Investment
        # Corporation (OPIC)")
        lead_verb = _leads_or_invests(root)
        subject_of_lead = lead_verb is not None
        if not (cued or chained or subject_of_lead):
            in_lead_list = False
            continue
        investors.append(e.name)
        last_end = e.end
        if _LEAD.search(before) or lead_verb in ("lead", "co-lead"):
            in_lead_list = True
        elif cued:
            in_lead_list = False
        if in_lead_list:
            leads.append(e.name)
    return investors, leads


# A name that goes on a list of investors: "X, Y and Z", "X (a US agency) - the Eximbank and ...".
_CHAINED = re.compile(r"(?:,|\band\b|\s[-–—])\s*(?:the\s+)?$", re.IGNORECASE)


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
    investors, leads = investors_of(sent, sentence_entities(sent))
    return name, investors, leads
