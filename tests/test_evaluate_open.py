"""The open-domain report: unrelated real news raises no false alarm, entity types against hand labels (side by
side with the bare model), second-outlet copies flagged when a figure changes and only then."""

from __future__ import annotations

import json

import pytest

from pipeline.errors import ConfigError
from pipeline.evaluate import OPEN_PREFIX, load_floor, outside_bounds
from pipeline.evaluate_open import (
    LabelledArticle,
    LabelledName,
    Perturbation,
    TypeScore,
    evaluate_open,
    load_labels,
    perturbations,
    score_types,
)
from pipeline.types import Article
from tests.conftest import CORPUS

OPEN = CORPUS / "open"


@pytest.fixture(scope="module")
def report(extractor):
    return evaluate_open(OPEN, extractor)


@pytest.mark.slow
def test_open_domain_report_is_within_its_pinned_bounds(report):
    bounds = {n: b for n, b in load_floor(CORPUS / "eval-floor.json").items() if n.startswith(OPEN_PREFIX)}
    assert len(bounds) >= 8
    assert outside_bounds(report.values(), bounds, label="value") == [], "\n".join(report.review())


@pytest.mark.slow
def test_open_domain_corpus_is_broad_enough_to_measure(report):
    values = report.values()
    assert values["open:articles (English)"] >= 300
    assert values["open:labelled names"] >= 200
    assert values["open:perturbation cases"] >= 80
    # every page in another language is stored and counted, none is read as English
    assert values["open:not in English (stored, not extracted)"] == len(list((OPEN / "other-languages").glob("*.txt")))


@pytest.mark.slow
def test_every_contradiction_raised_on_unrelated_news_is_listed_for_review(report):
    shown = [c for c in report.alarms.contradictions if c["confidence"] in ("high", "medium")]
    assert report.alarms.shown == len(shown)
    assert all(c["a"]["sentence"] and c["b"]["sentence"] and c["reason"] for c in report.alarms.contradictions)
    assert len([line for line in report.review() if line.startswith("contradiction")]) == \
        len(report.alarms.contradictions)


@pytest.mark.slow
def test_our_people_are_more_often_people_than_the_bare_models(report):
    assert report.types.ours["person"].precision > report.types.bare["person"].precision
    assert report.held_apart.ours["person"].precision > report.held_apart.bare["person"].precision


LABELS = LabelledArticle(OPEN / "x.txt", (
    LabelledName("Tony Blair", "person", frozenset({"tony blair", "blair", "mr blair"})),
    LabelledName("BBC", "company_or_org", frozenset({"bbc"})),
    LabelledName("Glasgow", "place", frozenset({"glasgow"})),
))


@pytest.mark.parametrize(("predicted", "etype", "correct", "found"), [
    ({"person": {"Tony Blair"}}, "person", 1, 1),
    ({"person": {"Blair"}}, "person", 1, 1),  # an alias is the same name
    ({"person": {"Glasgow"}}, "person", 0, 0),  # a place typed as a person
    ({"person": {"Blair's"}}, "person", 1, 1),  # the possessive is not part of the name
    ({"company": {"BBC"}}, "company", 1, 0),  # company_or_org: right as either, counted in no recall
    ({"org": {"BBC"}}, "org", 1, 0),
    ({"person": {"BBC"}}, "person", 0, 0),  # but never right as a person
    ({"company": {"Something Else"}}, "company", 0, 0),  # not a labelled name at all
])
def test_type_scoring(predicted, etype, correct, found):
    scores: dict[str, TypeScore] = {}
    score_types(LABELS, predicted, scores)
    assert (scores[etype].correct, scores[etype].found) == (correct, found)


@pytest.mark.parametrize(("line", "message"), [
    ('{"article": "a.txt", "names": [{"name": "X", "type": "villain"}]}', "unknown type"),
    ('{"article": "a.txt"}', "names"),
    ("not json", "line 1"),
])
def test_bad_labels_are_a_clear_error(tmp_path, line, message):
    path = tmp_path / "entities.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_labels(path)


STORY = ("Acme Widgets raises prices\n\nAcme Widgets, the Ohio-based toolmaker, said on Tuesday that its annual "
         "revenue rose to $412m in 2004, helped by strong demand from carmakers and builders across the region.\n")


@pytest.mark.parametrize(("replace", "flag"), [
    ("rose to $530m", True),  # +29%: beyond rounding
    ("rose to $410m", False),  # within the writer's rounding
    ("rose to more than $400m", False),  # a qualifier that admits the original
])
def test_a_second_outlets_copy_is_flagged_only_when_its_figure_cannot_be_true(tmp_path, extractor, replace, flag):
    story = tmp_path / "story-2005-02-01.txt"
    story.write_text(STORY, encoding="utf-8")
    result = perturbations([Perturbation(story, "rose to $412m", replace, flag)], extractor, tmp_path)
    if flag:
        assert (result.flagged, result.flag_cases) == (1, 1), result.missed
    else:
        assert (result.false_flags, result.no_flag_cases) == (0, 1), result.wrongly_flagged


def test_a_perturbation_must_name_a_unique_phrase(tmp_path, extractor):
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    with pytest.raises(ConfigError, match="exactly once"):
        perturbations([Perturbation(story, "Acme", "Acme", True)], extractor, tmp_path)


def test_the_floor_file_bounds_both_reports():
    floor = load_floor(CORPUS / "eval-floor.json")
    assert floor["open:contradictions per 100 articles"][0] == "max"
    assert floor["claims (all)"][0] == "min"
    assert outside_bounds({"open:contradictions per 100 articles": 2.5},
                          {"open:contradictions per 100 articles": ("max", 1.0)}) != []
    raw = json.loads((CORPUS / "eval-floor.json").read_text(encoding="utf-8"))
    assert all(not k.startswith(OPEN_PREFIX) or isinstance(v, dict | float | int) for k, v in raw.items())


def test_language_is_stored_and_counted_not_extracted(tmp_path, extractor):
    from sqlalchemy.orm import Session

    from pipeline.run import ingest_items
    from pipeline.store import queries
    from pipeline.store.db import open_engine
    from pipeline.store.models import ArticleRow

    german = Article(source="de.txt", text="Die Bundesregierung hat am Dienstag beschlossen, die Steuern für "
                                          "Unternehmen zu senken, wie der Finanzminister in Berlin mitteilte.")
    english = Article(source="en.txt", text=STORY)
    engine = open_engine(tmp_path / "lang.db")
    summary = ingest_items(engine, [german, english], extractor=extractor)
    assert (summary.new, summary.not_english, summary.failed) == (2, 1, 0)
    with Session(engine) as s:
        languages = {a.source: a.language for a in s.query(ArticleRow)}
        assert languages == {"de.txt": "de", "en.txt": "en"}
        assert queries.stats(s)["not_english"] == 1
        assert all(f["topic"] != "Bundesregierung" for f in queries.facts(s))
