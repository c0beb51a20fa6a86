"""Settings: defaults in code, newsfacts.toml on top, NEWSFACTS_* environment on top of that."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.settings import FetchSettings, Settings, load_settings
from tests.conftest import REPO, SEED


def test_the_shipped_example_loads():
    settings = load_settings(REPO / "newsfacts.example.toml", env={})
    assert settings.sources.folders == (SEED,)
    assert settings.db == str(REPO / "newsfacts.db")
    assert settings.log_file == REPO / "newsfacts.log"
    assert settings.fetch.contact == "newsroom-data@example.org"
    assert settings.fetch.retries == FetchSettings().retries


def test_defaults_without_a_file():
    assert load_settings(None, env={}) == Settings()


def test_file_then_environment(tmp_path, monkeypatch):
    config = tmp_path / "conf" / "newsfacts.toml"
    config.parent.mkdir()
    config.write_text('db = "data/facts.db"\nlog_file = ""\n[sources]\nurls = ["http://127.0.0.1:9/a"]\n'
                      'url_lists = ["urls.txt"]\n[fetch]\nretries = 0\nmin_interval = 0.5\n', encoding="utf-8")
    settings = load_settings(config, env={})
    assert settings.db == str(config.parent / "data" / "facts.db")
    assert settings.log_file is None
    assert settings.sources.url_lists == (config.parent / "urls.txt",)
    assert (settings.fetch.retries, settings.fetch.min_interval) == (0, 0.5)
    monkeypatch.chdir(tmp_path)
    env = {"NEWSFACTS_DB": "other.db", "NEWSFACTS_LOCK_FILE": "/run/nf.lock"}
    overridden = load_settings(config, env=env)
    assert overridden.db == "other.db"  # relative to the working directory, like --db
    assert overridden.lock_file == Path("/run/nf.lock")


@pytest.mark.parametrize(("text", "message"), [
    ("[sources]\nfolder = ['x']\n", "unknown setting(s): folder"),
    ("dbb = 'x'\n", "unknown setting(s): dbb"),
    ("[fetch]\nretries = 'three'\n", "fetch.retries has the wrong type"),
    ("[fetch]\nretries = true\n", "fetch.retries must be a number"),
    ("[fetch]\nread_timeout = -1\n", "must not be negative"),
    ("[sources]\nfeeds = 'http://x/rss'\n", "sources.feeds must be a list"),
    ("sources = 3\n", "[sources] must be a table"),
    ("db = \n", "invalid TOML"),
])
def test_invalid_config_is_one_clear_error(tmp_path, text, message):
    config = tmp_path / "newsfacts.toml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(config, env={})
    assert message in str(info.value)
    assert info.value.where == str(config)


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="no such config file"):
        load_settings(tmp_path / "absent.toml", env={})


def test_files_the_config_leaves_out_sit_next_to_it(tmp_path):
    config = tmp_path / "newsfacts.toml"
    config.write_text("[sources]\nfolders = ['articles']\n", encoding="utf-8")
    settings = load_settings(config, env={})
    assert settings.db == str(tmp_path / "newsfacts.db")
    assert (settings.lock_file, settings.log_file) == (tmp_path / "newsfacts.lock", tmp_path / "newsfacts.log")
