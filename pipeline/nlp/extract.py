"""Article -> Extraction: run the pipeline per paragraph, merge aliases, build typed claims."""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import os
import re
import threading
import time
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from itertools import islice

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from pipeline.fetch.language import ENGLISH, detect_language
from pipeline.nlp.build import build_pipeline, load_gazetteer
from pipeline.nlp.claims import (
    COMPANY_ROLES,
    RawClaim,
    SentenceContext,
    extract_sentence,
    normalized_period,
    round_followup,
    same_scale,
    sentence_entities,
    sentence_quantities,
    stated_bases,
    subject_company,
)
from pipeline.nlp.claims.common import (
    DESCRIPTIVE_COMPANY_WORDS,
    GENERIC_PRONOUNS,
    generic_company_ref,
    it_is_the_subject,
)
from pipeline.nlp.claims.context import BARE_PART_OF_YEAR, normalize_period, stated_results_period, year_earlier
from pipeline.nlp.claims.events import is_health_article, sentence_event
from pipeline.nlp.components import COMPANY, ENTITY_KEY, ORG, PERSON, PERSON_CUE_KEY
from pipeline.nlp.dates import stated_date
from pipeline.nlp.entities import (
    country_names,
    entity_data,
    is_given_name,
    is_institution,
    is_public_body,
    normalize_name,
    type_of,
    which_refers_back,
)
from pipeline.nlp.measures import vocabulary
from pipeline.types import (
    Article,
    ClaimKind,
    ClaimStatus,
    CountClaim,
    EntityType,
    Evidence,
    Extraction,
    FigureClaim,
    Mention,
    MoneyClaim,
    PercentageClaim,
    RoleClaim,
)

log = logging.getLogger("newsfacts")

# Paragraphs longer than this are cut into pieces for the parser: a hostile "sentence" of
# 100k characters would otherwise cost seconds and hundreds of MB in one Doc.
MAX_PARAGRAPH_CHARS = 5_000
# Sentences are read for claims only up to these sizes. The corpus's longest sentence has 54 tokens
# and at most 4 quantities; past 200 tokens or 12 quantities a "sentence" is a table, a list or
# run-on text from a broken page, no claim in it can be attributed, and reading it costs
# time quadratic in its length (every quantity looks at every entity of the sentence).
MAX_SENTENCE_TOKENS = 200
MAX_QUANTITIES_PER_SENTENCE = 12
# Claims kept per article: the corpus's articles state one measure (e.g. Mistral AI's total funding)
# at most twice and make at most 13 claims in all. A page repeating a measure dozens of times or
# holding hundreds of figures is a table or a data dump; the first ones are kept so that storing and
# reconciling one article stays bounded (reconciling compares every pair of claims on a measure).
MAX_CLAIMS_PER_MEASURE = 10
# Figures of no measure (FigureClaim) an article keeps, after its claims of a measure.
MAX_FIGURES_PER_ARTICLE = 100
MAX_CLAIMS_PER_ARTICLE = 300
# nlp.pipe batch size: ~50 paragraphs keeps the tok2vec batches full without memory spikes.
PIPE_BATCH_SIZE = 64
# A line is a headline (title case, no final stop) when at least this share of its words
# are capitalised: the small model reads entities into such lines that are not there.
HEADLINE_CAPS_SHARE = 0.6
# Articles per task for a worker process: pickling a chunk is noise against ~0.1 s of parsing per
# article, and 8 keeps both workers of a 2-core machine busy to the last article.
WORKER_CHUNK = 8
# How often a worker checks that the process that started it is alive: a killed ingest must not leave
# workers of ~230 MB each running; a second is nothing next to loading the model.
PARENT_POLL_S = 1.0
# Chunks queued per worker: the input is streamed, so memory stays flat however large the corpus.
CHUNKS_IN_FLIGHT_PER_WORKER = 2
# Headlines and standfirsts run to about 20 words; a longer line without a final stop is body text
# that lost its punctuation (a paragraph cut at a link or an image caption).
MAX_HEADLINE_WORDS = 30
LIST_MARKS = ("- ", "* ", "• ", "– ")
# "AOL Europe", "Ford UK": a unit of the company, not the company under a longer name.
REGION_WORDS = frozenset({"Europe", "European", "Asia", "Asian", "America", "Americas", "Africa", "Pacific", "UK",
                          "US", "USA", "International", "Global", "Worldwide", "Holdings", "Group"})
# Legal forms after a company's name: "Target Corp" is Target, whichever the article names first (unlike a unit,
# "Barclays Capital", named after "Barclays").
LEGAL_FORMS = frozenset({"Inc", "Inc.", "Corp", "Corp.", "Corporation", "Ltd", "Ltd.", "LLC", "PLC", "plc", "GmbH",
                         "SA", "S.A.", "SAS", "AG", "NV", "N.V.", "AB", "Co", "Co.", "Company"})
# Acronyms are matched to the names they abbreviate up to this length ("EU", "IMF", "NATO", "UNICEF").
MAX_ACRONYM = 6
# A company the article names this often, and more than any other, is what "it" and "the firm" mean.
MAIN_ORG_MIN_MENTIONS = 3
MAIN_COMPANY_MIN_MENTIONS = 2
# When no company is the article's main one, a figure whose sentence names no owner is the company the
# last sentences named alone, up to this many sentences back.
RECENT_COMPANY_SENTENCES = 2
_LABEL_TYPES = {PERSON: EntityType.PERSON, COMPANY: EntityType.COMPANY, ORG: EntityType.ORG}
ENTITY_LABELS = {t: label for label, t in _LABEL_TYPES.items()}  # an article-wide type -> its span label
# Quote marks that glue to a possessive ("Meta‘s") are read as plain apostrophes; one char each,
# so every offset into the normalized text is an offset into the original.
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})


@dataclass(frozen=True, slots=True)
class Paragraph:
    start: int
    text: str
    headline: bool


