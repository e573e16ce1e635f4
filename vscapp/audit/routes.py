"""The audit trail, for the coordinator."""

from flask import Blueprint, render_template, request
from sqlalchemy import select

from vscapp.audit.models import AuditEntry
from vscapp.extensions import db
from vscapp.permissions import permission_required

bp = Blueprint("audit", __name__, url_prefix="/audit")


@bp.get("/")
@permission_required("audit.view")
def index():
    stmt = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    action = request.args.get("action", "").strip()
    if action:
        stmt = stmt.where(AuditEntry.action.startswith(action, autoescape=True))
    page = db.paginate(stmt, per_page=100, error_out=False)
    return render_template("audit/index.html", page=page, action=action)
