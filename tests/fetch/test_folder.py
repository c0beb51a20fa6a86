"""Folder fetching on hostile input: every file ends as an Article or a failure with a reason."""

from __future__ import annotations

import os

import pytest

from pipeline.errors import FetchError
from pipeline.fetch import folder
from pipeline.fetch.documents import MAX_DOCUMENT_BYTES, MAX_TEXT_CHARS, parse_html, parse_text
from pipeline.fetch.folder import fetch_folder, read_file
from pipeline.types import Article, FailedSource, SkippedSource
from tests.conftest import build_hostile_folder, without_root_file_access
from tests.hostile_ingest import iter_paths_losing_one

ARTICLE_HTML = """<html><head><title>Acme raises $5m</title>
<meta name="author" content="Jane Doe"><meta property="article:published_time" content="2025-03-04">
<meta property="og:site_name" content="TechNews"><link rel="canonical" href="https://technews.example/acme">
</head><body><nav>Home | World | Tech</nav><article><h1>Acme raises $5m</h1>
<p>Acme Robotics raised $5 million in a seed round led by Sequoia Capital, the company said on Tuesday.</p>
<p>The startup was founded in 2021 by Jane Roe and John Poe, who previously worked at Google.</p>
</article><footer>Copyright TechNews</footer></body></html>"""


def test_html_metadata_comes_from_trafilatura(tmp_path):
    path = tmp_path / "acme.html"
    path.write_text(ARTICLE_HTML, encoding="utf-8")
    article = read_file(path)
    assert article.title == "Acme raises $5m"
    assert article.author == "Jane Doe"
    assert article.published.isoformat() == "2025-03-04"
    assert article.site == "TechNews"
    assert article.url == "https://technews.example/acme"
    assert "Sequoia Capital" in article.text
    assert "Copyright" not in article.text and "Home | World" not in article.text


def test_text_title_and_date_from_name(tmp_path):
    path = tmp_path / "story-2024-02-29.txt"
    path.write_text("A headline\n\nAcme Robotics raised $5 million on Tuesday.", encoding="utf-8")
    article = read_file(path)
    assert (article.title, article.published.isoformat()) == ("A headline", "2024-02-29")


@pytest.mark.parametrize(("text", "published"), [
    # a byline or dateline line dates the story
    ("A headline\n\nPublished 3 March 2005\n\nAcme Robotics raised $5 million on Tuesday.", "2005-03-03"),
    ("A headline\n\nLONDON, 3 March 2005 - Acme Robotics raised $5 million on Tuesday, its chief executive said, in "
     "a round led by Sequoia Capital and joined by several of the firm's earlier investors.", "2005-03-03"),
    # a date in a sentence of the story is what it is about, not when it was written
    ("High fuel prices hit BA's profits\n\nBritish Airways has blamed high fuel prices for a 40% drop in profits.\n\n"
     "Reporting its results for the three months to 31 December 2004, the airline made a pre-tax profit of £75m "
     "($141m) compared with £125m a year earlier.", None),
    ("Film delayed\n\nThe release of a film about the Mumbai (Bombay) blasts in 1993 has been postponed following "
     "protests by those on trial for the bombings, which killed 257 people on 12 March 1993.", None),
])
def test_text_date_from_a_header_line_not_from_the_story(tmp_path, text, published):
    path = tmp_path / "story.txt"
    path.write_text(text, encoding="utf-8")
    article = read_file(path)
    assert (article.published.isoformat() if article.published else None) == published


def _outcomes(folder):
    return {os.path.basename(item.source): item for item in fetch_folder(folder)}


