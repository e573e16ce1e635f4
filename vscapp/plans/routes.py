"""The plan of a year, as a tree."""

from flask import Blueprint, abort, redirect, render_template, url_for

from vscapp.permissions import permission_required
from vscapp.plans.services import latest_plan, plan_for_year, plan_years

bp = Blueprint("plans", __name__, url_prefix="/plans")


def to_latest_year(endpoint):
    """Redirect to `endpoint` for the latest plan's year, or say that there is no plan yet."""
    plan = latest_plan()
    if plan is None:
        return render_template("plans/empty.html")
    return redirect(url_for(endpoint, year=plan.year))


@bp.get("/")
@permission_required("plan.view")
def index():
    return to_latest_year("plans.show")


@bp.get("/<int:year>")
@permission_required("plan.view")
def show(year):
    plan = plan_for_year(year)
    if plan is None:
        abort(404)
    return render_template("plans/show.html", plan=plan, years=plan_years())
