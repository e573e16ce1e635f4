"""The coordinator's rules workflow (see, edit, validate, preview, activate, roll back) and the
status of each indicator for everyone."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from vscapp.converters import MAX_ID
from vscapp.engine.rulesfile import RulesFileError
from vscapp.events.models import EventType
from vscapp.extensions import db
from vscapp.forms import choices, personal_data_error
from vscapp.i18n import current_language, text_in
from vscapp.permissions import may_see_indicator, permission_required, require
from vscapp.plans.services import indicator_by_code, live_indicators, plan_for_year, plan_years
from vscapp.targets import editing, progress, services, wording
from vscapp.targets.draft import draft_targets
from vscapp.targets.forms import ActivateForm, AsOfForm, RulesForm, YearTargetsForm
from vscapp.targets.models import RulesVersion
from vscapp.views import as_of_from, to_latest_year
from vscapp.vocabulary import content_language

bp = Blueprint("targets", __name__)


def get_version(year, version_id):
    if not 0 < version_id <= MAX_ID:  # ?from= is read as any int: no database binds every one
        abort(404)
    version = db.get_or_404(RulesVersion, version_id)
    if version.year != year:
        abort(404)
    return version


@bp.get("/rules/")
@permission_required("rules.manage")
def rules_index():
    years = sorted(set(plan_years()) | set(services.rules_years()), reverse=True)
    return render_template("targets/rules_index.html", years=years,
                           active={y: services.active_version(y) for y in years})


@bp.route("/rules/<int:year>", methods=["GET", "POST"])
@permission_required("rules.manage")
def rules_year(year):
    if plan_for_year(year) is None:
        abort(404)
    active = services.active_version(year)
    form = RulesForm(content=active.content if active else None)
    errors = []
    if form.validate_on_submit() and (text := form.text()) is not None:
        try:
            version = services.save_version(text, source="web", user=current_user, year=year)
        except RulesFileError as exc:
            errors = exc.errors
            form.content.data = text  # an uploaded file comes back in the editor, to fix
        else:
            db.session.commit()
            return redirect(url_for("targets.rules_version", year=year, version_id=version.id))
    lines = (form.content.data or "").splitlines() if errors else []
    activations = services.activations(year)
    return render_template("targets/rules_year.html", year=year, form=form, active=active,
                           errors=errors, lines=lines, versions=services.versions(year),
                           activations=activations,
                           activated={a.version_id for a in activations}), 400 if errors else 200


@bp.get("/rules/<int:year>/versions/<int:version_id>")
@permission_required("rules.manage")
def rules_version(year, version_id):
    version = get_version(year, version_id)
    active = services.active_version(year)
    form = AsOfForm(request.args)
    as_of = as_of_from(form, year)
    # A version that cannot be evaluated is said so here, and can still be activated (or an
    # earlier one, to roll back): this page never fails with the rules it shows.
    preview, broken = _evaluated(year, as_of, version)
    current, broken_active = _evaluated(year, as_of, active) if active else ((), None)
    changes = editing.differences(editing.from_text(active.content) if active else None,
                                  editing.from_text(version.content))
    return render_template(
        "targets/rules_version.html", year=year, version=version, active=active, as_of=as_of,
        preview=preview, current={r.code: r for r in current}, form=ActivateForm(),
        as_of_form=form, broken=broken, broken_active=broken_active,
        changes=wording.in_words(changes, services.indicator_texts(year), type_names()),
        diff=services.diff(active.content if active else "", version.content,
                           f"version {active.number}" if active else "(none)",
                           f"version {version.number}"))


@bp.get("/rules/<int:year>/versions/<int:version_id>/rules.yaml")
@permission_required("rules.manage")
def download(year, version_id):
    version = get_version(year, version_id)
    name = f"rules-{year}-v{version.number}.yaml"
    return Response(version.content, mimetype="application/yaml",
                    headers={"Content-Disposition": f"attachment; filename={name}"})


def type_names():
    """{code: name} of every activity type, in the reader's language."""
    lang = content_language(current_language())
    return {t.code: t.name(lang) for t in db.session.scalars(
        select(EventType).order_by(EventType.sector, EventType.code))}


def starting_targets(year, version_id):
    """What the form shows first: the chosen version, else the active one, else the latest,
    else a draft carried over from the latest earlier year (and that year)."""
    version = (get_version(year, version_id) if version_id else
               services.active_version(year) or next(iter(services.versions(year)), None))
    if version is not None:
        return editing.from_text(version.content), version, None
    targets, earlier = draft_targets(year, content_language(current_language()))
    return targets, None, earlier


