"""The review pages in process: both sentences with each claim marked by its offsets, verdicts recorded as
`newsfacts resolve` records them, CSRF, escaping, and verdicts that outlive a re-ingest."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.run import ingest_paths
from pipeline.serve.review import NOTE_MAX_CHARS
from pipeline.store import queries
from pipeline.store.db import open_engine, open_session
from pipeline.store.models import ClaimRow, ContradictionRow, VerdictRow
from tests.conftest import CORPUS
from tests.serve.conftest import client
from tests.test_report import parse, squash

runner = CliRunner()


def cli_contradictions(db: Path, *flags: str) -> list[dict]:
    result = runner.invoke(app, ["contradictions", "--db", str(db), "-f", "json", *flags])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def shown_ids(page: str) -> list[int]:
    return [int(a.attrs["data-id"]) for a in parse(page).find_all("article", class_="nf-contradiction")]


def post_verdict(site, contradiction_id: int, verdict: str, note: str, **extra):
    """A verdict as the page's form sends it: with the CSRF cookie and token the page handed out."""
    return site.post(f"/-/review/{contradiction_id}", post_data={"verdict": verdict, "note": note, **extra},
                     csrftoken_from=f"/-/review/{contradiction_id}")


@pytest.mark.parametrize(("show", "flags"), [("", ("--open",)), ("?show=open", ("--open",)), ("?show=shown", ()),
                                             ("?show=all", ("--all",)), ("?show=nonsense", ("--open",))])
def test_the_review_page_lists_what_the_cli_lists(news_db, show, flags):
    site = client(news_db)
    post_verdict(site, 3, "not comparable", "one is total funding, the other a round")
    page = site.get(f"/-/review{show}").text
    assert shown_ids(page) == [c["id"] for c in cli_contradictions(news_db, *flags)]


def test_each_claim_is_marked_in_its_sentence_by_its_stored_offsets(news_db):
    page = parse(client(news_db).get("/-/review").text)
    with open_session(news_db) as s:
        claims = {c.id: c for c in s.scalars(select(ClaimRow))}
    quotes = page.find_all("blockquote", class_="nf-claim")
    assert len(quotes) == 6
    for quote in quotes:
        claim = claims[int(quote.attrs["data-claim"])]
        sentence = quote.one("p", class_="nf-sentence")
        assert sentence.text == claim.sentence
        assert sentence.one("mark").text == claim.sentence[claim.start - claim.sent_start:claim.end - claim.sent_start]


def test_a_contradiction_shows_both_sides_the_reason_and_links_to_its_articles(news_db):
    with closing(sqlite3.connect(news_db)) as conn:  # one article with a web address, one with a hostile one
        conn.execute("UPDATE articles SET url = 'https://news.example/mistral' WHERE id = 2")
        conn.execute("UPDATE articles SET url = 'javascript:alert(1)' WHERE id = 3")
        conn.commit()
    page = client(news_db).get("/-/review/3")
    assert page.status == 200
    article = parse(page.text).one("article", class_="nf-contradiction")
    assert squash(article.one("p", class_="nf-reason").text) == \
        'Mistral AI, funding:total: "USD 1.5 billion" vs "USD 2 billion": the amounts cannot both be true'
    a, b = article.find_all("blockquote", class_="nf-claim")
    assert a.one("mark").text == "$1.5 billion" and b.one("mark").text == "$2 billion"
    links = {link.attrs["href"] for link in article.find_all("a")}
    assert {"https://news.example/mistral", "/news/articles/2", "/news/articles/3"} <= links
    assert not any("javascript" in href for href in links)
    assert "/news/v_facts?topic=Mistral+AI" in links
    assert [c.text for c in a.find_all("cite")] == ["Mistral AI vs. Meta: A Talent War in Artificial Intelligence"]


def test_an_unknown_contradiction_is_not_found(news_db):
    site = client(news_db)
    assert site.get("/-/review/99").status == 404
    assert site.post("/-/review/99", post_data={"verdict": "real", "note": "x"},
                     csrftoken_from="/-/review").status == 404


@pytest.mark.parametrize(("verdict", "listed_by_default"), [("real", True), ("resolved", True),
                                                            ("not comparable", False)])
