"""Reports rendered from real ingested databases: HTML structure, Markdown, --since, escaping, the CLI."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.errors import NewsfactsError
from pipeline.report import http_url, md_escape, render_report, report_format
from pipeline.run import ingest_paths
from pipeline.store import queries
from pipeline.store.db import open_engine
from pipeline.store.models import ArticleRow

runner = CliRunner()
AFTER_EVERYTHING = date(2100, 1, 1)
VOID = {"meta", "br", "hr", "img", "link", "input", "col", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    children: list[Element | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Element]:
        out = []
        for c in self.children:
            if isinstance(c, Element):
                classes = (c.attrs.get("class") or "").split()
                if (tag is None or c.tag == tag) and all(
                        v in classes if k == "class_" else c.attrs.get(k) == v for k, v in attrs.items()):
                    out.append(c)
                out.extend(c.find_all(tag, **attrs))
        return out

    def one(self, tag: str | None = None, **attrs: str) -> Element:
        found = self.find_all(tag, **attrs)
        assert len(found) == 1, f"expected one {tag} {attrs}, found {len(found)}"
        return found[0]


class TreeBuilder(HTMLParser):
    """Builds a tree and fails on a tag closed out of order: the page must be well-formed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        el = Element(tag, dict(attrs))
        self.stack[-1].children.append(el)
        if tag not in VOID:
            self.stack.append(el)

    def handle_endtag(self, tag):
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html: str) -> Element:
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    assert builder.stack == [builder.root], "unclosed tags"
    return builder.root


def report(db: Path, since: date | None = None) -> queries.ReportData:
    engine = open_engine(db, create=False)
    with Session(engine) as s:
        data = queries.report_data(s, since)
    engine.dispose()
    return data


def squash(text: str) -> str:
    return " ".join(text.split())


def test_html_report_shows_both_sides_of_each_contradiction(perturbed_db):
    data = report(perturbed_db)
    page = parse(render_report(data, "html"))
    assert page.one("html").attrs["lang"] == "en"
    assert page.find_all("style") and not page.find_all("script") and not page.find_all("link")
    assert not [el for el in page.find_all() if el.attrs.get("src")], "no external assets"

    cards = page.one("section", id="contradictions").find_all("article", class_="contradiction")
    assert len(cards) == len(data.contradictions) == 3
    for card, c in zip(cards, data.contradictions, strict=True):
        sides = card.one("div", class_="pair").find_all("blockquote")
        assert [squash(s.one("p").text) for s in sides] == [squash(c.a.sentence), squash(c.b.sentence)]
        assert [s.one("mark").text for s in sides] == [c.a.marked, c.b.marked]
        assert c.reason in card.one("p", class_="reason").text
        assert [s.one("time").attrs["datetime"] for s in sides] == [c.a.article.day.isoformat(),
                                                                     c.b.article.day.isoformat()]
    marks = {m.text for m in page.one("section", id="contradictions").find_all("mark")}
    assert {"$1.5 billion", "$2 billion"} <= marks
    money = next(c for c in cards if "USD 1.5 billion" in c.text)
    assert "Backed by $1.5 billion in funding" in squash(money.text)
    assert "Backed by $2 billion in funding, Mistral AI" in squash(money.text)  # the other outlet's sentence


def test_html_report_lists_facts_and_entities(perturbed_db):
    page = parse(render_report(report(perturbed_db), "html"))
    summaries = [s.text for s in page.one("section", id="new-facts").find_all("span", class_="summary")]
    assert "11 of 14 llama paper researchers left Meta" in summaries
    assert "4 of 14 llama paper researchers remain at Meta" in summaries
    assert any("USD 1.5 billion" in s for s in summaries) and any("USD 2 billion" in s for s in summaries)
    rows = page.one("section", id="entities").one("tbody").find_all("tr")
    names = [r.find_all("td")[0].text for r in rows]
    assert names[:2] == ["Meta", "Mistral AI"]
    assert {"Guillaume Lample", "Timothée Lacroix"} <= set(names)
    assert len(rows) <= queries.TOP_ENTITIES
    titles = [c.text for c in page.one("section", id="articles").find_all("cite")]
    assert "Mistral AI vs. Meta: A Talent War in Artificial Intelligence" in titles


def test_since_splits_new_facts_from_newly_corroborated_ones(perturbed_db):
    data = report(perturbed_db, date(2025, 6, 1))
    assert [a.day for a in data.articles] == [date(2025, 6, 1)] * 2  # the original and the second outlet's copy
    new = {f.summary for f in data.new_facts}
    again = {f.summary for f in data.corroborated_facts}
    assert "4 of 14 llama paper researchers remain at Meta" in new
    assert "11 of 14 llama paper researchers left Meta" in again  # first reported on 2025-05-31
    assert not new & again
    assert all(f.first_day >= date(2025, 6, 1) for f in data.new_facts)
    assert all(f.first_day < date(2025, 6, 1) <= f.last_day for f in data.corroborated_facts)
    # each contradiction involves the 2025-06-01 copy, so all three are new in this window
    assert len(data.contradictions) == 3
    meta = next(e for e in data.entities if e.name == "Meta")
    assert meta.articles == 2


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_a_date_after_everything_says_nothing_new(seed_db, fmt):
    data = report(seed_db, AFTER_EVERYTHING)
    assert data.empty and not data.entities and not data.contradictions
    text = render_report(data, fmt)
    assert "Nothing new since 2100-01-01" in text
    assert "llama paper researchers" not in text and "Mistral AI" not in text
    if fmt == "html":
        page = parse(text)
        assert not page.find_all("table") and not page.find_all("article")
        assert page.one(id="nothing-new").text == "Nothing new since 2100-01-01."