def paragraphs(text: str) -> list[Paragraph]:
    out = []
    for m in re.finditer(r"[^\n]+", text):
        chunk = m.group(0)
        if not chunk.strip():
            continue
        for i in range(0, len(chunk), MAX_PARAGRAPH_CHARS):
            piece = chunk[i:i + MAX_PARAGRAPH_CHARS]
            if piece.strip():
                out.append(Paragraph(m.start() + i, piece, is_headline(piece)))
    return out


def is_headline(line: str) -> bool:
    stripped = line.strip()
    if stripped.endswith((".", "!", "?", ".”", '."', ":")) and len(stripped) > 80:
        return False
    if stripped.startswith(LIST_MARKS):
        return False  # "- Best actor - Richard Griffiths for The History Boys": a list item in the body
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", stripped)]
    if len(words) > MAX_HEADLINE_WORDS:
        return False  # a paragraph whose last sentence lost its full stop, not a headline
    if not words:
        return True
    caps = sum(1 for w in words if w[0].isupper())
    return caps / len(words) >= HEADLINE_CAPS_SHARE or not stripped.endswith((".", "!", "?", '"', "”"))


def readable(sent: Span) -> bool:
    """A sentence small enough to read claims from (see MAX_SENTENCE_TOKENS)."""
    return len(sent) <= MAX_SENTENCE_TOKENS and len(sentence_quantities(sent)) <= MAX_QUANTITIES_PER_SENTENCE


