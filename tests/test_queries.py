"""How the pages and evaluation query the database: the aggregate per type reads the daily
totals, recounting them reads the events' partial covering index, and walking the plan tree
costs a fixed number of statements."""

import re
from datetime import date

from helpers import counted_statements, make_event, query_plan
from vscapp.events.daily_totals import live_totals_query
from vscapp.events.services import totals_query
from vscapp.extensions import db
from vscapp.plans.services import plan_with_tree
from vscapp.report.services import report_rows


def test_recounting_the_daily_totals_can_read_the_partial_covering_index(app):
    """The definition of a live event and the index's condition must stay one: were they to
    drift apart, the database could no longer count the events from the index."""
    plan = query_plan(live_totals_query(), index="ix_event_live_by_type")
    assert "ix_event_live_by_type" in plan, plan


def test_the_aggregate_per_type_reads_the_daily_totals_never_the_events(app):
    for codes in (None, ["individual_consultation", "project"]):
        plan = query_plan(totals_query(date(2023, 1, 1), date(2023, 12, 31), codes))
        assert "daily_total" in plan, plan
        assert not re.search(r"\bevent\b(?!_type)", plan), plan


def test_the_report_walks_the_plan_tree_in_a_fixed_number_of_statements(rules_2023,
                                                                          make_user):
    officer = make_user("officer")
    make_event("individual_consultation", officer, on=date(2023, 2, 1))
    db.session.expire_all()  # nothing of the plan in memory, as at the start of a request
    with counted_statements() as statements:
        rows = report_rows(plan_with_tree(2023), rules_2023, date(2023, 6, 30), "nl")
    assert len([r for r in rows if r.kind == "indicator"]) == 13
    assert len(rows) > 40  # sectors, objectives and results too
    assert len(statements) <= 10
