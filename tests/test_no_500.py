"""No 500 from input: every route of the app (from its url_map), for every role and for a
visitor not signed in, with malformed path values, query strings, form fields and headers
(huge, negative and non-numbers, impossible dates, NUL, CR/LF, very long strings) and with a
method it does not take, answers without a 5xx. And a lost database connection answers 503."""

import re
from datetime import date
from urllib.parse import quote, urlencode

import pytest
from sqlalchemy import create_engine, func, select, text

from fixtures.database import PG_URL
from helpers import login, make_event
from vscapp.alerts.models import Alert
from vscapp.extensions import db

HUGE = "99999999999999999999"
LONG = "9" * 5000
NUL = "x\x00y"
CRLF = "/\r\nLocation: http://evil.test"
# Each round gives every parameter (query string and form field alike) a malformed value.
TEXTS = ("next", "note", "case_ref", "reason", "comment", "email", "password", "content",
         "name_nl", "name_fr", "text", "action")
ROUND_VALUES = [
    {"*": HUGE, **dict.fromkeys(TEXTS, LONG)},
    {"*": NUL, "next": CRLF},
    {"*": "-1", "year": "1", "as_of": "2023-02-30", "occurred_on": "2023-02-30",
     "date_from": "0001-01-01", "date_to": "99999-12-31", "quantity": "1.5",
     "participants": "2147483648", "page": "abc", "status": "abc", "code": "abc"},
]
# Parameters the pages and forms read (query strings and form fields alike).
PARAMS = ["page", "year", "as_of", "next", "status", "strategic", "kind", "action", "lang",
          "event_type", "occurred_on", "quantity", "participants", "note", "case_ref",
          "reason", "comment", "email", "password", "current", "confirm", "role", "language",
          "active", "alert_delivery", "content", "code", "name_nl", "name_fr", "sector",
          "social_prevention", "needs_participants", "date_from", "date_to", "show_voided",
          "type", "text", "fields", "from", "person", "entity_type", "entity_id",
          "recorded_by", "sort", "after", "outside_plans", "another"]
# Malformed path values per converter or argument name.
BAD_PATH = {"int": [HUGE, "2147483648"],
            "default": [quote("x\x00y"), "x" * 3000, HUGE]}
# (Not the User-Agent: session protection rightly ends a session whose browser changes.)
WEIRD_HEADERS = {"Accept-Language": "zz;q=abc, \x01", "X-Forwarded-For": "not an address",
                 "If-Modified-Since": "yesterday", "Cookie": "x=\x01" + "y" * 3000}
SKIPPED = {"static", "auth.logout", "users.language"}  # signing out would end the crawl's session


@pytest.fixture
def world(rules_2023, make_user, runner):
    officer = make_user("officer")
    event = make_event("individual_consultation", officer, on=date(2023, 3, 7),
                       note="a consultation")
    runner.invoke(args=["alerts", "run", "--as-of", "2023-12-31"])
    alert = db.session.scalar(select(Alert).limit(1))
    victim = make_user("liaison")  # the account the coordinator's pages change
    return {"year": "2023", "code": "S1.SD1.OD2.I1", "version_id": str(rules_2023.id),
            "event_id": str(event.id), "type_id": str(event.type_id),
            "user_id": str(victim.id), "alert_id": str(alert.id if alert else 1),
            "token": "not-a-token", "fmt": "csv", "filename": "vsc.css"}


def rounds():
    return [{name: values.get(name, values["*"]) for name in PARAMS} for values in ROUND_VALUES]


def build(rule, values):
    url = rule.rule
    for argument in rule.arguments:
        url = re.sub(rf"<(?:[a-z]+:)?{argument}>", lambda _, a=argument: values[a], url)
    return url


