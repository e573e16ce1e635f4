"""A short help page for each role, in the reader's language (Dutch or French)."""

from flask import Blueprint, render_template, request
from flask_login import current_user

from vscapp.help import services
from vscapp.i18n import current_language
from vscapp.permissions import signed_in
from vscapp.vocabulary import ROLE_LABELS, Role, content_language

bp = Blueprint("help", __name__, url_prefix="/help")


@bp.get("/")
@signed_in
def index():
    """The reader's own role's help; ?role= shows another role's (what a colleague sees)."""
    role = request.args.get("role")
    role = Role(role) if role in {r.value for r in Role} else Role(current_user.role)
    lang = content_language(current_language())
    return render_template(f"help/{lang}.html", role=role, roles=ROLE_LABELS, lang=lang,
                           **services.facts())