class Extractor:
    """Holds the pipeline; turns articles into mentions and claims."""

    def __init__(self, nlp: Language | None = None, n_process: int = 1) -> None:
        """n_process > 1: that many worker processes, each with its own pipeline, extract whole
        articles (parse and claims) while the caller stores the results; the caller's process then
        never loads the pipeline (~2 s and ~230 MB it would spend beside the workers on the same cores)."""
        self._nlp = nlp
        self.n_process = n_process if nlp is None else 1  # workers build the standard pipeline
        self.gazetteer_names = {e["name"] for e in load_gazetteer()}

    @property
    def nlp(self) -> Language:
        """The pipeline of this process, built when an article is first extracted here."""
        if self._nlp is None:
            self._nlp = build_pipeline()
        return self._nlp

    def extract(self, article: Article) -> Extraction:
        return next(self._extract_here([article]))[1]

    def extract_many(self, articles: Iterable[Article]) -> Iterator[tuple[Article, Extraction]]:
        """One (article, Extraction) per article, in order; the input is read as it is needed."""
        if self.n_process <= 1:
            yield from self._extract_here(articles)
            return
        # spawn, not fork: the caller may hold open database connections that a child must not share
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(self.n_process, mp_context=context, initializer=_start_worker) as pool:
            source = iter(articles)
            pending: deque = deque()

            def submit() -> None:
                chunk = list(islice(source, WORKER_CHUNK))
                if chunk:
                    pending.append((chunk, pool.submit(_extract_chunk, chunk)))

            try:
                for _ in range(self.n_process * CHUNKS_IN_FLIGHT_PER_WORKER):
                    submit()
                while pending:
                    chunk, future = pending.popleft()
                    extractions = future.result()
                    submit()
                    yield from zip(chunk, extractions, strict=True)
            except BaseException:  # stopped (SIGTERM, Ctrl-C, an error): the queued chunks are not waited for
                for process in list((getattr(pool, "_processes", None) or {}).values()):
                    process.terminate()
                raise

    def _extract_here(self, articles: Iterable[Article]) -> Iterator[tuple[Article, Extraction]]:
        """Stream articles through nlp.pipe in this process."""
        languages: dict[int, str] = {}

        def units():
            for index, article in enumerate(articles):
                languages[index] = detect_language(article.text)
                # only English goes through the English pipeline; other articles are stored, not read
                paras = paragraphs(article.text) if languages[index] == ENGLISH else []
                if not paras:
                    yield "", (index, article, None, 0)
                for para in paras:
                    yield para.text.translate(_QUOTES), (index, article, para, len(paras))

        current: list[tuple[Paragraph, Doc]] = []
        for doc, (index, article, para, count) in self.nlp.pipe(
                units(), as_tuples=True, batch_size=PIPE_BATCH_SIZE):
            if para is not None:
                current.append((para, doc))
            if para is None or len(current) == count:
                language = languages.pop(index)
                if language != ENGLISH:
                    yield article, Extraction(language=language)
                else:
                    yield article, self._article_extraction(article, current)
                current = []

    def _article_extraction(self, article: Article, docs: list[tuple[Paragraph, Doc]]) -> Extraction:
        _drop_sentence_case_words(docs, self.gazetteer_names)
        aliases, types = self._aliases(docs)
        if _propagate_names(docs, set(aliases)):
            aliases, types = self._aliases(docs)  # the new mentions vote too
        mentions: list[Mention] = []
        claims = []
        group: str | None = None
        topic = company = _topic_company(docs, aliases, types)
        main = _main_company(docs, aliases, types)
        # the place an article about no company is about, or about an organisation ("the ODPM said house prices")
        place = _main_place(docs) if main is None or types.get(main) is EntityType.ORG else None
        described = _described(docs, aliases, types)
        deficit = _deficit_measure(article.text)
        prices = _prices_measure(article.text)
        labels = {key: ENTITY_LABELS[types[name]] for key, name in aliases.items() if name in types}
        last_subject: str | None = None
        recent: str | None = None  # the one company a recent sentence named ("Mahindra reported ... Profit was")
        recent_age = 0
        known_roles: dict[tuple[str, str], str] = {}
        event: str | None = None  # the event the article last named (see claims/events.py)
        health = is_health_article(doc for _, doc in docs)
        stated_periods: list[tuple[int, str]] = []  # (offset of a sentence, the results period it names)
        last_bases: tuple[str | None, dict[str, str]] = (None, {})  # the last sentence's subject and its bases
        for para, doc in docs:
            for span in doc.spans[ENTITY_KEY]:
                name = aliases.get(span.kb_id_)
                if name is None:
                    continue
                sent = span.sent
                mentions.append(Mention(
                    name=name, type=types[name], text=span.text,
                    evidence=_evidence(article.text, para, sent, span.start_char, span.end_char)))
            for sent in doc.sents:
                if not readable(sent):
                    continue
                raw_claims = extract_sentence(sent, SentenceContext(
                    previous_group=group, previous_company=company, main_company=main,
                    published=article.published, labels=labels,
                    recent_company=recent if recent_age <= RECENT_COMPANY_SENTENCES else None,
                    recent_event=event, health=health, main_place=place, previous_subject=last_subject,
                    described=described, deficit=deficit, prices=prices))
                event = sentence_event(sent) or event
                if (stated := stated_results_period(sent, article.published)) is not None:
                    stated_periods.append((para.start + sent.start_char, stated))
                subject = subject_company(sent, labels)
                bases = stated_bases(sent)
                _carry_basis(raw_claims, bases, last_bases, aliases)
                last_bases = (subject, bases)
                named = {(e.name, e.label) for e in sentence_entities(sent, labels) if e.label in (COMPANY, ORG)}
                if named:  # a sentence naming one company makes it the recent one; any other name, nobody
                    recent, recent_age = (next(iter(named))[0] if len(named) == 1 and next(iter(named))[1] == COMPANY
                                          else None), 0
                else:
                    recent_age += 1
                followup = round_followup(sent)
                if followup is not None:
                    _complete_last_funding(claims, *followup)
                for raw in raw_claims:
                    if raw.kind is ClaimKind.ROLE and raw.fields["org"] is None and \
                            raw.fields["role"] in COMPANY_ROLES and not raw.fields["former"]:
                        # "co-founder and CEO Arthur Mensch said": the company this role was given with
                        # earlier in the article, else the company the story was just about
                        person = aliases.get(raw.fields["person"], raw.fields["person"])
                        raw.fields["org"] = known_roles.get((person, raw.fields["role"])) or \
                            subject or last_subject or topic
                    when = stated_date(sent, raw.start, raw.end, article.published) or article.published
                    claim = _typed_claim(raw, aliases, when,
                                         _evidence(article.text, para, sent, raw.start, raw.end))
                    if claim is not None:
                        claims.append(claim)
                        if isinstance(claim, RoleClaim) and claim.org:
                            known_roles.setdefault((claim.person, claim.role), raw.fields["org"])
                        if isinstance(claim, CountClaim):
                            group = claim.group
                        elif isinstance(claim, MoneyClaim) and claim.kind is ClaimKind.FUNDING:
                            company = raw.fields["company"]
                last_subject = _sentence_subject(sent, labels, last_subject)
        claims = _carry_periods(_carry_forecast_measure(claims), article.text, stated_periods)
        return Extraction(mentions=tuple(mentions), claims=tuple(_capped(_dedupe(claims), article.source)))

    def _aliases(self, docs: list[tuple[Paragraph, Doc]]) -> tuple[dict[str, str], dict[str, EntityType]]:
        """Within one article: surname -> full name, short -> long company name, type by vote."""
        labels: dict[str, Counter] = defaultdict(Counter)
        in_body: set[str] = set()
        cued: set[str] = set()  # names a person cue stood by at least once ("Mr Harris", "singer Ciara")
        first_seen: dict[str, tuple[int, int]] = {}  # name -> (paragraph, token) of its first mention in the body
        places: Counter = Counter()  # names the model calls a place ("in Cameroon", "the Cameroon capital")
        # organisations only by a 'which' after a model PERSON ("Euronext, which combines ..."): no person, but no
        # evidence of an organisation's name to make a lone word a name or a shorter name a part of it
        which: Counter = Counter()
        for index, (para, doc) in enumerate(docs):
            places.update(normalize_name(e.text) for e in doc.ents if e.label_ in ("GPE", "LOC"))
            for span in doc.spans[ENTITY_KEY]:
                labels[span.kb_id_][span.label_] += 1
                if span.label_ == ORG and span.root.ent_type_ == "PERSON" and which_refers_back(span):
                    which[span.kb_id_] += 1
                if not para.headline:
                    in_body.add(span.kb_id_)
                    first_seen.setdefault(span.kb_id_, (index, span.start))
            cued.update(s.kb_id_ for s in doc.spans[PERSON_CUE_KEY])
        single_people = {n for n, c in labels.items() if c[PERSON] and len(n.split()) == 1}
        # "Finlay Calder" read as an ORG, then "Calder said" three times: the surname makes it a person
        full_people = [n for n, c in labels.items() if len(n.split()) >= 2 and (
            c[PERSON] or (c[ORG] and not c[COMPANY] and n.split()[-1] in single_people
                          and is_given_name(n.split()[0])))]
        surnames = Counter(n.split()[-1] for n in full_people)
        by_surname = {n.split()[-1]: n for n in full_people if surnames[n.split()[-1]] == 1}
        orgs = [n for n, c in labels.items() if (c[COMPANY] or c[ORG] > which[n]) and n not in by_surname]
        # "TimeWarner" and "Time Warner" in one article: one company, under its most frequent spelling
        by_spelling: dict[str, str] = {}
        by_bare: dict[str, str] = {}  # "News Corp" and "News Corporation": one company under two legal forms
        for n in sorted(orgs, key=lambda n: (-sum(labels[n].values()), n)):
            by_spelling.setdefault(n.replace(" ", "").casefold(), n)
            by_bare.setdefault(without_legal_form(n).replace(" ", "").casefold(), n)
        aliases: dict[str, str] = {}
        types: dict[str, EntityType] = {}
        for name, counts in labels.items():
            if name not in in_body and name not in self.gazetteer_names:
                continue  # seen only in headlines/bylines: the model's guesses there are unreliable
            if (places[name] > counts[ORG] + counts[PERSON] or name in country_names()) and not counts[COMPANY] \
                    and name not in cued and name not in by_surname and name not in self.gazetteer_names:
                # "Cameroon says ...", "Sri Lanka's stock market": a place the model mostly calls a place (or a
                # country), once an organisation or a person
                continue
            target = name
            if name in orgs and by_spelling[name.replace(" ", "").casefold()] != name:
                target = by_spelling[name.replace(" ", "").casefold()]
            elif len(name.split()) == 1 and name in by_surname and not (
                    counts[COMPANY] and counts[COMPANY] + counts[ORG] >= max(3, counts[PERSON] + 1)
                    and name not in cued):
                target = by_surname[name]  # (not "Ford, the US car company" beside "Bill Ford": a name a company cue
                # stood by and the model reads as an organisation at least three times, more often than as a person)
            elif name in orgs and (bare := without_legal_form(name)) != name and (
                    other := bare if bare in orgs else by_bare[bare.replace(" ", "").casefold()]) != name:
                # "Target Corp" after "Target"; "News Corporation", then "News Corp": one company, two legal forms
                target = by_spelling[other.replace(" ", "").casefold()]
            elif name.isupper() and 2 <= len(name) <= MAX_ACRONYM and (spelled := _spelled_out(name, orgs)):
                target = spelled  # "EU" for "European Union" named in the same article
            elif name not in self.gazetteer_names and (not counts[PERSON] or counts[COMPANY] or (
                    len(name.split()) == 1 and not is_given_name(name) and name not in cued)):
                # "Massy" for "Massy Stores" (and "Massy Stores Westmoorings", one of its shops): the
                # shortest longer name, when every other longer name extends it
                # A story names a company in full first ("Mistral AI", then "Mistral"); a longer name first
                # seen after the short one is a part of it ("Barclays", then "Barclays Capital"), not its name.
                longer = sorted((o for o in orgs if o != name and o.startswith(name + " ")
                                 and not set(o[len(name):].split()) <= REGION_WORDS
                                 and first_seen.get(o, (0, 0)) <= first_seen.get(name, (0, 0))), key=len)
                if longer and all(o.startswith(longer[0]) for o in longer) and (
                        not counts[PERSON] or counts[COMPANY] or labels[longer[0]][COMPANY]):
                    # (a lone word the model calls a person, which no given name or cue makes one, is a company
                    # only in a company's name: "Lenoge" after "Lenoge Technology", not "Drogba" in "Drogba 107")
                    target = longer[0]
            if target == name and len(name.split()) == 1 and counts[PERSON] and not (
                    counts[COMPANY] or counts[ORG] > which[name]) and name not in cued:
                continue  # a lone surname or word we cannot tie to a full name, and no person cue
            aliases[name] = target
        for name, target in aliases.items():
            votes = labels[target] + (labels[name] if name != target else Counter())
            if target in by_surname.values() and not _mostly_a_company(labels[target], target in cued):
                # a full name whose surname is used alone is a person, unless its own mentions more often say a
                # company than a person, by more than one company cue, and no person cue ever stood by it ("Laura
                # Ashley is parting company with its chief executive", "Laura Ashley, which floated", "Laura Ashley
                # was founded by its late namesake")
                types[target] = EntityType.PERSON
            elif votes[COMPANY]:
                types[target] = EntityType.COMPANY
            else:
                label = votes.most_common(1)[0][0]
                types[target] = _LABEL_TYPES[label]
        return aliases, types


