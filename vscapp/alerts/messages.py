"""Alert e-mails, plain text and HTML, in each recipient's language.

They state the indicator, its value against what was expected by now and against the target,
what is still needed by when, and a link. Never a note, a case reference or any other detail
of individual records: only the numbers the evaluation produced.
"""

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from vscapp.extensions import db
from vscapp.i18n import text_in
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


def _context(alerts, user, config):
    return {
        "alerts": [{"alert": a, "text": indicator_text(a, user.language),
                    "status": status_word(a.status),
                    "url": f"{config['BASE_URL'].rstrip('/')}/targets/{a.year}/{a.code}"
                           f"?as_of={a.as_of.isoformat()}"} for a in alerts],
        "user": user,
    }


def compose_alert(rows, config):
    """One alert to one recipient."""
    row = rows[0]
    user = row.user
    with force_locale(user.language):
        context = _context([row.alert], user, config)
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
        context = _context([row.alert for row in rows], user, config)
        subject = _("[vscapp] weekly digest: %(n)s indicator change(s)", n=len(rows))
        return build(config["MAIL_FROM"], user.email, subject,
                     render_template("email/digest.txt", **context),
                     render_template("email/digest.html", **context))