def test_a_verdict_from_the_page_is_what_newsfacts_resolve_records(news_db, verdict, listed_by_default):
    site = client(news_db)
    response = post_verdict(site, 1, verdict, "checked with both newsrooms", back="open")
    assert response.status == 303 and response.headers["location"] == "/-/review"
    page = site.get("/-/review/1", cookies={"ds_messages": response.cookies["ds_messages"]}).text
    assert f"contradiction 1: {verdict}" in page
    assert re.search(rf'value="{verdict}" required checked', page)
    assert "checked with both newsrooms</textarea>" in page
    everything = {c["id"]: c for c in cli_contradictions(news_db, "--all")}
    assert (everything[1]["status"], everything[1]["note"]) == (verdict, "checked with both newsrooms")
    assert (1 in {c["id"] for c in cli_contradictions(news_db)}) is listed_by_default
    assert 1 not in {c["id"] for c in cli_contradictions(news_db, "--open")}
    with open_session(news_db) as s:
        uid = s.get(ContradictionRow, 1).uid
        kept = s.scalar(select(VerdictRow).where(VerdictRow.contradiction_uid == uid))
        assert (kept.status, kept.note) == (verdict, "checked with both newsrooms")


def test_a_second_verdict_replaces_the_first(news_db):
    site = client(news_db)
    post_verdict(site, 2, "real", "first look")
    post_verdict(site, 2, "resolved", "the June article was corrected")
    with open_session(news_db) as s:
        assert [(v.status, v.note) for v in s.scalars(select(VerdictRow))] == \
            [("resolved", "the June article was corrected")]


@pytest.mark.parametrize(("verdict", "note", "message"), [
    ("real", "", "a verdict needs a note saying why"),
    ("real", "   ", "a verdict needs a note saying why"),
    ("real", "x" * (NOTE_MAX_CHARS + 1), f"the note is longer than {NOTE_MAX_CHARS} characters"),
    ("maybe", "hmm", "unknown verdict 'maybe': one of resolved, real, not comparable"),
    ("", "hmm", "unknown verdict ''"),
])
def test_a_verdict_the_page_cannot_take_records_nothing_and_says_why(news_db, verdict, note, message):
    site = client(news_db)
    response = post_verdict(site, 1, verdict, note)
    assert response.status == 303
    page = site.get("/-/review/1", cookies={"ds_messages": response.cookies["ds_messages"]}).text
    assert "nothing recorded, " in page and message.replace("'", "&#39;") in page
    assert {c["status"] for c in cli_contradictions(news_db, "--all")} == {"open"}


@pytest.mark.parametrize("forged", ["no token", "wrong token", "no cookie", "other origin", "other referer",
                                    "null origin"])
def test_a_verdict_without_this_sites_token_is_refused(news_db, forged):
    site = client(news_db)
    token = site.get("/-/review/1").cookies["ds_csrftoken"]
    data = {"verdict": "not comparable", "note": "forged"}
    cookies, headers = {"ds_csrftoken": token}, {}
    if forged == "no token":
        pass
    elif forged == "wrong token":
        data["csrftoken"] = token[::-1]
    elif forged == "no cookie":  # a cross-site form: the SameSite=Lax cookie stays home, the token is unknown
        cookies = {}
    else:  # the page's own token, replayed from another site
        data["csrftoken"] = token
        headers = {"other origin": {"origin": "http://evil.example"},
                   "other referer": {"referer": "http://evil.example/page.html"},
                   "null origin": {"origin": "null"}}[forged]
    response = site.post("/-/review/1", post_data=data, cookies=cookies, headers=headers)
    assert response.status == 403
    assert {c["status"] for c in cli_contradictions(news_db, "--all")} == {"open"}


def test_the_pages_own_origin_is_accepted(news_db):
    site = client(news_db)
    token = site.get("/-/review/1").cookies["ds_csrftoken"]
    response = site.post("/-/review/1", post_data={"verdict": "real", "note": "ok", "csrftoken": token},
                         cookies={"ds_csrftoken": token}, headers={"origin": "http://localhost"})
    assert response.status == 303
    assert cli_contradictions(news_db, "--all")[0]["status"] == "real"


def test_pages_may_not_be_framed_by_another_site(news_db):
    headers = client(news_db).get("/-/review").headers
    assert headers["x-frame-options"] == "DENY" and "frame-ancestors 'none'" in headers["content-security-policy"]


