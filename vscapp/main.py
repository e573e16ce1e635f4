"""The home page: the year's indicators with their status, as far as the reader's role may see,
grouped by strategic objective; what needs attention first."""

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from vscapp.events import services as events
from vscapp.extensions import db
from vscapp.permissions import permission_required, public
from vscapp.plans.services import latest_plan
from vscapp.targets import progress
from vscapp.targets.cards import cards
from vscapp.targets.forms import DashboardFilterForm
from vscapp.targets.services import EvaluationFailed, NoActiveRules
from vscapp.views import as_of_from

bp = Blueprint("main", __name__)


@bp.get("/")
@permission_required("plan.view")
def home():
    plan = latest_plan()
    if plan is None:
        return render_template("home.html", plan=None, rows=None)
    form = DashboardFilterForm(request.args, plan=plan)
    as_of = as_of_from(form, plan.year)
    reader = current_user._get_current_object()  # once, not through the proxy per indicator
    counts = events.counts_by_type(plan.year, reader)
    try:
        rows, month_as_of = progress.dashboard(plan, as_of, reader)
    except (NoActiveRules, EvaluationFailed) as exc:
        return render_template("home.html", plan=plan, cards=None, counts=counts,
                               year=plan.year, broken=_broken(exc))
    card_of = {card.row.indicator.code: card for card in cards(rows, plan.year, as_of)}
    return render_template(
        "home.html", plan=plan, as_of=as_of, form=form, counts=counts, year=plan.year,
        month_as_of=month_as_of,
        cards=[card_of[r.indicator.code] for r in rows if form.keeps(r)],
        attention=[card_of[r.indicator.code] for r in progress.needs_attention(rows)])


@bp.get("/healthz")
@public
def healthz():
    """For the load balancer and monitoring: 200 when the database answers, 503 otherwise.
    No sign-in, and nothing in the answer but that."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        db.session.rollback()
        current_app.logger.error("health check: the database does not answer: %s", exc)
        return _plain("database unavailable\n", 503)
    return _plain("ok\n", 200)


def _plain(body, status):
    return body, status, {"Content-Type": "text/plain; charset=utf-8",
                          "Cache-Control": "no-store"}


def _broken(exc):
    """The rules version that failed to evaluate, for the page to name, or None."""
    return exc if isinstance(exc, EvaluationFailed) else None
