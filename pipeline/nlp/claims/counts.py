"""Count claims: how many of a group of people are in a state ("Eleven of the 14 scientists ... have now
left Meta", "Only three remain", "Marsh cuts 2,500 jobs"), with the group's total and organisation."""

from __future__ import annotations

from spacy.tokens import Span, Token

from pipeline.nlp.claims.common import (
    GENERIC_COMPANY_WORDS,
    RawClaim,
    RawEntity,
    SentenceContext,
    generic_company_ref,
    names_at,
    place_name,
    resolve_reference,
    subject_of,
)
from pipeline.nlp.claims.context import claim_status, normalize_period, period_text
from pipeline.nlp.components import COMPANY, ORG, PERCENT
from pipeline.nlp.measures import vocabulary
from pipeline.nlp.numbers import parse_number
from pipeline.types import ClaimKind, ClaimStatus, Interval, Quantity

# How far (in tokens) past a state verb its organisation may stand: "left Meta",
# "remain employed at Meta", "have since joined rival Mistral".
MAX_ORG_DISTANCE = 5


def count_claim(sent: Span, q: Span, entities: list[RawEntity], context_group: str | None,
                ctx: SentenceContext) -> RawClaim | None:
    doc = sent.doc
    quantity: Quantity = q._.nf_quantity
    if quantity is None:
        return None
    share = quantity.value / 100 if q.label_ == PERCENT else quantity.value
    if 0 < share < 1 and q.end < sent.end and doc[q.end].lower_ == "of":
        # "more than a quarter of its 8,000 staff" -> more than 2,000 of 8,000
        _, whole = _partitive_group(sent, q.end + 1)
        if whole is None:
            return None
        quantity = _share_of(quantity, share, whole)
    elif q.label_ == PERCENT or not _whole(quantity):
        return None
    if q.root.dep_ == "nummod" and _fronted_partitive(q.root.head.head) is not None:
        return None  # the 14 of "Of the 14 researchers, 11 have left": a total, not a claim of its own
    if (workforce := _workforce_from_to(sent, q)) is not None:
        return _workforce_claim(sent, q, quantity, *workforce, entities, ctx)
    after = q.end
    total = None
    head: Token | None = None
    if after < sent.end and doc[after].lower_ == "of":
        # "Eleven of the 14 scientists who ... have now left Meta"
        head, total = _partitive_group(sent, after + 1)
        if head is None:
            return None
        verb = _next_state_verb(sent, head.i + 1, skip=set(t.i for t in head.subtree))
        if verb is None and q.root.dep_ == "dobj" and _state_of(q.root.head):
            verb = q.root.head  # "will cut more than a quarter of its 8,000 staff"
        region = range(after + 1, verb.i if verb is not None and verb.i > after else _subtree_end(head))
    elif q.root.dep_ == "nummod" and (cut := _cut_noun(q.root.head)) is not None:
        # "6,000 job losses had been expected", "1,200 redundancies": the noun is the cut
        head, verb = cut, q.root.head
        region = range(q.start, q.start)
    elif q.root.dep_ == "nummod" and q.root.head.pos_ in ("NOUN", "PROPN") and (
            group_head(q.root.head) or group_head(_compounded(q.root.head))):
        # "Of the 11 researchers who left Meta", "200 employees were laid off", "90 journalist jobs"
        head = _compounded(q.root.head) if group_head(_compounded(q.root.head)) else q.root.head
        verb = _governing_state_verb(head)
        region = range(head.left_edge.i, _subtree_end(head))
    elif q.root.dep_ == "pobj" and q.root.head.lower_ == "by" and (cut := _cut_by(q.root.head.head)) is not None:
        # "it would reduce its German workforce by 1,920"
        head, verb = cut, q.root.head.head
        region = range(q.start, q.start)
    elif q.root.dep_ == "dobj" and q.root.pos_ == "NUM" and _state_of(q.root.head) in ("employ", "hire", "lay off") \
            and not (q.root.head.lemma_.lower() == "have" and not _named_subject(q.root.head, entities)):
        # (not "I have 34", "he has one from a Progressive Caucus member": what a person has is no workforce)
        # "SBC employs 163,000 people while AT&T employs 47,000": a workforce by its number alone
        verb = q.root.head
        region = range(q.start, q.start)
        context_group = context_group or "employees"
    elif after < sent.end and doc[after].pos_ in ("VERB", "AUX") and _state_of(doc[after]):
        # "with five joining Mistral", "Only three remain"
        verb = doc[after]
        region = range(q.start, q.start)
    elif q.root.dep_ in ("nsubj", "nsubjpass") and _state_of(q.root.head):
        verb = q.root.head
        region = range(q.start, q.start)
    elif q.root.pos_ == "NUM" and (gapped := _gapped_state_verb(q.root)) is not None:
        # "Another 1,700 will go from its sales department, 3,400 from business operations and 2,600 across
        # legal": counts that share the verb of the count before them
        verb = gapped
        region = range(q.start, q.start)
    else:
        return None
    if verb is None:
        return None
    state = "lay off" if verb.pos_ == "NOUN" else _state_of(verb)
    if state is None:
        return None
    if _generic_actor(verb):
        return None  # "the consultation period required for companies planning more than 10 redundancies"
    if head is None and (fronted := _fronted_partitive(verb)) is not None:
        # "Of the 14 researchers, 11 have since left Meta"
        head, total = fronted
        region = range(head.left_edge.i, _subtree_end(head))
    explicit = head is not None
    if head is not None and head.lemma_.lower() in vocabulary().job_heads and state == "leave":
        state = "lay off"  # "5,500 jobs to go", "jobs will be lost"
    if head is None and state == "leave" and verb.lemma_.lower() == "go" and _ahead(verb) \
            and context_group == "employees":
        state = "lay off"  # "Another 1,700 will go from its sales department", after "5,125 positions would go"
    org, org_explicit = _state_org(sent, verb, state, entities, ctx)
    if org is None and state in ("lay off", "hire") and (economy := _economy_of(verb, ctx)) is not None:
        org, org_explicit = economy, True  # "The US economy added 337,000 jobs in October"
    if org is None and state in ("lay off", "hire", "employ"):
        # "SBC said 5,125 positions would go", "20,000 workers lost their jobs": the company that says so,
        # else the one the last sentences named, else the one the article is about (not named here)
        org = _place_of_work(verb, entities) or _speaking_company(verb, entities) or ctx.recent_company \
            or ctx.main_company
        org_explicit = org is not None and org == _speaking_company(verb, entities)
    group = _group_name(sent, head, region, org) if head is not None else context_group
    if head is not None and head.lemma_.lower() in vocabulary().cut_nouns:
        group = "employees"  # "1,200 redundancies"
    if group is None:
        return None
    if total is not None and total < quantity.value:
        return None  # "3 of the 2 ..." is a misparse, not a claim
    return RawClaim(ClaimKind.COUNT, q.start_char, max(q.end_char, verb.idx + len(verb.text)),
                    quantity=quantity, status=job_status(verb, state), subject_explicit=explicit and org_explicit,
                    cue=verb.lemma_.lower(), anchor=verb.i,
                    fields={"group": group, "state": state, "total": total, "org": org,
                            "specific": group not in vocabulary().people_groups})