def _mostly_a_company(counts: Counter, cued: bool) -> bool:
    """A name the model reads as a person's whose own mentions say a company more often than a person, by at
    least two company cues, and that no person cue ever stood by."""
    return counts[COMPANY] >= 2 and counts[COMPANY] + counts[ORG] > counts[PERSON] and not cued


def without_legal_form(name: str) -> str:
    """'Target Corp' -> 'Target', 'Acme Holdings Inc.' -> 'Acme Holdings', 'Amazon.com' -> 'Amazon'; other names as
    they are."""
    words = name.split()
    while len(words) > 1 and words[-1] in LEGAL_FORMS:
        words.pop()
    if words and (site := _WEB_ADDRESS_END.sub("", words[-1])) and site != words[-1]:
        words[-1] = site
    return " ".join(words)


# A company named by its web address: "Amazon.com", "Overstock.com".
_WEB_ADDRESS_END = re.compile(r"(?<=\w)\.(?:com|co\.uk|net)$")


_worker_extractor: Extractor | None = None


def _start_worker() -> None:
    global _worker_extractor
    _exit_with_parent()
    _worker_extractor = Extractor()


def _exit_with_parent() -> None:
    """A worker whose parent is gone (SIGKILL) exits within PARENT_POLL_S instead of parsing on for minutes."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_S)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _extract_chunk(articles: list[Article]) -> list[Extraction]:
    return [extraction for _, extraction in _worker_extractor._extract_here(articles)]


def _evidence(text: str, para: Paragraph, sent, start: int, end: int) -> Evidence:
    sent_start = para.start + sent.start_char
    sent_end = para.start + sent.end_char
    return Evidence(sentence=text[sent_start:sent_end].strip(), sent_start=sent_start,
                    start=para.start + start, end=para.start + end)


def _typed_claim(raw: RawClaim, aliases: dict[str, str], when: date | None, evidence: Evidence):
    f = raw.fields
    common = {"stated_date": when, "evidence": evidence, "status": raw.status,
              "subject_explicit": raw.subject_explicit, "cue": raw.cue}

    def name(n: str | None) -> str | None:
        return aliases.get(n, n) if n else None

    if raw.kind in (ClaimKind.FUNDING, ClaimKind.VALUATION, ClaimKind.REVENUE, ClaimKind.MONEY):
        return MoneyClaim(
            subject=name(f["company"]), amount=raw.quantity, kind=raw.kind, measure_id=f.get("measure"),
            round=f["round"], investors=tuple(dict.fromkeys(name(i) for i in f["investors"])),
            lead_investors=tuple(dict.fromkeys(name(i) for i in f["lead_investors"])),
            contributor=name(f["contributor"]), period=raw.period, part=bool(f.get("part")),
            comparable=f.get("comparable", True), **common,
            # a party is never its own counterparty ("ISG" and "International Steel Group" are one name here)
            counterparty=counterparty if (counterparty := name(f.get("counterparty"))) != name(f["company"]) else None)
    if raw.kind is ClaimKind.COUNT:
        return CountClaim(group=f["group"], state=f["state"], value=raw.quantity, total=f["total"],
                          org=name(f["org"]), period=raw.period, specific=f.get("specific", True),
                          event=f.get("event"), place=f.get("place"), claimant=name(f.get("claimant")),
                          news="event" in f, event_key=f.get("event_key"), **common)
    if raw.kind is ClaimKind.FIGURE:
        return FigureClaim(value=raw.quantity, noun=f.get("noun"), stated_date=when, evidence=evidence)
    if raw.kind is ClaimKind.PERCENTAGE:
        return PercentageClaim(subject=name(f["subject"]), measure_name=f["measure"], direction=f["direction"],
                               value=raw.quantity, period=raw.period, period_text=f.get("period_text"),
                               source=name(f.get("source")), **common)
    if raw.kind is ClaimKind.ROLE:
        person = aliases.get(f["person"])
        if person is None:
            return None
        return RoleClaim(person=person, role=f["role"], org=name(f["org"]), former=f["former"], **common)
    return None


def _sentence_subject(sent, labels: dict[str, str], last: str | None) -> str | None:
    """Whom a next sentence's "It" stands for: the company this sentence has as its subject; else an organisation
    ("The University of California said ..."), though not a public body ("The ONS says ..."), which reports figures
    it does not own; else, in a sentence about "it" ("It seized the top spot ... Since then, it has paid $1bn"), the
    one before it stood for."""
    named = subject_company(sent, labels, main_clause=True)
    if named is not None:
        return named
    named = subject_company(sent, labels, main_clause=True, kinds=(ORG,))
    if named is not None and not is_public_body(named) and named not in entity_data().org_acronyms:
        return named
    return last if it_is_the_subject(sent) else None


def _dedupe(claims: list) -> list:
    seen = set()
    out = []
    for c in claims:
        key = (type(c), c.evidence.start, c.evidence.end, c.topic, c.measure)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def _topic_company(docs: list[tuple[Paragraph, Doc]], aliases: dict[str, str],
                   types: dict[str, EntityType]) -> str | None:
    """The company the article is about: the most mentioned one, the first mentioned on a tie. It stands in
    for 'the startup' / 'it' until a sentence names the funded company."""
    counts: Counter = Counter()
    for _para, doc in docs:
        for span in doc.spans[ENTITY_KEY]:
            name = aliases.get(span.kb_id_)
            if name is not None and types.get(name) is EntityType.COMPANY:
                counts[name] += 1
    return counts.most_common(1)[0][0] if counts else None


def _lower_case_words(docs: list[tuple[Paragraph, Doc]]) -> set[str]:
    """The words the article writes in lower case ("digital music", "house prices")."""
    return {t.text for _para, doc in docs for t in doc if t.is_lower}


def _drop_sentence_case_words(docs: list[tuple[Paragraph, Doc]], known: set[str] | frozenset[str]) -> None:
    """A one-word name the article writes only where a sentence (or headline) begins, and elsewhere in lower
    case, is a word capitalised by its place: "House prices have risen 0.9%" beside "house prices went up"; its
    spans are no entities (a name the gazetteer knows or a person cue stood by stays)."""
    lower_words = _lower_case_words(docs)
    mid_sentence = {span.kb_id_ for para, doc in docs if not para.headline for span in doc.spans[ENTITY_KEY]
                    if span.start != span.sent.start}
    cued = {s.kb_id_ for _para, doc in docs for s in doc.spans[PERSON_CUE_KEY]}
    for _para, doc in docs:
        spans = list(doc.spans[ENTITY_KEY])
        kept = [s for s in spans if not (len(s) == 1 and s.kb_id_ not in mid_sentence and (
            s.text.lower() in lower_words or _kind_of_prices(s)) and s.kb_id_ not in known and s.kb_id_ not in cued)]
        if len(kept) != len(spans):
            doc.spans[ENTITY_KEY] = kept


def _kind_of_prices(span: Span) -> bool:
    """'House prices fell 0.4%', 'Consumer prices rose': the word that says which prices (models/measures.json
    percentages.price_kinds), capitalised where the sentence begins."""
    doc = span.doc
    return span.start == span.sent.start and span.end < len(doc) and doc[span.end].lower_ == "prices" and \
        span.text.lower() in vocabulary().price_kinds


def _propagate_names(docs: list[tuple[Paragraph, Doc]], names: set[str]) -> bool:
    """A name the article uses for an organisation is that organisation wherever it recurs: the model tags
    "Parmalat" once and leaves it untagged five times. Each untagged recurrence becomes a mention, typed by
    the evidence around it. Returns whether any was added."""
    surfaces: dict[tuple[str, ...], str] = {}
    named: Counter = Counter()  # how often each surface is a company's or organisation's name
    # a one-word "name" the article also writes in lower case ("Digital sales ...", "digital music") is a
    # word capitalised by its place in the sentence, not a name to look for elsewhere
    lower_words = _lower_case_words(docs)
    for _para, doc in docs:
        for span in doc.spans[ENTITY_KEY]:
            if span.kb_id_ in names and span.label_ in (COMPANY, ORG) and span.text[:1].isupper() and not (
                    len(span) == 1 and span.text.lower() in lower_words):
                surfaces.setdefault(tuple(t.text for t in span), span.kb_id_)
                named[tuple(t.text for t in span)] += span.label_ == COMPANY
                first = span[0]
                if span.label_ == COMPANY and len(span) >= 3 and first.text[:1].isupper() and \
                        first.lower_ not in lower_words and \
                        first.ent_type_ not in ("GPE", "NORP", "LOC") and first.pos_ == "PROPN" and \
                        not is_given_name(first.text):
                    # "Travelers Life & Annuity", then "Travelers had sales of $5.2bn": a long company name's
                    # first word alone (not a place, a given name or a word the article writes in lower case)
                    surfaces.setdefault((first.text,), span.kb_id_)
    if not surfaces:
        return False
    # "Carlsberg is more optimistic than Heineken": a name the text calls a company at least twice ("Danish brewer
    # Carlsberg", "Carlsberg, the world's fifth-largest brewer") is the company where the model took it for a place
    firm_names = {words for words, n in named.items() if n >= 2}
    added = False
    vocab = docs[0][1].vocab  # one pipeline parsed every paragraph: one matcher serves the article
    matcher = PhraseMatcher(vocab)
    matcher.add("NAME", [Doc(vocab, words=list(words)) for words in surfaces])
    for _para, doc in docs:
        taken = {i for span in doc.spans[ENTITY_KEY] for i in range(span.start, span.end)}
        new = []
        for _, start, end in matcher(doc):
            words = tuple(t.text for t in doc[start:end])
            if taken & set(range(start, end)) or any(
                    doc[i].ent_type_ in ("PERSON", "LOC", "NORP")
                    or doc[i].ent_type_ == "GPE" and words not in firm_names for i in range(start, end)):
                continue
            span = doc[start:end]
            evidence = type_of(span, span.text, "ORG")
            if evidence.label in (COMPANY, ORG):
                new.append(Span(doc, start, end, label=evidence.label,
                                kb_id=surfaces[tuple(t.text for t in span)]))
                taken.update(range(start, end))
        if new:
            doc.spans[ENTITY_KEY] = sorted([*doc.spans[ENTITY_KEY], *new], key=lambda s: s.start)
            added = True
    return added


def _spelled_out(acronym: str, names: list[str]) -> str | None:
    """The one name in the article whose capitalised words' initials spell the acronym."""
    found = [n for n in names if len(n.split()) > 1 and "".join(
        w[0] for w in n.split() if w[:1].isupper()) == acronym]
    return found[0] if len(found) == 1 else None


