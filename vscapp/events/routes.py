"""Pages to record, list, correct and void activities, and to manage their types."""

import tempfile
from datetime import date

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from vscapp import permissions
from vscapp.clock import today
from vscapp.events import listing, services
from vscapp.events.forms import (
    EventFilterForm,
    EventForm,
    EventTypeForm,
    NextRecordForm,
    RedactForm,
    VoidForm,
)
from vscapp.events.history import readable_history
from vscapp.events.models import Event, EventType
from vscapp.extensions import db
from vscapp.i18n import current_language
from vscapp.permissions import permission_required, require, require_readable
from vscapp.plans.services import latest_plan, plan_years
from vscapp.report.exports import XLSX_TYPE
from vscapp.views import keeps_typed_on_stale_token

bp = Blueprint("events", __name__, url_prefix="/events")


def get_event(event_id, action=None):
    """The event, or 404 when it is missing or the reader may not read it (the two answer
    alike); then the object rule for `action`, or 403."""
    event = db.get_or_404(Event, event_id)
    require_readable(permissions.can("event.read", event))
    if action:
        require(permissions.can(action, event))
    return event


def show_page(event, status=200, void_form=None, redact_form=None):
    """The record's page: its details and its history as the reader may see them."""
    return render_template("events/show.html", event=event,
                           entries=readable_history(event, current_user),
                           void_form=void_form or VoidForm(),
                           redact_form=redact_form or RedactForm()), status


def event_form(obj=None):
    types = services.recordable_types(current_user)
    if obj is not None and obj.event_type not in types:
        types.append(obj.event_type)
    form = EventForm(types, obj=obj, lang=current_language(),
                     most_used=services.most_used_codes(current_user),
                     plan_years=plan_years())
    if obj is not None and request.method == "GET":
        form.event_type.data = obj.event_type.code
    return form


@bp.get("/")
@permission_required("events.view")
def index():
    form, types, filters = list_filters()
    start, end = counting_period(filters)
    stmt = listing.events_query(types, filters, current_user)
    return render_template("events/index.html", filters=form,
                           page=listing.page(stmt, filters, form.cursor()),
                           counts=listing.counts(types, filters, current_user, start, end),
                           period=(start, end))


