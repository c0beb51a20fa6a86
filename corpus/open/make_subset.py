"""Rebuild the committed open-domain subset from the two public sources (see SOURCES).

Not run by the tests: the text files it writes are committed. Usage, with both repositories
checked out (git archive of their HEAD) under SRC:
    python corpus/open/make_subset.py SRC corpus/open
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from pipeline.errors import FetchError  # noqa: E402
from pipeline.fetch.documents import decode  # noqa: E402
from pipeline.fetch.folder import read_file  # noqa: E402

SEED = 20261202
BBC_PER_TOPIC = 50  # 5 topics: business, entertainment, politics, sport, tech
# Pages whose main text is longer than this are reference pages (wikis, manuals), not news-length text.
WEB_MAX_CHARS = 20_000
WEB_MIN_CHARS = 400
NON_ENGLISH = 12  # kept to test language detection: stored, not extracted


def main(src: Path, out: Path) -> None:
    from pipeline.fetch.language import detect_language

    rng = random.Random(SEED)
    for topic in ("business", "entertainment", "politics", "sport", "tech"):
        files = sorted((src / "bbc" / topic).glob("*.txt"))
        for f in sorted(rng.sample(files, BBC_PER_TOPIC)):
            target = out / "bbc" / topic / f.name
            target.parent.mkdir(parents=True, exist_ok=True)
            text = decode(f.read_bytes(), str(f))  # mostly Latin-1; some files hold UTF-8 "£"
            target.write_text(text.replace("\r\n", "\n"), encoding="utf-8")
    meta = json.loads((src / "tests" / "evaldata.json").read_text(encoding="utf-8"))
    url_of = {v["file"]: k for k, v in meta.items()}
    others: list[tuple[str, Path, str]] = []
    for page in sorted((src / "tests" / "eval").glob("*.html")):
        try:
            article = read_file(page)
        except FetchError:
            continue
        lang = detect_language(article.text)
        if lang != "en":
            others.append((lang, page, article))
            continue
        if not WEB_MIN_CHARS <= len(article.text) <= WEB_MAX_CHARS:
            continue
        _write(out / "web" / (page.stem + ".txt"), article, url_of.get(page.name))
    seen: set[str] = set()
    for lang, page, article in sorted(others, key=lambda t: (t[0], t[1].name)):
        if lang in seen or len(seen) >= NON_ENGLISH or len(article.text) > WEB_MAX_CHARS:
            continue
        seen.add(lang)
        _write(out / "other-languages" / (page.stem + ".txt"), article, url_of.get(page.name))


def _write(target: Path, article, url: str | None) -> None:
    target = target.with_name(re.sub(r"[^A-Za-z0-9._-]+", "-", target.stem)[:80] + target.suffix)
    target.parent.mkdir(parents=True, exist_ok=True)
    lines = [(article.title or target.stem).replace("\n", " ")]
    if url:
        lines.append(f"URL: {url.removeprefix('hard::')}" if url.startswith("http") else f"Source: {url}")
    if article.published:
        lines.append(f"Published: {article.published.isoformat()}")
    if article.author:
        lines.append(f"Author: {article.author}")
    target.write_text("\n".join(lines) + "\n\n" + article.text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