def _main_company(docs: list[tuple[Paragraph, Doc]], aliases: dict[str, str],
                  types: dict[str, EntityType]) -> str | None:
    """The company 'it', 'the firm' and 'the retailer' stand for: the article's most mentioned company,
    when it is mentioned at least twice and more often than any other (otherwise nobody can tell)."""
    counts: Counter = Counter()
    orgs: Counter = Counter()
    for _para, doc in docs:
        for span in doc.spans[ENTITY_KEY]:
            name = aliases.get(span.kb_id_)
            if name is not None and types.get(name) is EntityType.COMPANY:
                counts[name] += 1
            elif name is not None and types.get(name) is EntityType.ORG:
                orgs[name] += 1
    main = _most_named(counts, MAIN_COMPANY_MIN_MENTIONS)
    if main is None:
        # "Enron ... the energy firm": an article that speaks of "the firm" but types no company by evidence is
        # about the organisation it names most, at least three times and more than any other name
        main = _most_named(orgs + counts, MAIN_ORG_MIN_MENTIONS)
        if main not in orgs or not any(_speaks_of_a_firm(doc) for _, doc in docs) or is_institution(main):
            return None  # "the SEC", "the Labor Department": never what "the firm" stands for
    return main


def _most_named(counts: Counter, minimum: int) -> str | None:
    """The name counted most, at least `minimum` times and more often than any other (else nobody can tell)."""
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < minimum or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    return ranked[0][0]


