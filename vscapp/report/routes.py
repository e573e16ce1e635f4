"""The yearly evaluation report: preview with completeness check and comments; exports."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from vscapp.clock import local, utcnow
from vscapp.extensions import db
from vscapp.i18n import current_language, municipality_name
from vscapp.permissions import permission_required
from vscapp.plans.services import plan_for_year, plan_with_tree
from vscapp.report import exports, services
from vscapp.report.forms import ReportForm, comments_form
from vscapp.targets.services import active_version
from vscapp.views import as_of_from, to_latest_year
from vscapp.vocabulary import ATTENTION_ORDER, content_language

bp = Blueprint("report", __name__, url_prefix="/report")
MET_FIRST = tuple(reversed(ATTENTION_ORDER))
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": exports.XLSX_TYPE,
    "pdf": "application/pdf",
}


def plan_and_rules(year, load_plan=plan_for_year):
    """The year's plan (as `load_plan` loads it) and its active rules version, or 404."""
    plan = load_plan(year)
    version = active_version(year) if plan is not None else None
    if version is None:
        abort(404)
    return plan, version


def options(year):
    form = ReportForm(request.args, lang=request.args.get("lang") or current_language())
    as_of = as_of_from(form, year)  # validates the form
    lang = form.lang.data if not form.errors else content_language(current_language())
    return form, as_of, lang


@bp.get("/")
@permission_required("report.view")
def index():
    return to_latest_year("report.show")


@bp.get("/<int:year>")
@permission_required("report.view")
def show(year):
    plan, version = plan_and_rules(year, plan_with_tree)
    form, as_of, lang = options(year)
    rows = services.report_rows(plan, version, as_of, current_language())
    return _page(plan, version, form, as_of, lang, rows, _comments_form(rows))


def _comments_form(rows):
    return comments_form({row.code: row.comment for row in rows if row.kind == "indicator"})


def _page(plan, version, form, as_of, lang, rows, comments, status=200):
    return render_template("report/show.html", plan=plan, year=plan.year, form=form,
                           as_of=as_of, lang=lang, rows=rows,
                           check=services.completeness(version, as_of),
                           counts=services.status_counts(rows), statuses=MET_FIRST,
                           comments=comments), status


@bp.post("/<int:year>/comments")
@permission_required("report.comment")
def comment(year):
    """Every indicator's comment, saved at once; a refused one keeps all that was typed."""
    plan, version = plan_and_rules(year, plan_with_tree)
    form, as_of, lang = options(year)
    rows = services.report_rows(plan, version, as_of, current_language())
    comments = _comments_form(rows)
    if not comments.validate_on_submit():
        return _page(plan, version, form, as_of, lang, rows, comments, status=400)
    changed = services.set_comments(year, comments.texts(), current_user)
    db.session.commit()
    flash(_("Comments saved: %(num)s.", num=changed) if changed else _("Nothing was changed."),
          "success")
    # back to the report as it was shown (its date and language), never to another year
    shown = {name: value for name, value in request.args.items() if name in ("as_of", "lang")}
    return redirect(url_for("report.show", year=year, **shown))


@bp.get("/<int:year>/export.<fmt>")
@permission_required("report.view")
def export(year, fmt):
    if fmt not in FORMATS:
        abort(404)
    plan, version = plan_and_rules(year, plan_with_tree)
    _form, as_of, lang = options(year)
    with force_locale(lang):
        rows = services.report_rows(plan, version, as_of, lang)
        check = services.completeness(version, as_of)
        municipality = municipality_name(plan, lang)
        meta = exports.ReportMeta(
            title=_("Evaluation %(year)s · %(municipality)s", year=year,
                    municipality=municipality),
            municipality=municipality, year=year,
            decree=getattr(plan, f"decree_{lang}") or plan.decree_nl or "", as_of=as_of,
            generated_at=local(utcnow()), generated_by=current_user.email,
            counts=services.status_counts(rows))
        lines = completeness_lines(check)
        if fmt == "csv":
            body = exports.to_csv(rows, meta)
        elif fmt == "xlsx":
            body = exports.to_xlsx(rows, meta, lines)
        else:
            body = exports.to_pdf(rows, meta, lines)
    name = f"vsc-evaluation-{year}-{as_of.isoformat()}-{lang}.{fmt}"
    return Response(body, content_type=FORMATS[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def completeness_lines(check):
    if check.complete:
        return [_("Every indicator has activities and every month has entries.")]
    lines = [_("No activity counted for: %(codes)s", codes=", ".join(check.without_events))] \
        if check.without_events else []
    if check.empty_months:
        lines.append(_("Months without any entry: %(months)s",
                       months=", ".join(check.month_labels)))
    return lines