def requests_for(rule, good):
    """(method, url, form, headers) to try on one route."""
    methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
    url = build(rule, good)
    tried = []
    for n, params in enumerate(rounds()):
        headers = WEIRD_HEADERS if n == 0 else {}
        query = urlencode(params)
        for method in methods:
            tried.append((method, f"{url}?{query}", params if method == "POST" else None,
                          headers))
    for argument in rule.arguments:
        kind = "int" if type(rule._converters[argument]).__name__ == "IntegerConverter" \
            else "default"
        for bad in BAD_PATH[kind]:
            tried.append(("GET" if "GET" in methods else "POST",
                          build(rule, {**good, argument: bad}), {}, {}))
    tried.append(("DELETE", url, None, {}))  # a method no route takes
    return tried


def refused_before_reading(status):
    """A role without the right is refused before any input is read: no need to go on."""
    return status == 403


def crawl(app, client, good, signed_in):
    failures = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIPPED:
            continue
        if not signed_in and getattr(app.view_functions[rule.endpoint], "permission",
                                     None) != "public":
            continue  # sent to sign in before any input is read: tested once below
        for n, (method, url, form, headers) in enumerate(requests_for(rule, good)):
            try:
                response = client.open(url, method=method, data=form, headers=headers)
                status = response.status_code
            except Exception as exc:  # noqa: BLE001 (what the test reports)
                db.session.rollback()
                status = f"{type(exc).__name__}: {exc}"[:300]
            if not isinstance(status, int) or status >= 500:
                failures.append((method, url[:120], status))
            elif n == 0 and refused_before_reading(status):
                break
    return failures


def test_no_input_answers_5xx(app, world, make_user):
    failures = []
    for role in (None, "coordinator", "officer", "liaison"):
        client = app.test_client()
        if role:
            login(client, make_user(role))
        failures += [(role, *failure) for failure in crawl(app, client, world, bool(role))]
        if role:  # still signed in: the crawl was not sent to the sign-in page half-way
            assert client.get("/account").status_code == 200, role
    visitor = app.test_client()
    for url in ("/?page=" + HUGE, "/events/" + HUGE, "/report/2023?year=1&as_of=" + NUL):
        assert visitor.get(url).status_code in (302, 400, 404)
    assert failures == [], "\n".join(map(repr, failures))


def test_a_nul_byte_in_a_note_is_refused_with_a_message(client, rules_2023, make_user):
    from vscapp.events.models import Event

    login(client, make_user("officer"))
    before = db.session.scalar(select(func.count(Event.id)))
    response = client.post("/events/new", data={
        "event_type": "individual_consultation", "occurred_on": "2023-03-07", "quantity": "1",
        "note": "a consultation\x00 with a NUL"})
    assert response.status_code == 400
    assert "holds a NUL character" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Event.id))) == before


def test_the_database_gone_answers_503_and_the_next_request_works(app, client, make_user):
    user = make_user("officer")
    login(client, user)
    db.session.remove()
    # every connection now goes to a port where nothing listens: the database is "down"
    engine = db.engines[None]
    down = create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none",
                         connect_args={"connect_timeout": 2})
    db.engines[None] = down
    try:
        for url in ("/", "/events/", "/login"):
            response = client.get(url)
            assert response.status_code == 503, url
            html = response.get_data(as_text=True)
            assert "The database cannot be reached just now" in html
            assert "Traceback" not in html
    finally:
        db.session.remove()
        db.engines[None] = engine
        down.dispose()
    assert client.get("/events/").status_code == 200  # back, and the session still holds


@pytest.mark.skipif(not PG_URL, reason="pg_terminate_backend is PostgreSQL's")
def test_a_connection_killed_mid_request_answers_503_and_the_next_request_works(
        app, client, make_user, database_url):
    """The server ends the request's own connection between two of its statements, as a
    PostgreSQL restart or an administrator's pg_terminate_backend does."""
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    doomed = []

    @app.before_request
    def kill_own_connection():  # runs first; the page's own queries come after it
        if doomed:
            pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
            with admin.connect() as conn:
                conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

    user = make_user("officer")
    login(client, user)
    doomed.append(True)
    try:
        response = client.get("/events/")
        assert response.status_code == 503
        html = response.get_data(as_text=True)
        assert "The database cannot be reached just now" in html
        assert "Traceback" not in html
    finally:
        doomed.clear()
        admin.dispose()
    assert client.get("/events/").status_code == 200  # a new connection, the session holds