def _speaks_of_a_firm(doc: Doc) -> bool:
    """'the firm', 'the company', 'the group': the text refers to a company it does not name there."""
    return any(generic_company_ref(t) and t.lower_ not in GENERIC_PRONOUNS for t in doc)


def _described(docs: list[tuple[Paragraph, Doc]], aliases: dict[str, str],
               types: dict[str, EntityType]) -> dict[str, str]:
    """Company words the article gives one company by name ("Circuit City Stores, the second-largest
    electronics retailer", "US insurer Marsh", "carmaker Maruti"): 'retailer' -> that company, for "the
    retailer" later on. A word it gives two companies names neither."""
    found: dict[str, set[str]] = defaultdict(set)
    for _para, doc in docs:
        for span in doc.spans[ENTITY_KEY]:
            name = aliases.get(span.kb_id_)
            if name is None or types.get(name) is not EntityType.COMPANY:
                continue
            root = span.root
            words = [c for c in root.children if c.dep_ == "appos"]
            if root.dep_ == "appos":
                words.append(root.head)
            if span.start > 0 and doc[span.start - 1].dep_ == "compound" and doc[span.start - 1].head.i in range(
                    span.start, span.end):
                words.append(doc[span.start - 1])  # "insurer Marsh"
            for w in words:
                if w.pos_ == "NOUN" and w.lemma_.lower() in DESCRIPTIVE_COMPANY_WORDS:
                    found[w.lemma_.lower()].add(name)
    return {word: next(iter(names)) for word, names in found.items() if len(names) == 1}


_BUDGET_BALANCE = re.compile(r"\b(?:budget|fiscal|federal|public|government)\s+(?:deficit|surplus)", re.I)
_TRADE_BALANCE = re.compile(r"\btrade\s+(?:deficit|surplus|gap|balance)|\bcurrent[- ]account\b|"
                            r"\b(?:deficit|surplus)\s+(?:in|on)\s+(?:trade|goods)", re.I)


_HOUSE_PRICES = re.compile(r"\b(?:house|home|property|housing)[- ]prices?\b|\bprices? of (?:homes|houses|property)\b",
                           re.I)
_CONSUMER_PRICES = re.compile(r"\b(?:consumer|retail|producer|shop|food|fuel|oil|petrol)[- ]prices?\b|\binflation\b|"
                              r"\b(?:cpi|rpi)\b", re.I)
_HOUSE_PRICE_INFLATION = re.compile(r"\b(?:house|home|property)[- ]price\s+inflation\b", re.I)


def _prices_measure(text: str) -> str | None:
    """What bare "prices" are in this article: house prices in a story that names those and no other prices and
    no inflation ("The UK's biggest mortgage lender said prices rose 15.1% over the whole of 2004"), else the prices
    the words say. (A story that speaks of "house price inflation" means it by "annual inflation" too.)"""
    if not _HOUSE_PRICES.search(text):
        return None
    house_inflation = _HOUSE_PRICE_INFLATION.search(text) is not None
    others = [m for m in _CONSUMER_PRICES.finditer(text) if not (house_inflation and m.group(0).lower() == "inflation")]
    return "house prices" if not others else None


