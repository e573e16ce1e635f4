"""Pages cost a fixed number of SQL statements, whatever the size of the plan: the same bound
for the 13 indicators of 2023 and for a generated plan of 200 (tests/fixtures/plans.py)."""

from datetime import date

import pytest

from helpers import counted_statements, make_event
from vscapp.extensions import db

# page: (path, most statements, the signed-in user's own lookup included, and on HTML pages
# the menu's count of open alerts)
PAGES = {
    "dashboard": ("/?as_of=2023-09-30", 11),
    "indicator": ("/targets/2023/{code}?as_of=2023-09-30", 12),
    "targets": ("/targets/2023?as_of=2023-09-30", 9),
    "report": ("/report/2023?as_of=2023-09-30", 11),
    "report export": ("/report/2023/export.csv?as_of=2023-09-30", 10),
}


@pytest.fixture(params=["2023 plan", "plan of 200 indicators"])
def a_plan(request, make_user):
    """A plan with active rules and a few activities: (the plan, an indicator's code)."""
    if request.param == "2023 plan":
        request.getfixturevalue("rules_2023")
        type_code, indicator = "individual_consultation", "S1.SD1.OD2.I1"
    else:
        request.getfixturevalue("plan_200")
        type_code, indicator = "bench_1", "S1.SD1.OD2.I1"
    officer = make_user("officer")
    for month in range(1, 10):
        make_event(type_code, officer, on=date(2023, month, 3), quantity=month)
    return request.param, indicator


@pytest.mark.parametrize("page", PAGES)
def test_a_page_runs_a_fixed_number_of_statements(client, as_role, a_plan, page):
    plan, indicator = a_plan
    path, bound = PAGES[page]
    as_role("coordinator")
    db.session.remove()  # nothing in memory, as at the start of a request
    with counted_statements() as statements:
        response = client.get(path.format(code=indicator))
    assert response.status_code == 200
    assert len(statements) <= bound, "\n".join(statements)
    db.session.remove()
    with counted_statements() as again:  # the evaluation is reused: one statement fewer
        client.get(path.format(code=indicator))
    assert len(again) == len(statements) - 1
