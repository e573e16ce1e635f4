"""The plan of a year, as a tree; and a new plan document imported from the browser."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from vscapp.extensions import db
from vscapp.permissions import permission_required
from vscapp.plans.forms import PlanConfirmForm, PlanUploadForm
from vscapp.plans.parser import PlanFormatError, decode, parse_plan
from vscapp.plans.services import (
    PlanMismatchError,
    changes_since,
    check_same_structure,
    import_plan,
    missing_languages,
    plan_for_year,
    plan_with_tree,
    plan_years,
    previous_plan,
)
from vscapp.targets.services import versions
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


@bp.route("/import", methods=["GET", "POST"])
@permission_required("plan.import")
def upload():
    """Step 1: the document is read and checked; nothing is stored yet."""
    form = PlanUploadForm()
    if not form.validate_on_submit():
        return render_template("plans/import.html", form=form), 400 if form.errors else 200
    filename = (form.document.data.filename or "plan.md")[-200:]
    try:
        text = decode(form.document.data.read())
        parsed = parse_plan(text)
    except PlanFormatError as exc:
        lines = text.splitlines() if "text" in locals() else []
        return render_template("plans/import.html", form=form, errors=exc.errors,
                               lines=lines, filename=filename), 400
    return confirm_page(parsed, PlanConfirmForm(text=text, filename=filename))


def confirm_page(parsed, form, status=200):
    earlier, existing = previous_plan(parsed.year), plan_for_year(parsed.year)
    return render_template(
        "plans/import_confirm.html", parsed=parsed, form=form, earlier=earlier,
        existing=existing, mismatch=structure_mismatch(existing, parsed),
        changes=changes_since(parsed, earlier, parsed.language)), status


def structure_mismatch(plan, parsed):
    """What differs from the plan already imported in the other language, or []."""
    try:
        if plan is not None:
            check_same_structure(plan, parsed)
    except PlanMismatchError as exc:
        return exc.messages
    return []


@bp.post("/import/confirm")
@permission_required("plan.import")
def confirm():
    """Step 2: the same document, parsed again, imported in one transaction."""
    form = PlanConfirmForm()
    if not form.validate_on_submit():
        flash(_("The document was not received: upload it again."), "error")
        return redirect(url_for("plans.upload"))
    try:
        parsed = parse_plan(form.text.data.replace("\r\n", "\n"))
    except PlanFormatError:
        flash(_("The document was not received: upload it again."), "error")
        return redirect(url_for("plans.upload"))
    try:
        report = import_plan(parsed, source=form.filename.data or "browser",
                             restructure=form.restructure.data)
    except PlanMismatchError:
        db.session.rollback()
        return confirm_page(parsed, form, 400)
    db.session.commit()
    flash(_("Plan %(year)s imported (%(language)s): %(created)s created, %(updated)s updated, "
            "%(retired)s retired.", year=parsed.year, language=parsed.language.upper(),
            created=len(report.created), updated=len(report.updated),
            retired=len(report.retired)), "success")
    if not versions(parsed.year):
        return redirect(url_for("targets.targets_form", year=parsed.year))
    return redirect(url_for("plans.show", year=parsed.year))