# Subjects that stand for a country's whole labour market: "the US economy added 337,000 jobs", "US employers
# cut 20,000 jobs".
ECONOMY_SUBJECTS = frozenset({"economy", "employer", "payroll", "nonfarm"})


# Plural nouns that stand for any firm, not one: "companies planning more than 10 redundancies".
GENERIC_ACTORS = frozenset({"company", "firm", "employer", "business", "bank", "manufacturer", "retailer"})


# Nouns of a company's whole workforce, whose size a sentence may give "from X to Y".
WORKFORCE_NOUNS = frozenset({"workforce", "headcount", "staff", "payroll", "staffing", "employee", "worker"})
# How far before "from X to Y" the workforce noun may stand: "its workforce trimmed from", "its staff numbers from".
WORKFORCE_WINDOW = 4


def _workforce_from_to(sent: Span, q: Span) -> tuple[Token, bool] | None:
    """'cut its workforce from 12,000 to 9,000', 'see its workforce trimmed from 155,000 to 110,000 staff': the
    verb that changes the workforce, and whether the number is the size it reaches ('to') or had ('from')."""
    doc = sent.doc
    if q.start - 1 < sent.start:
        return None
    before = doc[q.start - 1]
    if before.lower_ == "from":
        following = doc[q.end] if q.end < sent.end else None
        if following is None or following.lower_ != "to" or q.end + 1 >= sent.end or not doc[q.end + 1].like_num:
            return None
        opening, reached = before, False
    elif before.lower_ == "to":
        start = q.start - 2
        while start > sent.start and doc[start].lower_ != "from" and q.start - start <= 4:
            start -= 1
        if doc[start].lower_ != "from" or not any(t.like_num for t in doc[start + 1:q.start - 1]):
            return None
        opening, reached = doc[start], True
    else:
        return None
    noun = next((t for t in reversed(doc[max(sent.start, opening.i - WORKFORCE_WINDOW):opening.i])
                 if t.pos_ == "NOUN" and t.lemma_.lower() in WORKFORCE_NOUNS), None)
    if noun is None or noun.head.pos_ != "VERB":
        return None
    return noun, reached


