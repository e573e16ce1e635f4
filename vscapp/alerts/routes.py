"""The alerts page: open alerts, their acknowledgement, and the history."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from vscapp.alerts import services
from vscapp.alerts.forms import AcknowledgeForm
from vscapp.alerts.models import Alert
from vscapp.extensions import db
from vscapp.forms import personal_data_error
from vscapp.i18n import current_language
from vscapp.permissions import permission_required
from vscapp.views import paginate

bp = Blueprint("alerts", __name__)


@bp.get("/alerts/")
@permission_required("alerts.view")
def index():
    page = paginate(services.alert_history(), per_page=50)
    reader = current_user._get_current_object()
    open_alerts = services.for_reader(services.open_alerts(), reader)
    history = services.for_reader(page.items, reader)
    names = services.indicator_names([v.alert for v in open_alerts + history],
                                     current_language())
    return render_template("alerts/index.html", page=page, form=AcknowledgeForm(),
                           open_alerts=open_alerts, history=history, names=names)


@bp.post("/alerts/<int:alert_id>/acknowledge")
@permission_required("alerts.acknowledge")
def acknowledge(alert_id):
    alert = db.get_or_404(Alert, alert_id)
    form = AcknowledgeForm()
    if alert.acknowledged_at is not None:
        flash(_("This alert was already acknowledged."), "error")
    elif form.validate_on_submit():
        services.acknowledge(alert, form.comment.data.strip(), current_user)
        db.session.commit()
        flash(_("Alert acknowledged."), "success")
    else:
        flash(personal_data_error(form.comment)
              or _("Write a comment to acknowledge an alert."), "error")
    return redirect(url_for("alerts.index"))
