"""What templates may call: permissions, the reader's language, locale-aware formats."""

from flask import g, has_request_context, request, url_for
from flask_babel import format_date, format_datetime, format_decimal, gettext

from vscapp import permissions
from vscapp.engine.evaluate import EXPLANATIONS
from vscapp.i18n import current_language, localized, municipality_name
from vscapp.vocabulary import ROLE_LABELS, STATUS_LABELS, Role, Status


def register(app):
    app.jinja_env.globals.update(
        can=permissions.can,
        localized=localized,
        municipality_name=municipality_name,
        current_language=current_language,
        role_label=lambda role: gettext(ROLE_LABELS[Role(role)]),
        status_label=lambda status: gettext(STATUS_LABELS[Status(status)]),
        page_url=page_url,
        format_day=format_day,
        format_day_short=lambda day: format_date(day, "short"),
        format_moment=lambda moment: format_datetime(moment, "short"),
        format_month=lambda day: format_date(day, "MMM"),
        format_month_year=lambda day: format_date(day, "MMMM yyyy"),
        format_number=format_decimal,
        explain=explain,
        field_attributes=field_attributes,
    )
    app.context_processor(menu_numbers)


def menu_numbers():
    """The menu's number of open alerts, worked out once per request and only for a signed-in
    reader who may see alerts (a statement on every page, so not for anyone else)."""
    if not has_request_context():
        return {}
    if "menu_numbers" not in g:
        from flask_login import current_user

        reader = current_user._get_current_object() if current_user else None
        g.menu_numbers = {"open_alert_count": _open_alert_count(reader)
                          if permissions.has(reader, "alerts.view") else None}
    return g.menu_numbers


def _open_alert_count(reader):
    from sqlalchemy.exc import SQLAlchemyError

    from vscapp.alerts.services import open_count

    try:
        return open_count(reader)
    except SQLAlchemyError:  # an error page for a database that is down still shows
        return None


def format_day(day):
    """A date in running text, in the reader's language: "31 dec. 2023", "31 déc. 2023"."""
    return format_date(day, "medium")


def explain(result):
    """An evaluation's explanation in the reader's language."""
    key, params = result.explanation_parts()
    return gettext(EXPLANATIONS[key], **{**params, "due": format_day(result.due)})


def field_attributes(field, field_id, readonly=False, label=None):
    """A form field's id and ARIA attributes: its help and errors described, invalid only with
    errors (an absent attribute, never "None")."""
    described = [f"{field_id}-help"] if field.description else []
    described += [f"{field_id}-error-{n}" for n in range(1, len(field.errors) + 1)]
    attributes = {"id": field_id}
    if described:
        attributes["aria-describedby"] = " ".join(described)
    if field.errors:
        attributes["aria-invalid"] = "true"
    if readonly:
        attributes["readonly"] = True
    if label is not None:  # a field shown without a visible label, as in a table's cell
        attributes["aria-label"] = label
    return attributes


def page_url(number):
    """The current page's URL with its query string, at another page of results."""
    return url_for(request.endpoint, **{**request.view_args, **request.args.to_dict(),
                                        "page": number})
