"""The home page: where the plan of the year stands, as far as the reader's role may see."""

from datetime import date

from flask import Blueprint, render_template

from vscapp.events import services as events
from vscapp.permissions import permission_required
from vscapp.plans.services import latest_plan

bp = Blueprint("main", __name__)


@bp.get("/")
@permission_required("plan.view")
def home():
    year = date.today().year
    return render_template("home.html", plan=latest_plan(), year=year,
                           counts=events.counts_by_type(year))