def _workforce_claim(sent: Span, q: Span, quantity: Quantity, noun: Token, reached: bool,
                     entities: list[RawEntity], ctx: SentenceContext) -> RawClaim | None:
    """The workforce a company has ('from') or will have ('to'): its employees, with the status of the change for
    the size it reaches, and actual (or prior, once the change is done) for the size it had."""
    verb = noun.head
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)  # "its workforce", "Acme's staff"
    org, explicit = resolve_reference(owner, sent, entities, ctx) if owner is not None else \
        _state_org(sent, verb, "employ", entities, ctx)
    if org is None:
        org = _speaking_company(verb, entities) or ctx.recent_company or ctx.main_company
        explicit = False
    if org is None:
        return None
    changed = claim_status(verb)
    if reached:
        status = ClaimStatus.GUIDANCE if changed == ClaimStatus.HYPOTHETICAL else job_status(verb, "lay off")
    else:
        done = changed == ClaimStatus.ACTUAL and verb.tag_ in ("VBD", "VBN") and not any(
            c.lower_ in ("will", "would", "to") for c in verb.children if c.dep_ in ("aux", "auxpass"))
        status = ClaimStatus.PRIOR if done else ClaimStatus.ACTUAL
    # the size it reaches, by when ("to 110,000 staff by 2010")
    period = normalize_period(period_text(sent, [q.root, verb]), ctx.published) if reached else None
    return RawClaim(ClaimKind.COUNT, q.start_char, q.end_char, quantity=quantity, status=status, period=period,
                    subject_explicit=explicit, cue=verb.lemma_.lower(), anchor=verb.i,
                    fields={"group": "employees", "state": "employ", "total": None, "org": org, "specific": True})


def _gapped_state_verb(number: Token) -> Token | None:
    """The state verb a number shares with the count that is its verb's subject ("1,700 will go from sales, 3,400
    from operations and 2,600 across legal"), when the parse hangs it off that verb with no verb of its own."""
    first = number
    while first.dep_ == "conj" and first.head.pos_ == "NUM":
        first = first.head
    verb = first.head
    if first.dep_ not in ("npadvmod", "conj", "appos", "dobj") or verb.pos_ != "VERB" or not _state_of(verb):
        return None
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return verb if subject is not None and subject.pos_ == "NUM" and subject.i < first.i else None