def _deficit_measure(text: str) -> str | None:
    """What "the deficit" is in this article: its trade balance when it names only that, its budget's when it
    names only that; neither when it names both or none ("a pension deficit" is no economy's)."""
    budget, trade = bool(_BUDGET_BALANCE.search(text)), bool(_TRADE_BALANCE.search(text))
    return "budget deficit" if budget and not trade else "trade" if trade and not budget else None


def _main_place(docs: list[tuple[Paragraph, Doc]]) -> str | None:
    """The country or city an article is about ("The US economy grew ... Consumer spending rose 4.2%"): the
    place it names most, at least twice and half as often again as any other (a story of Japan's trade with China
    and the US, naming China 10 times and the US 8, is about neither as the owner of a figure it names no one for)."""
    counts = Counter(normalize_name(e.text) for _para, doc in docs for e in doc.ents if e.label_ == "GPE")
    ranked = counts.most_common(2)
    if len(ranked) > 1 and ranked[0][1] < MAIN_PLACE_LEAD * ranked[1][1]:
        return None
    return _most_named(counts, MAIN_COMPANY_MIN_MENTIONS)


# How many times as often as the next the main place is named.
MAIN_PLACE_LEAD = 1.5


# Statuses that take the period their article last stated: the figure itself, the one it is compared with,
# and the analysts' estimate for it; not a forecast or a plan, which looks ahead to another period.
_CARRIED_STATUSES = (ClaimStatus.ACTUAL, ClaimStatus.PRIOR, ClaimStatus.ESTIMATE)
# The year of a period ('2004', '2004-Q4', '2004-H1', '2004-12').
_YEAR_OF_PERIOD = re.compile(r"((?:19|20)\d\d)(?:$|-)")
_PART_OF_YEAR_PERIOD = re.compile(r"(?:^|-)[QH]\d$")
# Words of a year's figures: a story that has them is not one of a single quarter's results.
_FULL_YEAR_WORDS = re.compile(r"\b(?:annual|full[- ]year|(?:the|this|last) year|twelve months|12 months|"
                              r"fiscal year|financial year|year to|year ending|year ended)\b", re.I)
# A year an article gives its results for: "earnings for 2004", "profits in 2004", "to report 2004 results"
# (not "restate 2003 results").
_RESULTS_YEAR = re.compile(r"\b(?:results|earnings|profits?|losses|sales|revenues?|turnover)\s+(?:for|in)\s+"
                           r"((?:19|20)\d\d)\b|\b(?:report|reports|reported|reporting|posted|posts|announced|unveiled|"
                           r"its|their)\s+((?:19|20)\d\d)\s+(?:results|earnings|profits?|figures)\b", re.I)


# A quarter or half the text gives with its year: "the final three months of 2004", "the fourth quarter of 2004".
_PART_WITH_YEAR = re.compile(r"\b(?:(?:first|second|third|fourth|final|last)[- ]"
                             r"(?:quarter|half|three months|six months)|q[1-4]|h[12]) (?:of )?(?:19|20)\d\d\b", re.I)


def _carry_basis(raw_claims: list[RawClaim], bases: dict[str, str], last: tuple[str | None, dict[str, str]],
                 aliases: dict[str, str]) -> None:
    """An amount of a measure named alone ("Profit was 1.33bn rupees") right after a sentence that gave the same
    company's measure a basis ("Mahindra has reported a 52% rise in net profit") is on that basis, unless its own
    sentence gives the measure one."""
    subject, previous = last
    if subject is None or not previous:
        return
    for raw in raw_claims:
        measure = raw.fields.get("measure") if raw.kind is ClaimKind.MONEY else None
        company = raw.fields.get("company")
        if measure in previous and measure not in bases and company is not None and \
                aliases.get(company, company) == aliases.get(subject, subject):
            raw.fields["measure"] = previous[measure]