@bp.route("/rules/<int:year>/targets", methods=["GET", "POST"])
@permission_required("rules.manage")
def targets_form(year):
    plan = plan_for_year(year)
    if plan is None:
        abort(404)
    indicators = live_indicators(plan)
    names = type_names()
    form = YearTargetsForm(codes=[i.code for i in indicators],
                           event_types=choices(names.items()),
                           indicators=[{}] * len(indicators))
    targets, start_version, earlier = starting_targets(year, request.args.get("from", type=int))
    if not form.is_submitted():
        form.fill(targets)
    elif (typed := form.value(year)) is not None:
        lang = content_language(current_language())
        texts = {i.code: text_in(i, "text", lang) for i in indicators}
        try:
            version = services.save_targets(typed, current_user, texts)
        except RulesFileError as exc:
            db.session.rollback()
            form.place_errors(exc.errors)
        else:
            db.session.commit()
            return redirect(url_for("targets.rules_version", year=year, version_id=version.id))
    status = 400 if form.is_submitted() else 200
    return render_template("targets/targets_form.html", year=year, form=form,
                           indicators=dict(zip([i.code for i in indicators], indicators,
                                               strict=True)),
                           to_set={i.code for i in indicators
                                   if getattr(targets.indicator(i.code), "to_set", True)},
                           start_version=start_version, earlier=earlier), status


def _evaluated(year, as_of, version):
    """(results, None), or ((), the EvaluationFailed) when the version cannot be evaluated."""
    try:
        return services.evaluate_year(year, as_of, version), None
    except services.EvaluationFailed as exc:
        return (), exc


@bp.post("/rules/<int:year>/versions/<int:version_id>/activate")
@permission_required("rules.manage")
def activate(year, version_id):
    version = get_version(year, version_id)
    form = ActivateForm()
    if not form.validate_on_submit():
        flash(personal_data_error(form.reason)
              or _("Say why these rules apply from now on: the reason is mandatory."), "error")
        return redirect(url_for("targets.rules_version", year=year, version_id=version.id))
    try:
        services.activate(version, form.reason.data, current_user)
    except RulesFileError as exc:
        db.session.rollback()
        flash(_("These rules no longer fit the plan: %(errors)s",
                errors="; ".join(error.translated() for error in exc.errors)), "error")
        return redirect(url_for("targets.rules_version", year=year, version_id=version.id))
    db.session.commit()
    flash(_("Version %(n)s of %(year)s is now active.", n=version.number, year=year), "success")
    return redirect(url_for("targets.rules_year", year=year))


@bp.get("/targets/")
@permission_required("targets.view")
def index():
    return to_latest_year("targets.status")


@bp.get("/targets/<int:year>/<code>")
@permission_required("targets.view")
def indicator(year, code):
    indicator = indicator_by_code(year, code)
    if indicator is None:
        abort(404)
    require(may_see_indicator(current_user, code))
    version = services.active_version(year)
    if version is None:
        abort(404)
    form = AsOfForm(request.args)
    as_of = as_of_from(form, year)
    rule = progress.rule_for(version, code)
    if rule is None:
        abort(404)
    view = progress.indicator_view(current_user, year, version, rule, as_of)
    return render_template(
        "targets/indicator.html", year=year, indicator=indicator, rule=rule, view=view,
        result=view.result, as_of=as_of, form=form, chart=view.chart, counted=view.counted,
        latest_limit=progress.LATEST,
        history=[(a, progress.rule_for(a.version, code)) for a in services.activations(year)])


@bp.get("/targets/<int:year>")
@permission_required("targets.view")
def status(year):
    if plan_for_year(year) is None:
        abort(404)
    form = AsOfForm(request.args)
    as_of = as_of_from(form, year)
    broken = None
    try:
        results, month_as_of = services.evaluate_for(current_user, year, as_of)
    except services.NoActiveRules:
        results, month_as_of = None, None
    except services.EvaluationFailed as exc:
        results, month_as_of, broken = None, None, exc
    return render_template("targets/status.html", year=year, form=form, as_of=as_of,
                           results=results, month_as_of=month_as_of, broken=broken,
                           indicators=services.indicator_texts(year))
