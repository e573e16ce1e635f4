"""Alert e-mails, plain text and HTML, in each recipient's language.

They state the indicator, its value against what was expected by now and against the target,
what is still needed by when, and a link. Never a note, a case reference or any other detail
of individual records: only the numbers the evaluation produced. A recipient who sees the
indicator only by whole month (the wall) is told the month and the status, never the day, the
value or what is still needed.
"""

from flask import render_template
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy import select

from vscapp import months
from vscapp.extensions import db
from vscapp.i18n import municipality_name, text_in
from vscapp.mail import build
from vscapp.plans.models import Indicator, Plan
from vscapp.vocabulary import STATUS_LABELS, Status


def status_word(status):
    """The status in words; an alert that ends says the indicator is back on track."""
    if status == Status.ON_TRACK:
        return _("back on track")
    return _(STATUS_LABELS[status])


def indicator_text(alert, lang):
    indicator = db.session.scalar(select(Indicator).join(Plan).where(
        Plan.year == alert.year, Indicator.code == alert.code))
    return text_in(indicator, "text", lang) if indicator else ""


def _context(rows, user, config):
    return {"alerts": [_item(row.alert, row.by_month, user, config) for row in rows],
            "user": user}


def plan_title(year, lang):
    """"Plan 2023 · Molenbeek-Saint-Jean": the municipality named in the reader's language."""
    plan = db.session.scalar(select(Plan).where(Plan.year == year))
    return _("Plan %(year)s · %(municipality)s", year=year,
             municipality=municipality_name(plan, lang))


def _item(alert, by_month, user, config):
    as_of = months.month_end(alert.as_of) if by_month else alert.as_of
    return {"alert": alert, "text": indicator_text(alert, user.language),
            "plan": plan_title(alert.year, user.language),
            "status": status_word(alert.status), "by_month": by_month,
            "month": format_date(alert.as_of, "MMMM yyyy"),
            "url": f"{config['BASE_URL'].rstrip('/')}/targets/{alert.year}/{alert.code}"
                   f"?as_of={as_of.isoformat()}"}


def compose_alert(rows, config):
    """One alert to one recipient."""
    row = rows[0]
    user = row.user
    with force_locale(user.language):
        context = _context([row], user, config)
        item = context["alerts"][0]
        subject = _("[vscapp] %(code)s %(status)s: %(text)s", code=row.alert.code,
                    status=item["status"], text=item["text"])
        return build(config["MAIL_FROM"], user.email, subject,
                     render_template("email/alert.txt", **context),
                     render_template("email/alert.html", **context))


def compose_digest(rows, config):
    """A week's alerts to one recipient, in one message."""
    user = rows[0].user
    with force_locale(user.language):
        context = _context(rows, user, config)
        subject = _("[vscapp] weekly digest: %(n)s indicator change(s)", n=len(rows))
        return build(config["MAIL_FROM"], user.email, subject,
                     render_template("email/digest.txt", **context),
                     render_template("email/digest.html", **context))


def compose_no_rules(user, year, config):
    """The year has no active rules yet: the alert run evaluates nothing until it has."""
    with force_locale(user.language):
        subject = _("[vscapp] %(year)s has no active rules yet", year=year)
        text = _("The alert run does not evaluate %(year)s, and sends no alerts for it, until "
                 "the year's rules are active. Import the year's plan, then draft, fill and "
                 "activate its rules: %(url)s", year=year,
                 url=f"{config['BASE_URL'].rstrip('/')}/rules/{year}")
        return build(config["MAIL_FROM"], user.email, subject, text + "\n")
