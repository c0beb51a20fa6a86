"""Ingest on a real SQLite file: bad files are recorded and skipped, re-runs change nothing."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pipeline.run import ingest_paths
from pipeline.store import queries
from pipeline.store.db import open_engine
from pipeline.store.models import ArticleRow, ClaimRow, FactRow, FactSourceRow
from tests.conftest import SEED

GOOD = ("Acme Robotics raised $12 million in a Series A round led by Sequoia Capital, "
        "the company said on Tuesday. Eleven of the 40 engineers it hired last year came from Google.")


def _snapshot(engine) -> dict:
    with Session(engine) as s:
        return {
            "articles": sorted(s.scalars(select(ArticleRow.content_hash))),
            "claims": sorted(s.scalars(select(ClaimRow.uid))),
            "facts": sorted((f.key, f.summary, f.corroboration) for f in s.scalars(select(FactRow))),
            "sources": sorted(s.execute(select(FactSourceRow.fact_id, FactSourceRow.claim_id)).all()),
            "contradictions": [c["reason"] for c in queries.contradictions(s)],
        }


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("empty.txt", b"", "empty file"),
    ("blank.html", b"   \n\t  ", "empty file"),
    ("binary.html", bytes(range(256)) * 64, "binary content"),
    ("png.txt", b"\x89PNG\r\n\x1a\n" + b"\x00\x01\x02\x03" * 500, "binary content"),
    ("nobody.html", b"<html><head><title>x</title></head><body></body></html>", "no main text"),
    ("short.txt", b"Hi.", "too short"),
])
def test_bad_file_is_recorded_with_reason_and_run_goes_on(tmp_path, engine, extractor, name, content, reason):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / name).write_bytes(content)
    (folder / "good.txt").write_text("Acme raises money\n\n" + GOOD, encoding="utf-8")
    summary = ingest_paths(engine, [folder], extractor=extractor)
    assert summary.new == 1
    assert summary.failed == 1
    assert reason in summary.failures[0].reason
    with Session(engine) as s:
        failures = queries.failures(s)
    assert [f["source"].rsplit("/", 1)[-1] for f in failures] == [name]
    assert reason in failures[0]["reason"]


@pytest.mark.parametrize(("encoding", "bom"), [("latin-1", b""), ("utf-16", b""), ("utf-8", b"\xef\xbb\xbf"),
                                               ("cp1252", b"")])
def test_other_encodings_are_decoded_not_lost(tmp_path, engine, extractor, encoding, bom):
    text = "Société Générale backs Acme\n\nAcme Robotics, a café-robot startup in Zürich, raised 3 million euros " \
           "from Société Générale, its founder Chloé Dupont said."
    (tmp_path / "a.txt").write_bytes(bom + text.encode(encoding))
    summary = ingest_paths(engine, [tmp_path / "a.txt"], extractor=extractor)
    assert summary.new == 1, summary.failures
    with Session(engine) as s:
        facts = queries.facts(s, kind="funding")
        sentences = [src["sentence"] for src in queries.sources(s, facts[0]["id"])]
    assert facts[0]["unit"] == "EUR" and facts[0]["value"] == 3_000_000
    assert "Zürich" in sentences[0]


def test_same_article_under_two_names_is_one_article(tmp_path, engine, extractor):
    for name in ("a.txt", "copy-of-a.txt"):
        shutil.copy(SEED / "mistral-vs-meta-talent-war-2025-06-01.txt", tmp_path / name)
    summary = ingest_paths(engine, [tmp_path], extractor=extractor)
    assert (summary.new, summary.unchanged) == (1, 1)


def test_changed_file_replaces_its_old_version(tmp_path, engine, extractor):
    path = tmp_path / "story-2025-06-01.txt"
    path.write_text("Acme\n\n" + GOOD, encoding="utf-8")
    ingest_paths(engine, [tmp_path], extractor=extractor)
    path.write_text("Acme\n\n" + GOOD.replace("$12 million", "$15 million"), encoding="utf-8")
    summary = ingest_paths(engine, [tmp_path], extractor=extractor)
    assert summary.replaced == 1
    with Session(engine) as s:
        funding = queries.facts(s, kind="funding")
        assert [f["value"] for f in funding] == [15_000_000]
        assert s.scalar(select(ArticleRow.id).where(ArticleRow.content_hash.is_not(None))) is not None
        assert len(s.scalars(select(ArticleRow)).all()) == 1


def _dated_articles(folder, first: str, second: str) -> None:
    folder.mkdir()
    (folder / "a-2024-07-01.txt").write_text("Mistral raises money\n\n" + first, encoding="utf-8")
    (folder / "b-2025-01-15.txt").write_text("Mistral, six months on\n\n" + second, encoding="utf-8")


@pytest.mark.parametrize(("first", "second", "contradictions"), [
    # no date in the sentences: six months apart, different totals are a change over time
    ("Mistral AI has raised $600 million from General Catalyst, the company said.",
     "Mistral AI has raised $900 million from General Catalyst, the company said.", 0),
    # both sentences state the same moment: the values cannot both be true
    ("In June 2024, Mistral AI raised $600 million from General Catalyst, the company said.",
     "In June 2024, Mistral AI raised $900 million from General Catalyst, the company said.", 1),
])
def test_stated_date_decides_change_over_time_or_conflict(tmp_path, engine, extractor, first, second,
                                                          contradictions):
    _dated_articles(tmp_path / "in", first, second)
    ingest_paths(engine, [tmp_path / "in"], extractor=extractor)
    with Session(engine) as s:
        assert len(queries.contradictions(s)) == contradictions
        assert len([f for f in queries.facts(s, kind="funding")]) == 2


def test_a_verdict_survives_an_edit_of_either_article_and_recreated_rows_are_not_new(tmp_path, extractor):
    """A reviewer's verdict and note are user data: an edit elsewhere in an article re-creates its claims,
    facts and contradictions, which come back with the verdict and are not counted as new."""
    folder = tmp_path / "news"
    folder.mkdir()
    a, b = folder / "a-2025-06-01.txt", folder / "b-2025-06-02.txt"
    a.write_text("Acme results\n\nAcme Holdings said its annual revenue rose to $5bn in 2004.\n", encoding="utf-8")
    b.write_text("Acme results\n\nAcme Holdings said its annual revenue rose to $9bn in 2004.\n", encoding="utf-8")
    engine = open_engine(tmp_path / "v.db")
    first = ingest_paths(engine, [folder], extractor=extractor)
    assert first.contradictions_new == 1
    with Session(engine) as s, s.begin():
        (c,) = queries.contradictions(s)
        queries.resolve(s, c["id"], "checked with Acme: $9bn is a typo", status="real")
    b.write_text(b.read_text(encoding="utf-8") + "\nAcme Holdings is based in Ohio.\n", encoding="utf-8")
    again = ingest_paths(engine, [folder], extractor=extractor)
    assert (again.replaced, again.contradictions_new, again.facts_new) == (1, 0, 0)
    with Session(engine) as s:
        (c,) = queries.contradictions(s)
    assert (c["status"], c["note"]) == ("real", "checked with Acme: $9bn is a typo")


def test_not_comparable_is_not_raised_again_by_default(tmp_path, extractor):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a-2025-06-01.txt").write_text("Acme\n\nAcme Holdings said its annual revenue rose to $5bn in 2004.\n",
                                            encoding="utf-8")
    (folder / "b-2025-06-02.txt").write_text("Acme\n\nAcme Holdings said its annual revenue rose to $9bn in 2004.\n",
                                            encoding="utf-8")
    engine = open_engine(tmp_path / "v.db")
    ingest_paths(engine, [folder], extractor=extractor)
    with Session(engine) as s, s.begin():
        (c,) = queries.contradictions(s)
        queries.resolve(s, c["id"], "one is group revenue", status="not comparable")
    (folder / "b-2025-06-02.txt").write_text("Acme\n\nAcme Holdings said its annual revenue rose to $9bn in 2004. "
                                            "It employs 300 people.\n", encoding="utf-8")
    ingest_paths(engine, [folder], extractor=extractor)
    with Session(engine) as s:
        assert queries.contradictions(s) == []
        assert [r["status"] for r in queries.contradictions(s, include_low=True)] == ["not comparable"]


def test_tolls_grow_over_time_and_claimants_disagree_on_one_day(tmp_path, engine, extractor):
    """A later, larger toll of one event is an update; a toll that goes down, and two sources' figures for
    one crowd on one day, are contradictions whose reasons name the dates and the sources."""
    folder = tmp_path / "in"
    folder.mkdir()
    stories = {
        "quake-2025-03-03.txt": "Twelve people were killed in the earthquake in Nepal on Monday, police said.",
        "quake-2025-03-04.txt": "At least 15 people were killed when an earthquake struck Nepal, police said on Tuesday.",
        "quake-2025-03-06.txt": "Nine people were killed in the earthquake in Nepal, officials said.",
        "march-2025-03-08.txt": "Police said 5,000 people marched through Athens in the protest against pension cuts.",
        "rally-2025-03-08.txt": "Organisers said 20,000 people marched through Athens in the protest against pension cuts.",
    }
    for name, text in stories.items():
        (folder / name).write_text(f"News of the day\n\n{text}", encoding="utf-8")
    ingest_paths(engine, [folder], extractor=extractor)
    with Session(engine) as s:
        reasons = sorted(c["reason"] for c in queries.contradictions(s))
        counts = s.scalars(select(ClaimRow).where(ClaimRow.kind == "count")).all()
    assert {(c.topic, c.measure, c.value) for c in counts} == {
        ("earthquake in Nepal", "killed", 12), ("earthquake in Nepal", "killed", 15),
        ("earthquake in Nepal", "killed", 9), ("protest in Athens", "protesters", 5000),
        ("protest in Athens", "protesters", 20000)}
    # 12 -> at least 15 is an update; 9 two days later is below both
    down = [r for r in reasons if "a toll that goes down" in r]
    assert len(down) == 2 and all('officials: "9" on 2025-03-06' in r for r in down), reasons
    assert any('police: "12" on 2025-03-03 but' in r for r in down), down
    (crowd,) = [r for r in reasons if r.startswith("protest in Athens")]
    assert 'Police: "5000" vs Organisers: "20000": the sources disagree' in crowd \
        or 'Organisers: "20000" vs Police: "5000": the sources disagree' in crowd


def test_a_figure_of_no_measure_restated_in_a_copy_is_flagged(tmp_path, engine, extractor):
    """'a fleet of 35,000 test cars' is no measure newsfacts knows; a second outlet's copy of the statement that
    restates it is a contradiction, the copy that keeps it is not, and figures are listed only when asked for."""
    folder = tmp_path / "in"
    folder.mkdir()
    story = ("Carmakers test\n\nThe company said it now runs a fleet of {n} test cars on public roads across "
             "the country, more than any rival, and plans to add more next year.")
    (folder / "a-2025-03-03.txt").write_text(story.format(n="35,000"), encoding="utf-8")
    (folder / "b-2025-03-03.txt").write_text(story.format(n="45,000"), encoding="utf-8")
    (folder / "c-2025-03-03.txt").write_text(story.format(n="35,000") + " Its shares rose.", encoding="utf-8")
    ingest_paths(engine, [folder], extractor=extractor)
    with Session(engine) as s:
        (conflict,) = queries.contradictions(s)
        figures = queries.facts(s, kind="figure")
        assert {f["value"] for f in figures} == {35_000, 45_000}
        assert not [f for f in queries.facts(s) if f["kind"] == "figure"]
    assert "the same statement in two articles" in conflict["reason"]
    assert {conflict["a"]["text"], conflict["b"]["text"]} == {"35,000", "45,000"}


def test_a_part_of_a_total_is_no_contradiction_of_the_total(tmp_path, engine, extractor):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Acme Holdings directors settle\n\nTen former directors at Acme Holdings have agreed to pay $54m, "
        "including $18m from their own pockets, to settle a class action lawsuit, reports say.", encoding="utf-8")
    (folder / "b.txt").write_text(
        "Acme Holdings settlement\n\nTen former directors at Acme Holdings have agreed to pay $54m to settle a "
        "class action lawsuit, reports say.", encoding="utf-8")
    ingest_paths(engine, [folder], extractor=extractor)
    with Session(engine) as s:
        assert queries.contradictions(s) == []
        settlements = [f for f in queries.facts(s) if f["kind"] == "money"]
        # the total is one fact of two sources; the part stands alone, of the same measure
        assert sorted((f["value"], f["measure"], f["sources"], f["details"].get("part_of_a_total", False))
                      for f in settlements) == [(18e6, "settlement", 1, True), (54e6, "settlement", 2, False)]
