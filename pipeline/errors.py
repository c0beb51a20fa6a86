"""The one family of foreseeable failures; the CLI turns any of them into a one-line message."""

from __future__ import annotations


class NewsfactsError(Exception):
    """A failure a user can act on; carries where it happened and why."""

    exit_code = 1  # what the CLI exits with

    def __init__(self, reason: str, *, where: str | None = None) -> None:
        self.reason = reason
        self.where = where
        super().__init__(f"{where}: {reason}" if where else reason)


class FetchError(NewsfactsError):
    """A document could not be read or yielded no text."""


class HostUnavailableError(FetchError):
    """A host could not be reached, or its robots.txt answered 5xx/429: nothing on it is fetched in this run."""


class RobotsDisallowedError(FetchError):
    """robots.txt disallows the URL: skipped by policy, which is not a failure of the page."""


class ExtractError(NewsfactsError):
    """The NLP stage could not run (e.g. the spaCy pipeline is not installed)."""


class StoreError(NewsfactsError):
    """The database could not be opened or written."""


class DatabaseBusyError(StoreError):
    """Another process kept the database locked for longer than the busy timeout."""

    exit_code = 75  # EX_TEMPFAIL, as BusyError: nothing is broken, try again later


class BadDatabaseError(StoreError):
    """The database is corrupt, or is not a newsfacts database at all."""

    exit_code = 65  # EX_DATAERR (sysexits.h): the input data is wrong; nothing was changed


class StorageError(StoreError):
    """The disk refuses to write: full, read-only, or failing (a database or a report)."""

    exit_code = 74  # EX_IOERR (sysexits.h): free some space or fix permissions, then run again


class ClusterError(NewsfactsError):
    """A Dask cluster could not be used: not installed, not reachable, no worker, or workers that keep dying."""


class Interrupted(NewsfactsError):
    """The run was asked to stop (SIGTERM); what it had committed is kept."""

    exit_code = 143  # 128 + SIGTERM, what a shell reports for a process SIGTERM ended


class ConfigError(NewsfactsError):
    """newsfacts.toml is missing or invalid."""


class BusyError(NewsfactsError):
    """Another run holds the lock."""

    # EX_TEMPFAIL (sysexits.h): nothing is wrong, try again later; cron wrappers can tell it from a failure.
    exit_code = 75
