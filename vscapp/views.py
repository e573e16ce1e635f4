"""Helpers that several features' pages share. Route modules import from here, never from each
other."""

from datetime import date

from flask import redirect, render_template, request, url_for

from vscapp.clock import today
from vscapp.extensions import db
from vscapp.plans.services import latest_plan


def to_latest_year(endpoint):
    """Redirect to `endpoint` for the latest plan's year, or say that there is no plan yet."""
    plan = latest_plan()
    if plan is None:
        return render_template("plans/empty.html")
    return redirect(url_for(endpoint, year=plan.year))


def default_as_of(year):
    """Today for the current year; the last day of a past year; the first of a future one."""
    return min(max(today(), date(year, 1, 1)), date(year, 12, 31))


def as_of_from(form, year):
    """The evaluation date asked for in an AsOfForm, else the default for the year."""
    return form.as_of.data if form.validate() and form.as_of.data else default_as_of(year)


def keeps_typed_on_stale_token(view):
    """Route decorator: a POST whose form token went stale (an old tab, a new session) shows
    the form again with what was typed and a message, instead of the 400 page (see
    errors.py). Only for views that validate their form with `validate_on_submit()`, so the
    stale token is refused there too and nothing is stored."""
    view.keeps_typed_on_stale_token = True
    return view


MAX_PAGE = 1_000_000  # no list is that long; a bigger number is not a page any database takes


def paginate(stmt, per_page):
    """A page of `stmt`'s rows for ?page= (1 when it is not a number, clamped to MAX_PAGE:
    ?page=99999999999999999999 would overflow the database's OFFSET)."""
    page = request.args.get("page", 1, type=int)
    page = min(max(page, 1), MAX_PAGE)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)
