"""The access matrix: every route, for every role and for an anonymous visitor."""

import pytest

from helpers import event_type, login, make_event
from vscapp.vocabulary import Role

ANON, OFFICER, COORD, LIAISON = "anonymous", Role.OFFICER, Role.COORDINATOR, Role.LIAISON
ALL = {OFFICER: 200, COORD: 200, LIAISON: 200}
COORD_ONLY = {OFFICER: 403, COORD: 200, LIAISON: 403}

# (method, path, endpoint, {role: status}); anonymous visitors are always sent to sign-in,
# except where the row says otherwise.
MATRIX = [
    ("GET", "/", "main.home", ALL),
    ("GET", "/healthz", "main.healthz", {ANON: 200, **ALL}),
    ("GET", "/login", "auth.login", {ANON: 200, OFFICER: 302, COORD: 302, LIAISON: 302}),
    ("POST", "/logout", "auth.logout", {OFFICER: 302, COORD: 302, LIAISON: 302}),
    ("GET", "/plans/", "plans.index", {OFFICER: 302, COORD: 302, LIAISON: 302}),
    ("GET", "/plans/2023", "plans.show", ALL),
    ("GET", "/plans/import", "plans.upload", COORD_ONLY),
    ("POST", "/plans/import/confirm", "plans.confirm", {OFFICER: 403, COORD: 302,
                                                        LIAISON: 403}),
    ("GET", "/events/", "events.index", ALL),
    ("GET", "/events/export.csv", "events.export", ALL),
    ("GET", "/events/export.xlsx", "events.export_xlsx", ALL),
    ("GET", "/events/new", "events.new", ALL),
    # A record the reader may not read answers 404, like a missing one: ids cannot be probed.
    ("GET", "/events/{social}", "events.show", {OFFICER: 200, COORD: 200, LIAISON: 404}),
    ("GET", "/events/{police}", "events.show", ALL),
    ("GET", "/events/{sector2}", "events.show", {OFFICER: 404, COORD: 200, LIAISON: 200}),
    ("GET", "/events/999999", "events.show", {OFFICER: 404, COORD: 404, LIAISON: 404}),
    ("GET", "/events/{social}/edit", "events.edit", {OFFICER: 200, COORD: 200, LIAISON: 404}),
    ("GET", "/events/{police}/edit", "events.edit", ALL),
    ("GET", "/events/{sector2}/edit", "events.edit", {OFFICER: 404, COORD: 200, LIAISON: 200}),
    ("POST", "/events/{social}/void", "events.void", {OFFICER: 400, COORD: 400, LIAISON: 404}),
    ("POST", "/events/{sector2}/void", "events.void", {OFFICER: 404, COORD: 400, LIAISON: 400}),
    ("POST", "/events/999999/void", "events.void", {OFFICER: 404, COORD: 404, LIAISON: 404}),
    # Erasing is the coordinator's: forbidden by role (403) before any record is looked up.
    ("POST", "/events/{social}/redact", "events.redact", {OFFICER: 403, COORD: 400,
                                                          LIAISON: 403}),
    ("POST", "/events/999999/redact", "events.redact", {OFFICER: 403, COORD: 404,
                                                        LIAISON: 403}),
    ("GET", "/events/types", "events.types", COORD_ONLY),
    ("GET", "/events/types/new", "events.new_type", COORD_ONLY),
    ("GET", "/events/types/{type}", "events.edit_type", COORD_ONLY),
    ("GET", "/users/", "users.index", COORD_ONLY),
    ("GET", "/users/new", "users.new", COORD_ONLY),
    ("GET", "/users/{user}", "users.edit", COORD_ONLY),
    ("POST", "/users/999999/password-link", "users.send_password_link",
     {OFFICER: 403, COORD: 404, LIAISON: 403}),
    ("GET", "/audit/", "audit.index", COORD_ONLY),
    ("GET", "/targets/", "targets.index", {OFFICER: 302, COORD: 302, LIAISON: 302}),
    ("GET", "/targets/2023", "targets.status", ALL),
    ("GET", "/rules/", "targets.rules_index", COORD_ONLY),
    ("GET", "/rules/2023", "targets.rules_year", COORD_ONLY),
    ("GET", "/rules/2023/versions/{version}", "targets.rules_version", COORD_ONLY),
    ("GET", "/rules/2023/versions/{version}/rules.yaml", "targets.download", COORD_ONLY),
    ("GET", "/rules/2023/targets", "targets.targets_form", COORD_ONLY),
    ("POST", "/rules/2023/versions/{version}/activate", "targets.activate",
     {OFFICER: 403, COORD: 302, LIAISON: 403}),
    ("GET", "/alerts/", "alerts.index", ALL),
    ("POST", "/alerts/999999/acknowledge", "alerts.acknowledge",
     {OFFICER: 403, COORD: 404, LIAISON: 403}),
    ("GET", "/account", "users.account", ALL),
    ("GET", "/account/password", "users.change_password", ALL),
    ("GET", "/password/forgot", "users.forgot_password", {ANON: 200, **ALL}),
    ("GET", "/password/not-a-token", "users.set_password",
     {ANON: 410, OFFICER: 410, COORD: 410, LIAISON: 410}),
    ("POST", "/language", "users.language", {ANON: 302, OFFICER: 302, COORD: 302,
                                              LIAISON: 302}),
    ("GET", "/targets/2023/S1.SD1.OD2.I1", "targets.indicator", ALL),
    ("GET", "/targets/2023/S2.SD1.OD1.I1", "targets.indicator", {OFFICER: 404, COORD: 404,
                                                                LIAISON: 404}),
    ("GET", "/report/", "report.index", {OFFICER: 403, COORD: 302, LIAISON: 403}),
    ("GET", "/report/2023", "report.show", COORD_ONLY),
    ("GET", "/report/2023/export.csv", "report.export", COORD_ONLY),
    ("GET", "/report/2023/export.xlsx", "report.export", COORD_ONLY),
    ("GET", "/report/2023/export.pdf", "report.export", COORD_ONLY),
    ("GET", "/help/", "help.index", ALL),
    ("GET", "/help/?role=liaison", "help.index", ALL),
    ("POST", "/report/2023/comments", "report.comment",
     {OFFICER: 403, COORD: 302, LIAISON: 403}),
]


@pytest.fixture
def world(app, make_user, rules_2023):
    officer, liaison = make_user(OFFICER), make_user(LIAISON)
    return {
        "social": make_event("individual_consultation", officer).id,
        "police": make_event("police_contact", liaison).id,
        "sector2": make_event("threat_analysis", liaison).id,
        "type": event_type("project").id,
        "user": officer.id,
        "version": rules_2023.id,
    }


@pytest.mark.parametrize("role", [ANON, OFFICER, COORD, LIAISON])
@pytest.mark.parametrize(("method", "path", "endpoint", "expected"), MATRIX,
                         ids=[f"{m} {p}" for m, p, _, _ in MATRIX])
def test_access(client, make_user, world, role, method, path, endpoint, expected):
    if role != ANON:
        login(client, make_user(role))
    response = client.open(path.format(**world), method=method)
    if role == ANON and ANON not in expected:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")
    else:
        assert response.status_code == expected[role]


def test_the_matrix_covers_every_route(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert endpoints == {endpoint for _, _, endpoint, _ in MATRIX}


def test_every_view_declares_its_permission(app):
    for endpoint, view in app.view_functions.items():
        if endpoint != "static":
            assert getattr(view, "permission", None), f"{endpoint} declares no permission"