def _carry_periods(claims: list, text: str = "", stated: list[tuple[int, str]] = ()) -> list:
    """A results story names its period once ("for the three months to 31 December", "annual profits",
    "after reporting third-quarter earnings": `stated`, by sentence offset) and then gives figure after
    figure for it: a flow figure (models/measures.json 'per_period') that states no period has the one the
    article last stated for such a figure; the figure it is compared with ("from $142m a year earlier") a
    year before that. An undated article's "annual profits" ('FY') are of the one year its other results
    figures name ("Pre-tax profit for 2004 was ..."), when they name one."""
    voc = vocabulary()
    out = []
    marks = deque(sorted(stated))
    # "Net income in the last quarter was 4.3bn rupees ... Third-quarter sales rose 34%": a story of one quarter's
    # (or half's) results that names it only after its first figures, and names no year's figures at all
    named = {p for _, p in stated}
    current: str | None = None
    if len(named) == 1 and _PART_OF_YEAR_PERIOD.search(only := named.pop()) and not _FULL_YEAR_WORDS.search(text):
        current = only

    def measure_of(c) -> str | None:
        return c.measure_id if isinstance(c, MoneyClaim) else c.measure_name if isinstance(
            c, PercentageClaim) else None

    # the year each company's results figures name: Chalone's "year ending 31 December 2003" does not date
    # Diageo's "annual turnover" in the same story
    years: dict[str | None, set[str]] = defaultdict(set)
    # and the year of each quarter or half they name: "net profit for the final three months of 2004" dates the
    # "fourth-quarter" figures; a full year does not ("For 2004 as a whole" says nothing of which year's first
    # quarter a story's "first-quarter profit" is)
    part_years: dict[tuple[str | None, str], set[str]] = defaultdict(set)
    for c in claims:
        if voc.is_per_period(measure_of(c)) and c.status is ClaimStatus.ACTUAL and c.period and (
                m := _YEAR_OF_PERIOD.match(c.period)):
            years[getattr(c, "subject", None)].add(m.group(1))
            if (part := c.period[len(m.group(0)):]) and BARE_PART_OF_YEAR.match(part):
                part_years[getattr(c, "subject", None), part].add(m.group(1))
    text_years = {m.group(1) or m.group(2) for m in _RESULTS_YEAR.finditer(text)} if not years else set()
    text_part_years: dict[str, set[str]] = defaultdict(set)
    for m in _PART_WITH_YEAR.finditer(text):
        if (dated_part := normalize_period(m.group(0), None)) and (y := _YEAR_OF_PERIOD.match(dated_part)):
            text_part_years[dated_part[len(y.group(0)):]].add(y.group(1))

    def dated(period: str, subject: str | None = None, prior: bool = False) -> str:
        """'annual profits', 'fourth-quarter dividend' in a story of 2004 results: 2004, 2004-Q4; the change a
        change is compared with (`prior`: "0.7% in the three months to 31 December 2004, compared with 0.5% in the
        previous quarter"), a quarter earlier in the year of a later one."""
        if period == "FY":
            if not years:
                named = text_years  # "reporting 'unsatisfactory' earnings for 2004"
            elif subject is None:
                named = set().union(*years.values())  # a figure of nobody's: the story's one year, if it has one
            else:  # its own figures' year, else that of figures the text gives nobody ("Pre-tax profit for 2004 was")
                named = years.get(subject) or years.get(None, set())
        elif BARE_PART_OF_YEAR.match(period):
            named = part_years.get((subject, period)) or part_years.get((None, period), set()) \
                if subject is not None else set().union(*(y for (_, p), y in part_years.items() if p == period))
            named = named or text_part_years.get(period, set())  # "Growth in the final three months of 2004 ..."
            if not named and prior:
                later = [*((p, ys) for (_, p), ys in part_years.items()), *text_part_years.items()]
                named = {y for p, ys in later if p[0] == period[0] and p > period for y in ys}
        else:
            return period
        if len(named) != 1:
            return period
        (year,) = named
        return year if period == "FY" else f"{year}-{period}"

    for c in claims:
        while marks and c.evidence is not None and marks[0][0] <= c.evidence.sent_start:
            stated_period = marks.popleft()[1]  # a bare quarter a sentence names alone may be a fiscal one
            current = dated(stated_period) if stated_period == "FY" else stated_period
        if not voc.is_per_period(measure_of(c)):
            out.append(c)
            continue
        if c.period and (c.status in (ClaimStatus.ACTUAL, ClaimStatus.ESTIMATE) or
                         c.status is ClaimStatus.PRIOR and isinstance(c, PercentageClaim)):
            # (a change's earlier change, "compared with 0.5% in the previous quarter", is of the same year when it
            # names a bare quarter: claims/__init__.py _compared_change)
            c = dataclasses.replace(c, period=dated(c.period, getattr(c, "subject", None),
                                                    prior=c.status is ClaimStatus.PRIOR))
        if c.period and normalized_period(c.period):
            if c.status in (ClaimStatus.ACTUAL, ClaimStatus.ESTIMATE):
                current = c.period
        elif not c.period and current is not None and c.status in _CARRIED_STATUSES and \
                getattr(c, "comparable", True):
            # a period the text states but we cannot name ("in the past three years") is not the story's; a rate
            # ("$1.8m an hour") is of no period
            c = dataclasses.replace(c, period=year_earlier(current) if c.status is ClaimStatus.PRIOR else current)
        out.append(c)
    return out


def _carry_forecast_measure(claims: list) -> list:
    """'Net profit in the six months rose 28% to A$458.4m. Analysts expected a figure closer to A$431m.', 'made
    savings of A$245m, and is on track to top its target of A$500m': a forecast or target of no measure held against
    the result just given (the article's last amount, of its currency and scale) is of that result's measure and
    owner, and of its period unless it names its own."""
    out: list = []
    last = None  # the last amount before the claim
    for c in claims:
        if isinstance(c, MoneyClaim) and c.kind is ClaimKind.MONEY and c.measure_id is None and \
                c.status in (ClaimStatus.ESTIMATE, ClaimStatus.GUIDANCE) and last is not None and last.measure_id and \
                last.status is ClaimStatus.ACTUAL and last.kind in (ClaimKind.MONEY, ClaimKind.REVENUE) and \
                last.amount.unit == c.amount.unit and last.subject and c.subject in (None, last.subject) and \
                same_scale(last.amount.value, c.amount.value):
            c = dataclasses.replace(c, kind=last.kind, measure_id=last.measure_id, subject=last.subject,
                                    period=c.period or last.period, comparable=last.comparable,
                                    subject_explicit=False)
        if isinstance(c, MoneyClaim):
            last = c
        out.append(c)
    return out


def _complete_last_funding(claims: list, round_name: str | None, investors: list[str], leads: list[str]) -> None:
    """Give the article's last funding claim the round and investors a follow-up sentence names."""
    index = next((i for i in range(len(claims) - 1, -1, -1)
                  if isinstance(claims[i], MoneyClaim) and claims[i].kind is ClaimKind.FUNDING), None)
    if index is None:
        return
    claim = claims[index]

    def added(have: tuple[str, ...], names: list[str]) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*have, *(n for n in names if n != claim.subject))))

    claims[index] = dataclasses.replace(claim, round=claim.round or round_name,
                                        investors=added(claim.investors, investors),
                                        lead_investors=added(claim.lead_investors, leads))


def _capped(claims: list, source: str) -> list:
    """The first claims of each measure and of the article, up to the caps above."""
    per_measure: Counter = Counter()
    out = []
    # figures of no measure come after every claim of one and never crowd one out
    claims = sorted(claims, key=lambda c: isinstance(c, FigureClaim))
    figures = 0
    for c in claims:
        if isinstance(c, FigureClaim):  # figures share no measure: one cap for all of an article's
            figures += 1
            if figures <= MAX_FIGURES_PER_ARTICLE and len(out) < MAX_CLAIMS_PER_ARTICLE:
                out.append(c)
            continue
        key = (type(c), c.topic, c.measure)
        per_measure[key] += 1
        if per_measure[key] <= MAX_CLAIMS_PER_MEASURE and len(out) < MAX_CLAIMS_PER_ARTICLE:
            out.append(c)
    if len(out) < len(claims):
        log.warning("%s: %d of %d claims kept (at most %d per measure, %d per article)", source, len(out),
                    len(claims), MAX_CLAIMS_PER_MEASURE, MAX_CLAIMS_PER_ARTICLE)
    return out
