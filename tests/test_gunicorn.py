"""Under gunicorn, with forked workers and threads, evaluations run side by side safely."""

import http.cookiejar
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest

from helpers import PASSWORD, csrf_token, gunicorn_serving, make_event


@pytest.fixture
def gunicorn(database_url, rules_2023, make_user):
    officer = make_user("officer")
    for month in range(1, 7):
        make_event("individual_consultation", officer, on=date(2023, month, 1))
    with gunicorn_serving(database_url) as base:
        yield base, officer


def signed_in_opener(base, user):
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    token = csrf_token(opener.open(f"{base}/login").read().decode())
    opener.open(f"{base}/login", urllib.parse.urlencode(
        {"csrf_token": token, "email": user.email, "password": PASSWORD}).encode())
    return opener


def test_forked_threaded_workers_evaluate_side_by_side(gunicorn):
    base, officer = gunicorn
    openers = [signed_in_opener(base, officer) for _ in range(4)]

    def fetch(n):
        day = date(2023, 1 + n % 12, 1 + n % 28).isoformat()
        page = openers[n % 4].open(f"{base}/targets/2023?as_of={day}").read().decode()
        return 'data-code="S1.SD1.OD2.I1"' in page and 'class="status status-' in page

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(fetch, range(96)))
    assert all(results)