HOSTILE_SHOWN = ["Acme &lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; raises money",
                 "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;",
                 "Acme &lt;img src=x onerror=alert(&#39;title&#39;)&gt; funding",
                 "&lt;img src=x onerror=alert(1)&gt;"]


@pytest.mark.parametrize("path", ["/-/review", "/-/review/1", "/hostile/v_contradictions", "/hostile/articles",
                                  "/hostile/claims", "/hostile/open_contradictions", "/hostile/articles/1"])
def test_article_text_is_shown_as_text_on_every_page(hostile_db, path):
    page = client(hostile_db).get(path)
    assert page.status == 200
    body = page.text
    assert "<script>alert(" not in body and not re.search(r"<img\b", body, re.IGNORECASE)
    if path.startswith("/-/review"):
        assert all(text in body for text in HOSTILE_SHOWN), body
    else:
        assert "&lt;script&gt;alert(" in body or "&lt;img src=x onerror" in body


def test_the_hostile_sentences_are_marked_and_read_back_as_written(hostile_db):
    page = parse(client(hostile_db).get("/-/review").text)
    sentences = [p.text for p in page.find_all("p", class_="nf-sentence")]
    assert sentences == [
        "Acme AI raised $50 million in a Series B round led by Sequoia Capital <script>alert('x')</script>, "
        "the company said.",
        "Acme AI raised $80 million in a Series B round led by Sequoia Capital <img src=x onerror=alert(1)>, "
        "the company said."]
    assert [m.text for m in page.find_all("mark")] == ["$50 million", "$80 million"]


# --- verdicts outlive a new version of an article ------------------------------------------------------------

def test_verdicts_outlive_a_changed_article_and_not_comparable_is_not_raised_again(tmp_path, extractor):
    folder = tmp_path / "articles"
    shutil.copytree(CORPUS / "perturbed", folder, ignore=shutil.ignore_patterns("*.json"))
    db = tmp_path / "news.db"
    engine = open_engine(db)
    ingest_paths(engine, [folder], extractor=extractor)
    by_kind = {(c["kind"], c["topic"]): c for c in cli_contradictions(db, "--all")}
    funding = by_kind[("value mismatch", "Mistral AI")]
    remain = by_kind[("value mismatch", "llama paper researchers")]
    site = client(db)
    post_verdict(site, funding["id"], "not comparable", "total funding vs one round")
    post_verdict(site, remain["id"], "real", "the newsrooms disagree")

    with open_session(db) as s:
        uids = {c.uid: c.created_at for c in s.scalars(select(ContradictionRow))}

    perturbed = folder / "mistral-vs-meta-talent-war-perturbed-2025-06-01.txt"
    perturbed.write_text(perturbed.read_text(encoding="utf-8") + "\n\nThe article was updated with a correction "
                         "notice at the end.\n", encoding="utf-8")
    summary = ingest_paths(engine, [folder], extractor=extractor)
    engine.dispose()
    assert summary.replaced == 1 and summary.contradictions_new == 0

    with open_session(db) as s:
        raised = {c.uid: c.created_at for c in s.scalars(select(ContradictionRow))}
    assert raised.keys() == uids.keys() and all(raised[u] > uids[u] for u in uids), "raised again, as new rows"
    everything = {(c["kind"], c["topic"]): c for c in cli_contradictions(db, "--all")}
    assert everything.keys() == by_kind.keys()
    again = everything[("value mismatch", "Mistral AI")]
    assert (again["status"], again["note"]) == ("not comparable", "total funding vs one round")
    assert again["id"] not in {c["id"] for c in cli_contradictions(db)}, "hidden by default"
    kept = everything[("value mismatch", "llama paper researchers")]
    assert (kept["status"], kept["note"]) == ("real", "the newsrooms disagree")
    assert kept["id"] in {c["id"] for c in cli_contradictions(db)}
    review = client(db).get("/-/review").text
    assert shown_ids(review) == [c["id"] for c in cli_contradictions(db, "--open")]
    assert again["id"] not in shown_ids(review) and kept["id"] not in shown_ids(review)
    with open_session(db) as s:
        assert {c.status for c in queries.review_contradictions(s, include_low=True)} == \
            {"not comparable", "real", "open"}