@pytest.mark.parametrize("builder", [build_hostile_folder])
def test_hostile_folder(tmp_path, monkeypatch, builder):
    expected = builder(tmp_path / "hostile")
    monkeypatch.setattr("pipeline.fetch.folder.iter_paths", iter_paths_losing_one)
    with without_root_file_access():
        out = _outcomes(tmp_path / "hostile")
    assert set(out) == set(expected)
    kinds = {"failed": FailedSource, "skipped": SkippedSource}
    for name, (outcome, reason) in expected.items():
        if outcome in kinds:
            assert isinstance(out[name], kinds[outcome]) and reason in out[name].reason, (name, out[name])
        else:
            assert isinstance(out[name], Article), (name, out[name])
    assert "$9 million" in out["caf\\xe9.html"].text and out["caf\\xe9.html"].source.endswith("/caf\\xe9.html")
    assert out["nul-early.html"].title == "Acme raises $11m" and "$11 million" in out["nul-early.html"].text
    assert "\x00" not in out["nul-late.txt"].text and "$12 million" in out["nul-late.txt"].text
    assert "\u201c14\u201d" in out["utf8-six-bad.html"].text and "\u00e9t\u00e9" in out["utf8-six-bad.html"].text
    assert "$10 million" in out["saved.html.gz"].text
    assert "Zürich" in out["latin1.txt"].text
    assert out["utf16.txt"].title == "Acme in UTF-16" and out["utf16le-nobom.txt"].title == "Acme in UTF-16LE"
    assert out["utf8-bom.txt"].title == "Acme with a BOM"
    assert "Sequoia" in out["broken.html"].text


@pytest.mark.parametrize("reported_size", [0])
def test_read_stops_at_the_cap_whatever_stat_says(tmp_path, monkeypatch, reported_size):
    """A file that grows after it was measured is still read only up to the cap (plus one byte)."""
    path = tmp_path / "growing.html"
    path.write_bytes(b"x" * (MAX_DOCUMENT_BYTES + 10))
    real_fstat = os.fstat

    def fstat(fd):
        st = real_fstat(fd)
        return os.stat_result((st.st_mode, *st[1:6], reported_size, *st[7:]))

    monkeypatch.setattr(folder.os, "fstat", fstat)
    with pytest.raises(FetchError, match="too large"):
        folder.read_capped(path)


def test_file_that_disappears_is_a_failure(tmp_path):
    gone = tmp_path / "gone.txt"
    with pytest.raises(Exception) as info:
        read_file(gone)
    assert "disappeared" in str(info.value)


def _long_html(text: str, source: str):
    paragraphs = "".join(f"<p>{text[i:i + 2000]}</p>\n" for i in range(0, len(text), 2000))
    return parse_html(f"<html><body><article>{paragraphs}</article></body></html>", source)


@pytest.mark.parametrize("parse", [parse_text, _long_html])
def test_text_over_the_cap_is_refused_with_a_reason(parse):
    with pytest.raises(FetchError, match="text too long"):
        parse("Acme Robotics raised money. " * (MAX_TEXT_CHARS // 20), "long.txt")


ARTICLE_P = ("<p>Acme Robotics raised $5 million in a seed round led by Sequoia Capital, the company said on "
             "Tuesday.</p>")


@pytest.mark.parametrize(("page", "outcome"), [
    (f"<html><body>{'<div>' * 300}<article>{ARTICLE_P}</article>{'</div>' * 300}</body></html>", "ingested"),
    (f"<html><body>{'<div>' * 3000}<article>{ARTICLE_P}</article>{'</div>' * 3000}</body></html>", "nested too deep"),
    (f"<html><body><article>{ARTICLE_P}</article>{'<div><span>a</span></div>' * 400_000}</body></html>",
     "HTML too large to read"),
    (f"<html><head><script>{'var a = 1;' * 1_800_000}</script></head><body><article>{ARTICLE_P}</article>"
     "</body></html>", "ingested"),
    (f"<html><body><article>{ARTICLE_P}<p>{'word ' * 3_000_000}</p></article></body></html>", "text too long"),
])
def test_the_work_per_html_page_is_bounded(page, outcome):
    """Deep nesting is read; a page of ~20 MB costs seconds, not the 43 s and 860 MB it took unbounded."""
    import time

    start = time.monotonic()
    try:
        result = parse_html(page, "page.html").text
    except FetchError as exc:
        result = exc.reason
    assert time.monotonic() - start < 10
    if outcome == "ingested":
        assert "Sequoia Capital" in result
    else:
        assert outcome in result
