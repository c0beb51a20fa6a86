"""`newsfacts serve` as a real process on 127.0.0.1: what it answers, what it refuses."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from tests.serve.conftest import fetch, running_site

pytestmark = pytest.mark.slow

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def test_serve_listens_on_loopback_and_refuses_what_a_foreign_page_could_send(news_db):
    with running_site(news_db) as url:
        assert urlsplit(url).hostname == "127.0.0.1"
        status, headers, body = fetch(url + "-/review")
        assert status == 200 and body.count('class="nf-contradiction') == 3
        assert headers["x-frame-options"] == "DENY" and "ds_csrftoken=" in headers["set-cookie"]
        assert fetch(url + "news/v_facts.json")[0] == 200
        # a page elsewhere whose host name now points at 127.0.0.1 (DNS rebinding)
        assert fetch(url + "-/review", headers={"Host": f"evil.example:{urlsplit(url).port}"})[0] == 403
        # a form on another site posting here: the browser sends no SameSite=Lax cookie, so no token either
        assert fetch(url + "-/review/1", data=b"verdict=real&note=forged", headers=FORM)[0] == 403
        assert fetch(url + "news?sql=select+1")[0] == 403


def test_allow_sql_lets_pages_run_sql(news_db):
    with running_site(news_db, "--allow-sql") as url:
        status, _, body = fetch(url + "news.json?sql=select+count(*)+as+n+from+articles&_shape=array")
        assert status == 200 and json.loads(body) == [{"n": 3}]
