"""Folder fetching on hostile input: every file ends as an Article or a failure with a reason."""

from __future__ import annotations

import os

import pytest

from pipeline.fetch.documents import MAX_DOCUMENT_BYTES
from pipeline.fetch.folder import fetch_folder, read_file
from pipeline.types import Article, FailedSource

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


def _outcomes(folder):
    return {os.path.basename(item.source): item for item in fetch_folder(folder)}


def test_hostile_folder(tmp_path):
    (tmp_path / "good.html").write_text(ARTICLE_HTML, encoding="utf-8")
    (tmp_path / "empty.html").write_bytes(b"")
    (tmp_path / "binary.html").write_bytes(os.urandom(4096))
    (tmp_path / "broken.html").write_text("<div><p>Acme Robotics raised $5 million from Sequoia Capital"
                                          " in a round that closed on Tuesday, the company said.<div><span>",
                                          encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes("Café\n\nLe café Zürich a levé 3 millions d'euros.".encode("latin-1"))
    (tmp_path / "utf16.txt").write_text("Title\n\nAcme Robotics raised $5 million on Tuesday.", encoding="utf-16")
    huge = tmp_path / "huge.html"
    with huge.open("wb") as f:
        f.truncate(MAX_DOCUMENT_BYTES + 1)
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")  # not an article type: not read
    out = _outcomes(tmp_path)
    assert set(out) == {"good.html", "empty.html", "binary.html", "broken.html", "latin1.txt", "utf16.txt",
                        "huge.html"}
    assert isinstance(out["good.html"], Article)
    assert isinstance(out["broken.html"], Article) and "Sequoia" in out["broken.html"].text
    assert isinstance(out["latin1.txt"], Article) and "Zürich" in out["latin1.txt"].text
    assert isinstance(out["utf16.txt"], Article) and out["utf16.txt"].title == "Title"
    for name, reason in [("empty.html", "empty"), ("binary.html", "binary"), ("huge.html", "too large")]:
        assert isinstance(out[name], FailedSource) and reason in out[name].reason, out[name]


def test_file_that_disappears_is_a_failure(tmp_path):
    gone = tmp_path / "gone.txt"
    with pytest.raises(Exception) as info:
        read_file(gone)
    assert "disappeared" in str(info.value)
