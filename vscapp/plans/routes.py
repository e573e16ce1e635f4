"""The plan of a year, as a tree."""

from flask import Blueprint, abort, render_template

from vscapp.permissions import permission_required
from vscapp.plans.services import missing_languages, plan_with_tree, plan_years
from vscapp.views import to_latest_year
from vscapp.vocabulary import CONTENT_LANGUAGE_LABELS

bp = Blueprint("plans", __name__, url_prefix="/plans")


@bp.get("/")
@permission_required("plan.view")
def index():
    return to_latest_year("plans.show")


@bp.get("/<int:year>")
@permission_required("plan.view")
def show(year):
    plan = plan_with_tree(year)
    if plan is None:
        abort(404)
    return render_template("plans/show.html", plan=plan, years=plan_years(),
                           missing=missing_languages(plan),
                           language_labels=CONTENT_LANGUAGE_LABELS)
