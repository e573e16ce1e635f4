"""The audit trail, for the coordinator: the changes, or who opened which social-prevention
record's details."""

from flask import Blueprint, render_template, request
from sqlalchemy import select

from vscapp.audit.models import AuditEntry
from vscapp.extensions import db
from vscapp.permissions import permission_required

bp = Blueprint("audit", __name__, url_prefix="/audit")


@bp.get("/")
@permission_required("audit.view")
def index():
    reads = request.args.get("kind") == "reads"
    stmt = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    stmt = stmt.where(AuditEntry.action.endswith(".read") if reads
                      else AuditEntry.action.not_like("%.read"))
    action = request.args.get("action", "").strip()
    if action:
        stmt = stmt.where(AuditEntry.action.startswith(action, autoescape=True))
    page = db.paginate(stmt, per_page=100, error_out=False)
    return render_template("audit/index.html", page=page, action=action, reads=reads)