@bp.get("/export.csv")
@permission_required("events.view")
def export():
    """The filtered list as CSV, every page of it, written out as it is read."""
    events = exported_events("csv")
    name = f"vsc-activities-{today().isoformat()}.csv"
    return Response(stream_with_context(listing.csv_lines(events, current_language())),
                    mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/export.xlsx")
@permission_required("events.view")
def export_xlsx():
    """The filtered list as XLSX (its first listing.XLSX_ROWS rows), built in a temporary
    file a row at a time; only the finished, compressed file is held to be sent (a few MB at
    the limit)."""
    events = exported_events("xlsx")
    with tempfile.TemporaryFile() as out:
        listing.xlsx_file(events, current_language(), out)
        out.seek(0)
        body = out.read()
    name = f"vsc-activities-{today().isoformat()}.xlsx"
    return Response(body, mimetype=XLSX_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def exported_events(kind):
    """The events of the filtered list, read page by page, once the trail says who took them."""
    _, types, filters = list_filters()
    listing.record_export(current_user, filters, kind)
    db.session.commit()
    return listing.all_pages(listing.events_query(types, filters, current_user), filters)


def list_filters():
    """The filter form (from the query string), the types the reader may read, the Filters."""
    types = services.readable_types(current_user)
    form = EventFilterForm(request.args, types, current_language())
    form.validate()
    return form, types, form.filters()


def counting_period(filters):
    """The dates the counts under the list cover: the filter's, else a whole year (the
    filter's, else the latest plan's, else this one)."""
    plan = latest_plan()
    chosen = filters.date_from or filters.date_to
    year = chosen.year if chosen else (plan.year if plan else today().year)
    return (filters.date_from or date(year, 1, 1)), (filters.date_to or date(year, 12, 31))


@bp.route("/new", methods=["GET", "POST"])
@keeps_typed_on_stale_token
@permission_required("events.record")
def new():
    form = event_form()
    if not form.types:
        abort(403)
    if request.method == "GET":
        fill_in_the_next_record(form)
    if form.validate_on_submit():
        require(permissions.may_record(current_user, form.chosen_type))
        event = services.record_event(form.values(), current_user)
        db.session.commit()
        flash(_("Activity recorded."), "success")
        if form.another.data:
            return redirect(url_for("events.new", event_type=event.event_type.code,
                                    occurred_on=event.occurred_on.isoformat()))
        return redirect(url_for("events.show", event_id=event.id))
    return render_template("events/form.html", form=form, event=None)


def fill_in_the_next_record(form):
    """A blank form dated today, or with the type and date kept by "Save and record another"."""
    kept = NextRecordForm(request.args)
    kept.validate()
    form.occurred_on.data = kept.occurred_on.data or today()
    if kept.event_type.data in form.types:
        form.event_type.data = kept.event_type.data


@bp.get("/<int:event_id>")
@permission_required("events.view")
def show(event_id):
    event = get_event(event_id)
    services.record_read(event, current_user)
    db.session.commit()
    return show_page(event)


@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
@keeps_typed_on_stale_token
@permission_required("events.record")
def edit(event_id):
    event = get_event(event_id, "event.change")
    form = event_form(event)
    if request.method == "GET":
        services.record_read(event, current_user)
        db.session.commit()
    if form.validate_on_submit():
        require(permissions.may_record(current_user, form.chosen_type))
        changed = services.update_event(event, form.values(), current_user)
        db.session.commit()
        flash(_("Activity corrected.") if changed else _("Nothing was changed."), "success")
        return redirect(url_for("events.show", event_id=event.id))
    return render_template("events/form.html", form=form, event=event)


@bp.post("/<int:event_id>/void")
@permission_required("events.record")
def void(event_id):
    event = get_event(event_id, "event.change")
    form = VoidForm()
    if form.validate_on_submit():
        services.void_event(event, form.reason.data.strip(), current_user)
        db.session.commit()
        flash(_("The record is void; it stays in the register with your reason."), "success")
        return redirect(url_for("events.show", event_id=event.id))
    return show_page(event, 400, void_form=form)


@bp.post("/<int:event_id>/redact")
@permission_required("events.redact")
def redact(event_id):
    event = get_event(event_id, "event.redact")
    form = RedactForm()
    if not form.validate_on_submit():
        return show_page(event, 400, redact_form=form)
    services.redact_event(event, form.fields(), form.reason.data, current_user)
    db.session.commit()
    flash(_("The chosen text is erased from the record and from its history."), "success")
    return redirect(url_for("events.show", event_id=event.id))


@bp.get("/types")
@permission_required("event_types.manage")
def types():
    return render_template("events/types.html", types=services.all_types())


@bp.route("/types/new", methods=["GET", "POST"])
@permission_required("event_types.manage")
def new_type():
    return _type_form(EventType(active=True, sector=1, social_prevention=True))


@bp.route("/types/<int:type_id>", methods=["GET", "POST"])
@permission_required("event_types.manage")
def edit_type(type_id):
    return _type_form(db.get_or_404(EventType, type_id))


def _type_form(event_type):
    form = EventTypeForm(obj=event_type)
    if event_type.id is not None:
        form.code.data = event_type.code  # rules files refer to the code: it never changes
    if form.validate_on_submit():
        clash = services.type_by_code(form.code.data)
        if clash is not None and clash is not event_type:
            form.code.errors.append(_("Another activity type already has this code."))
        else:
            services.save_event_type(event_type, form.values(), current_user)
            db.session.commit()
            flash(_("Activity type saved."), "success")
            return redirect(url_for("events.types"))
    return render_template("events/type_form.html", form=form, event_type=event_type)
