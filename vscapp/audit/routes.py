"""The audit trail, for the coordinator: the changes, or who opened which social-prevention
record's details, in words."""

from flask import Blueprint, render_template, request
from flask_login import current_user

from vscapp.audit import readable, services
from vscapp.audit.forms import AuditFilterForm
from vscapp.permissions import permission_required
from vscapp.views import paginate

bp = Blueprint("audit", __name__, url_prefix="/audit")


@bp.get("/")
@permission_required("audit.view")
def index():
    form = AuditFilterForm(request.args, people=services.actor_labels())
    page = paginate(services.entries(**form.filters()), per_page=100)
    return render_template("audit/index.html", page=page, form=form,
                           items=readable.items(page.items, current_user._get_current_object()))