def _generic_actor(verb: Token) -> bool:
    """The cut or hire is done by firms in general (a bare plural: 'companies planning', 'firms that cut'), not
    by one the article names: a rule or a trend, no count of anybody's."""
    node = verb
    for _ in range(3):  # "redundancies" <- "planning" <- "companies"
        actor = subject_of(node) if node.pos_ in ("VERB", "AUX") else None
        if node.dep_ in ("acl", "relcl") and node.head.pos_ == "NOUN":
            actor = actor if actor is not None and actor.pos_ == "NOUN" else node.head
        if actor is not None and actor.tag_ == "NNS" and actor.lemma_.lower() in GENERIC_ACTORS and not any(
                c.dep_ in ("det", "poss", "nummod", "compound", "amod") for c in actor.children):
            return True
        if node.head is node:
            break
        node = node.head
    return False


def _economy_of(verb: Token, ctx: SentenceContext) -> str | None:
    """The country whose economy gained or lost the jobs: the place the verb's subject names ('the US
    economy', 'Britain', 'US employers'), or, for 'the economy' alone, the place the article is about."""
    subject = subject_of(verb)
    if subject is None:
        return None
    if subject.ent_type_ == "GPE":
        return place_name(subject)
    if subject.lemma_.lower() not in ECONOMY_SUBJECTS:
        return None
    place = next((c for c in subject.children if c.ent_type_ == "GPE" and c.dep_ in ("compound", "poss", "amod")),
                 None)
    return place_name(place) if place is not None else ctx.main_place


def _share_of(quantity: Quantity, share: float, whole: int) -> Quantity:
    """A share of a stated whole as a count: 'more than a quarter' of 8,000 is (2,000, 8,000]."""
    iv = quantity.interval
    factor = whole * share / quantity.value  # "10%" of 12,000: 120 a point; "a quarter" of 8,000: 8,000
    low = iv.low * factor if iv.low is not None else 0.0
    high = min(iv.high * factor, whole) if iv.high is not None else float(whole)
    return Quantity(value=round(share * whole), interval=Interval(low, high, iv.low_open,
                                                                  iv.high_open and high < whole),
                    qualifier=quantity.qualifier, unit=None, text=quantity.text)


def a_difference(sent: Span, q: Span) -> bool:
    """'24,000 more yes votes than', '300 fewer people died than last year': a number of more or fewer than
    something the sentence compares it with."""
    doc = sent.doc
    if q.end >= sent.end or doc[q.end].lower_ not in ("more", "fewer", "less"):
        return False
    return any(t.lower_ == "than" for t in doc[q.end + 1:min(sent.end, q.end + 12)])


def job_status(verb: Token, state: str) -> str:
    """Job cuts and hires still to come are a company's plan: 'will cut', 'is to cut', 'would go', 'expects
    to cut' are proposed (one status, so that outlets writing them differently meet in one fact); 'could cut
    up to 45,000', 'should be created' a forecast (guidance), not a hypothesis."""
    status = claim_status(verb)
    if state not in ("lay off", "hire"):
        return status
    auxes = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in verb.children) or any(
            c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children)
            for c in verb.children):
        return status  # "If sales fall, Acme could cut 500 jobs"
    if status == ClaimStatus.HYPOTHETICAL and auxes & {"could", "may", "might", "should"}:
        return ClaimStatus.GUIDANCE
    # "ABN Amro is to cut 2,850 jobs"; a headline's "Intel to cut 15,000 jobs" (the infinitive as its main verb)
    to_be = "to" in auxes and ((verb.dep_ == "xcomp" and verb.head.lemma_ == "be") or verb.dep_ == "ROOT")
    if status == ClaimStatus.GUIDANCE or (status == ClaimStatus.ACTUAL and (
            auxes & {"will", "would", "'ll", "wo"} or to_be)):
        return ClaimStatus.PROPOSED
    return status


def _compounded(t: Token) -> Token:
    """The noun a compound modifies ("journalist" of "90 journalist jobs"), else the token itself."""
    return t.head if t.dep_ == "compound" and t.head.pos_ == "NOUN" else t


