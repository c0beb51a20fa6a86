"""One Settings object: defaults in code, a newsfacts.toml overlay, environment overrides."""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError

DEFAULT_CONFIG = "newsfacts.toml"


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """How politely and how patiently pages are fetched over HTTP."""

    # Put in the User-Agent so a site owner who sees us in their logs can write to someone.
    contact: str = "set [fetch] contact in newsfacts.toml"
    # A healthy server accepts a TCP connection within a second or two; 10 s covers slow DNS and
    # a far-away host without leaving a nightly run hanging on a dead one.
    connect_timeout: float = 10.0
    # Longest silence between two bytes of a response; news CMSs under load answer within ~10 s.
    read_timeout: float = 30.0
    # A page must be complete within this time even if bytes trickle in (a slow-drip server would
    # otherwise keep a run alive for hours while never hitting the read timeout).
    page_deadline: float = 120.0
    # Retries after the first attempt on a 429/5xx answer or a connection error or timeout: 3 rides
    # out a restart or a deploy (seconds to a minute with the backoff below) without hammering.
    retries: int = 3
    # Exponential backoff: 2 s, 4 s, 8 s ... between attempts.
    backoff_base: float = 2.0
    # The longest we wait before one retry, Retry-After included: a server asking for more than a
    # minute is down for maintenance, and the page is retried on the next run instead.
    backoff_cap: float = 60.0
    # Seconds between two requests to the same host (a robots.txt Crawl-delay may ask for more).
    # One request per second is the common courtesy rate for crawlers.
    min_interval: float = 1.0
    # News pages are 50 KB-2 MB of HTML; 5 MB leaves room for inline scripts while keeping a
    # runaway or hostile response from filling memory and the parser.
    max_bytes: int = 5 * 1024 * 1024
    # Browsers stop at 20; real article links need 1-3 hops (http -> https -> canonical path).
    max_redirects: int = 5
    respect_robots: bool = True
    # A news sitemap lists the last ~1,000 articles; more than that is an archive, not news.
    max_urls_per_listing: int = 1000
    # A page that failed is tried again on this many later runs, then left in 'failures'.
    retry_failed_runs: int = 3


@dataclass(frozen=True, slots=True)
class Sources:
    """Where articles come from."""

    folders: tuple[Path, ...] = ()
    urls: tuple[str, ...] = ()
    url_lists: tuple[Path, ...] = ()  # text files, one URL a line, '#' starts a comment
    feeds: tuple[str, ...] = ()  # RSS or Atom
    sitemaps: tuple[str, ...] = ()  # sitemap or sitemap index (XML, .xml.gz or plain text)

    def __bool__(self) -> bool:
        return any((self.folders, self.urls, self.url_lists, self.feeds, self.sitemaps))


@dataclass(frozen=True, slots=True)
class Settings:
    db: str = "newsfacts.db"
    lock_file: Path = Path("newsfacts.lock")
    log_file: Path | None = Path("newsfacts.log")
    sources: Sources = field(default_factory=Sources)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    # a Dask scheduler ("tcp://host:8786"): workers read, extract and write the folders' files (PostgreSQL only)
    cluster: str = ""


# NEWSFACTS_<NAME> overrides a top-level setting (cron jobs and containers set these).
ENV_PREFIX = "NEWSFACTS_"
ENV_KEYS = ("db", "lock_file", "log_file", "cluster")


def load_settings(path: Path | str | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Defaults, overlaid by the TOML file (relative paths are relative to it), then by NEWSFACTS_*."""
    env = os.environ if env is None else env
    data: dict[str, Any] = {}
    base = Path.cwd()
    if path is not None:
        path = Path(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError("no such config file", where=str(path)) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read config: {exc}", where=str(path)) from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"invalid TOML: {exc}", where=str(path)) from exc
        base = path.resolve().parent
    where = str(path) if path is not None else None
    top = _check_keys(data, Settings, where, section=None)
    sources = _section(top.pop("sources", {}), Sources, where, "sources", base)
    fetch = _section(top.pop("fetch", {}), FetchSettings, where, "fetch", base)
    # paths the file leaves out default to files next to it, like the ones it names
    defaults = Settings()
    values = {"db": defaults.db, "lock_file": str(defaults.lock_file), "log_file": str(defaults.log_file)} \
        if path is not None else {}
    values.update(top)
    values = _convert(values, Settings, where, None, base)
    if "db" in values:
        values["db"] = _db(values["db"], base)
    # the environment is the caller's: its relative paths are relative to the working directory
    overrides = {key: env[ENV_PREFIX + key.upper()] for key in ENV_KEYS if env.get(ENV_PREFIX + key.upper())}
    values.update(_convert(overrides, Settings, f"environment ({ENV_PREFIX}*)", None, Path.cwd()))
    return Settings(sources=sources, fetch=fetch, **values)


def _db(db: str, base: Path) -> str:
    """A relative SQLite path in the config file is relative to the file, not to cron's cwd."""
    return db if "://" in db else str(_path(db, base))


def _check_keys(data: dict, cls: type, where: str | None, section: str | None) -> dict:
    if not isinstance(data, dict):
        raise ConfigError(f"[{section}] must be a table", where=where)
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - known)
    if unknown:
        prefix = f"[{section}] " if section else ""
        raise ConfigError(f"{prefix}unknown setting(s): {', '.join(unknown)} (known: {', '.join(sorted(known))})",
                          where=where)
    return dict(data)


def _section(data: Any, cls: type, where: str | None, section: str, base: Path):
    return cls(**_convert(_check_keys(data, cls, where, section), cls, where, section, base))


def _convert(data: dict, cls: type, where: str | None, section: str | None, base: Path) -> dict:
    """Type-check each value against the dataclass default it replaces."""
    defaults = {f.name: f for f in dataclasses.fields(cls)}
    out = {}
    for key, value in data.items():
        name = f"{section}.{key}" if section else key
        f = defaults[key]
        kind = str(f.type)
        try:
            if kind.startswith("tuple[Path"):
                out[key] = tuple(_path(v, base) for v in _str_list(value, name))
            elif kind.startswith("tuple[str"):
                out[key] = tuple(_str_list(value, name))
            elif "Path" in kind:
                out[key] = None if value in ("", False) and "None" in kind else _path(_str(value, name), base)
            elif kind == "bool":
                out[key] = _typed(value, bool, name)
            elif kind == "int":
                out[key] = _positive(_typed(value, int, name), name)
            elif kind == "float":
                out[key] = _positive(float(_typed(value, int | float, name)), name)
            else:
                out[key] = _str(value, name)
        except ConfigError as exc:
            raise ConfigError(exc.reason, where=where) from None
    return out


def _typed(value: Any, kind, name: str):
    if isinstance(value, bool) and kind is not bool:
        raise ConfigError(f"{name} must be a number, not {value!r}")
    if isinstance(value, str) and kind is not str:
        try:  # environment variables are strings
            return int(value) if kind is int else float(value) if kind is not bool else value == "1"
        except ValueError:
            pass
    if not isinstance(value, kind):
        raise ConfigError(f"{name} has the wrong type: {value!r}")
    return value


def _positive(value: float, name: str):
    if value < 0:
        raise ConfigError(f"{name} must not be negative: {value!r}")
    return value


def _str(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{name} must be a non-empty string, not {value!r}")
    return value


def _str_list(value: Any, name: str) -> list[str]:
    if not isinstance(value, list):
        raise ConfigError(f"{name} must be a list of strings, not {value!r}")
    return [_str(v, name) for v in value]


def _path(value: str, base: Path) -> Path:
    p = Path(value).expanduser()
    return p if p.is_absolute() else base / p
