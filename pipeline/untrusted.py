"""Text from articles, file names and URLs made safe to store and to show on a terminal or in a report."""

from __future__ import annotations

import os
import re

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

# What an article's text, title or byline may not carry: NUL (PostgreSQL refuses it in text), the other
# C0 controls but tab and line breaks, DEL and the C1 controls (U+0080-U+009F: ESC sequences and CSI, which
# a terminal obeys; no real text uses them).
_STORED_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# What may not reach a terminal or a report: the same, and a carriage return too (it moves the cursor
# back over what was printed).
_SHOWN_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# user:password@ inside any URL of a message (a driver's or a parser's error may quote the URL it got)
_URL_PASSWORD = re.compile(r"(?P<head>\b[a-z][a-z0-9+.\-]*://[^:/?#@\s]*:)[^@\s]*@", re.IGNORECASE)


def storable(text: str) -> str:
    """Text any database takes: no control characters no article needs (NUL first of all), no lone
    surrogates."""
    return escape_surrogates(_STORED_CONTROLS.sub("", text))


def printable(text: str) -> str:
    """Text safe to print or to put in a report: no control characters, no lone surrogates."""
    return escape_surrogates(_SHOWN_CONTROLS.sub("", text))


def escape_surrogates(text: str) -> str:
    """Lone surrogates, which no UTF-8 encoder (SQLite, PostgreSQL, a terminal) accepts, as backslash escapes.

    Python hands over a file name that is not UTF-8 (a Latin-1 "caf\\xe9.html") with its odd bytes as
    surrogates; they come back as the bytes they stand for, "\\xe9".
    """
    if not _SURROGATE.search(text):
        return text
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that stands for no byte (from JSON, say)
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")


def path_text(path: str | os.PathLike) -> str:
    """A file name as text, undecodable bytes backslash-escaped (see escape_surrogates)."""
    return escape_surrogates(os.fsdecode(path))


def mask_credentials(text: str) -> str:
    """Every password inside a URL in text replaced by ***."""
    return _URL_PASSWORD.sub(r"\g<head>***@", text)


def shown_db(db: str | os.PathLike) -> str:
    """A database as a message may name it: the file path, or the URL without its password."""
    db = str(db)
    if "://" not in db:
        return path_text(db)
    try:
        return make_url(db).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return mask_credentials(db)