def _cut_noun(noun: Token) -> Token | None:
    """'job losses', 'job cuts', 'redundancies': a noun of job cuts -> the group it counts (its job
    compound, else the noun itself)."""
    voc = vocabulary()
    lemma = noun.lemma_.lower()
    if noun.pos_ != "NOUN" or lemma not in voc.cut_nouns:
        return None
    job = next((c for c in noun.children if c.dep_ == "compound" and c.lemma_.lower() in voc.job_heads), None)
    if job is not None:
        return job
    return noun if lemma in voc.lone_cut_nouns else None


def _cut_by(verb: Token) -> Token | None:
    """'reduce its workforce by 1,920', 'cut staff by 500': the workforce a cut verb takes as object."""
    if verb.pos_ != "VERB" or _state_of(verb) != "lay off":
        return None
    obj = next((c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")), None)
    return obj if obj is not None and group_head(obj) == "employees" else None


def _ahead(verb: Token) -> bool:
    """'will go', 'would go', 'are to go': a change still to come."""
    return any(c.dep_ == "aux" and c.lower_ in ("will", "would", "'ll", "to", "could", "may") for c in verb.children)


def _place_of_work(verb: Token, entities: list[RawEntity]) -> str | None:
    """'300 jobs will be lost at Credit Suisse First Boston', '1,000 will go at the Longbridge plant of X'."""
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ in ("at", "from", "across"):
            for obj in prep.children:
                named = [e.name for e in entities if e.label in (COMPANY, ORG) and e.start <= obj.i < e.end]
                if named:
                    return named[0]
    return None


def _speaking_company(verb: Token, entities: list[RawEntity]) -> str | None:
    """The company whose statement the clause is: 'SBC said [5,125 positions would go]'."""
    node = verb
    for _ in range(3):
        if node.head is node:
            return None
        came, node = node, node.head
        if node.lemma_.lower() in ("say", "announce", "confirm", "add", "tell", "expect", "plan") and \
                came.dep_ in ("ccomp", "xcomp", "parataxis"):
            subject = subject_of(node)
            if subject is None:
                return None
            named = [n for n in names_at(subject, entities)
                     if any(e.name == n and e.label == COMPANY for e in entities)]
            return named[0] if named else None
    return None


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
            if head is None or not group_head(head):
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
        if t.is_alpha and t.pos_ in ("NOUN", "PROPN") and group_head(t) and not _is_possessor(t):
            return t, total
        if t.pos_ in ("VERB", "AUX") or t.lower_ in ("who", "that", "which"):
            break
    return None, None


def _is_possessor(t: Token) -> bool:
    return t.dep_ == "poss" or (t.i + 1 < len(t.doc) and t.doc[t.i + 1].tag_ == "POS")


def group_head(t: Token) -> str | None:
    """The canonical people group a noun names ("scientists" -> researchers); None for anything else:
    nominations, U-turns and subscribers are counted by other measures, not as people in a state."""
    lemma = t.lemma_.lower()
    heads = vocabulary().group_heads
    if lemma in heads:
        return heads[lemma]
    if t.i >= 2 and t.doc[t.i - 1].text == "-" and f"{t.doc[t.i - 2].lower_}-{lemma}" in heads:
        return heads[f"{t.doc[t.i - 2].lower_}-{lemma}"]
    return None


def _subtree_end(t: Token) -> int:
    return t.right_edge.i + 1


def _state_of(verb: Token) -> str | None:
    if verb.pos_ not in ("VERB", "AUX") and verb.lower_ not in ("remain", "remains"):
        return None
    voc = vocabulary()
    lemma = verb.lemma_.lower()
    state = voc.count_states.get(lemma)
    particle = voc.state_particles.get(lemma)
    if particle and not any(c.lower_ == particle for c in verb.children) and not (
            verb.i + 1 < len(verb.doc) and verb.doc[verb.i + 1].lower_ == particle):
        return None
    if verb.dep_ in ("aux", "auxpass"):
        return None
    if lemma in ("work", "add", "move") and not _has_org_after(verb) and not (lemma == "add" and any(
            c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in voc.job_heads for c in verb.children)):
        return None  # "added 254,000 jobs" is a hire; "added that ..." is nothing
    if lemma == "have" and any(c.dep_ == "xcomp" for c in verb.children):
        return None  # "50,000 people will have to sign on": an obligation, no workforce
    if lemma == "leave" and (any(c.dep_ == "auxpass" for c in verb.children) or verb.tag_ == "VBN" and any(
            c.dep_ in ("acomp", "oprd", "xcomp") for c in verb.children)):
        return None  # "thousands of people were left frustrated", "left homeless": a state they are in, no departure
    if lemma == "lose" and not (any(c.dep_ == "auxpass" for c in verb.children) or any(
            c.dep_ in ("dobj", "nsubj") and c.lemma_.lower() in voc.job_heads for c in verb.children) or (
            verb.dep_ == "acl" and verb.head.lemma_.lower() in voc.job_heads)):
        return None  # "those who lost billions": jobs are lost ("workers lost their jobs", "105,000 jobs lost")
    return state


def _named_subject(verb: Token, entities: list[RawEntity]) -> bool:
    """Is the verb's subject a company or organisation the sentence names ('SBC has 163,000')?"""
    subject = subject_of(verb)
    return subject is not None and any(e.start <= subject.i < e.end and e.label in (COMPANY, ORG) for e in entities)


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
    if head.dep_ in ("conj", "appos") and head.head.dep_ in ("nsubj", "nsubjpass", "dobj") and \
            any(c.dep_ == "cc" and c.lower_ == "or" for c in head.head.children) and _state_of(head.head.head):
        return head.head.head  # "cut more than 15% of its workforce, or about 15,000 jobs": the same cut restated
    if head.dep_ == "nsubj" and head.head.lemma_ == "be":  # "Up to 2,500 jobs are to go at Marsh"
        return next((c for c in head.head.children if c.dep_ == "xcomp" and _state_of(c)), None)
    return None


def _state_org(sent: Span, verb: Token, state: str, entities: list[RawEntity],
               ctx: SentenceContext) -> tuple[str | None, bool]:
    """The organisation of a state, and whether the sentence names it: the employer is the subject of
    cut/hire/employ ('Marsh cuts 2,500 jobs', "it" for the article's company); people leave or join the
    organisation named right after the verb ('left Meta')."""
    orgs = [e for e in entities if e.label in (COMPANY, ORG)]
    org_names = {e.name for e in orgs}
    if state in ("lay off", "hire", "employ"):
        # "Alphabet Inc., the parent company of Google, said that it will cut ..."
        subject = subject_of(verb)
        if subject is not None and subject.pos_ == "PRON" and verb.dep_ == "ccomp":
            subject = subject_of(verb.head) or subject
        named = [n for n in (names_at(subject, entities) if subject is not None else []) if n in org_names]
        if named:
            return named[0], True
        if subject is not None and generic_company_ref(subject):
            return resolve_reference(subject, sent, entities, ctx)
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        if agent is not None:  # "200 jobs were cut by Marsh"
            named = [e.name for e in orgs if agent.i < e.start <= agent.i + 3]
            if named:
                return named[0], True
        return None, True
    for e in orgs:
        if verb.i < e.start <= verb.i + MAX_ORG_DISTANCE:
            return e.name, True
    if any(t.lemma_.lower() in GENERIC_COMPANY_WORDS for t in verb.subtree if t.i > verb.i):
        # "Three OpenAI leaders ... have left the company": the company named in the subject
        subject = subject_of(verb)
        inside = [e for e in orgs if subject is not None and subject.left_edge.i <= e.start <= subject.i]
        if inside:
            return inside[0].name, True
    return None, True


def _group_name(sent: Span, head: Token, region: range, org: str | None) -> str:
    """'the 14 scientists who contributed to the 2023 Llama paper' -> 'llama paper researchers'."""
    canonical = group_head(head) or head.lemma_.lower()
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