def test_markdown_report_puts_the_claims_side_by_side(perturbed_db):
    text = render_report(report(perturbed_db), "md")
    assert text.startswith("# What changed in the database\n")
    assert "| Claim A | Claim B |" in text
    row = next(line for line in text.splitlines() if "**$1.5 billion**" in line)
    assert "Backed by **$1.5 billion** in funding" in row and "Backed by **$2 billion** in funding" in row
    assert "- **11 of 14 llama paper researchers left Meta**" in text
    assert "| Meta | company | 3 |" in text


def test_untrusted_article_text_is_escaped(tmp_path, extractor):
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "acme.txt").write_text(
        "Acme <script>alert('title')</script> raises money\n\n"
        "Acme AI raised $50 million in a Series B round led by Sequoia Capital "
        "<script>alert('x')</script>, the company said.\n", encoding="utf-8")
    db = tmp_path / "h.db"
    engine = open_engine(db)
    ingest_paths(engine, [folder], extractor=extractor)
    engine.dispose()
    data = report(db)
    assert any("<script>" in c.sentence for f in data.new_facts for c in f.claims), "the claim was extracted"
    html = render_report(data, "html")
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    page = parse(html)
    assert "Acme <script>alert('title')</script> raises money" in [c.text for c in page.find_all("cite")]
    md = render_report(data, "md")
    assert not re.search(r"(?<!\\)<script", md) and r"\<script\>" in md


def test_an_undated_article_counts_from_its_ingestion_day(tmp_path, extractor):
    folder = tmp_path / "undated"
    folder.mkdir()
    (folder / "note.txt").write_text("Acme raises money\n\nAcme AI raised $50 million in a Series B round.\n",
                                     encoding="utf-8")
    db = tmp_path / "u.db"
    engine = open_engine(db)
    ingest_paths(engine, [folder], extractor=extractor)
    with Session(engine) as s:
        row = s.scalar(select(ArticleRow))
        assert row.published is None
        ingested = row.ingested_at.date()
        assert [a.day for a in queries.report_data(s, ingested).articles] == [ingested]
        assert queries.report_data(s, ingested + timedelta(days=1)).empty
    engine.dispose()


@pytest.mark.parametrize(("text", "escaped"), [
    ("a *b* _c_ `d`", r"a \*b\* \_c\_ \`d\`"),
    ("[link](http://x)", r"\[link\](http://x)"),
    ("a | b", r"a \| b"),
    ("# not a heading", r"\# not a heading"),
    ("1. not a list", r"1\. not a list"),
    ("two\nlines", "two lines"),
    (" keeps its edges ", " keeps its edges "),
])
def test_md_escape(text, escaped):
    assert md_escape(text) == escaped


@pytest.mark.parametrize(("url", "link"), [
    ("https://example.com/a?b=1", "https://example.com/a?b=1"),
    ("http://example.com", "http://example.com"),
    ("javascript:alert(1)", None),
    ("data:text/html,<script>", None),
    (None, None),
])
def test_only_http_urls_become_links(url, link):
    assert http_url(url) == link


@pytest.mark.parametrize(("name", "fmt"), [("r.html", "html"), ("R.HTM", "html"), ("notes.md", "md")])
def test_the_suffix_picks_the_format(name, fmt):
    assert report_format(Path(name)) == fmt


@pytest.mark.parametrize("name", ["report.txt", "report", "report.pdf"])
def test_other_suffixes_are_refused(name):
    with pytest.raises(NewsfactsError, match="use .html, .htm or .md"):
        report_format(Path(name))


def test_cli_writes_both_formats(perturbed_db, tmp_path):
    html_out, md_out = tmp_path / "report.html", tmp_path / "report.md"
    result = runner.invoke(app, ["report", "--since", "2025-06-01", "--out", str(html_out), "--db", str(perturbed_db)])
    assert result.exit_code == 0, result.output
    assert "3 contradictions" in result.output
    page = parse(html_out.read_text(encoding="utf-8"))
    assert page.one("h1").text == "What changed since 2025-06-01"
    assert len(page.find_all("article", class_="contradiction")) == 3
    result = runner.invoke(app, ["report", "--out", str(md_out), "--db", str(perturbed_db), "-q"])
    assert result.exit_code == 0 and result.output == ""
    assert md_out.read_text(encoding="utf-8").startswith("# What changed in the database")


@pytest.mark.parametrize("args", [
    ("--out", "{tmp}/report.txt"),
    ("--out", "{tmp}/missing/dir/report.html"),
    ("--out", "{tmp}/report.html", "--since", "last week"),
])
def test_cli_report_errors_are_one_red_line(perturbed_db, tmp_path, args):
    result = runner.invoke(app, ["report", "--db", str(perturbed_db), *(a.format(tmp=tmp_path) for a in args)])
    assert result.exit_code == 1
    assert "error:" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "report.txt").exists()
