"""The alerts page (open alerts, acknowledgement, history) and each user's own settings."""

from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from vscapp.alerts import services
from vscapp.alerts.forms import AccountForm, AcknowledgeForm, LanguageForm
from vscapp.alerts.models import Alert
from vscapp.auth.services import is_safe_next, update_user
from vscapp.extensions import db
from vscapp.permissions import permission_required, public, signed_in

bp = Blueprint("alerts", __name__)


@bp.get("/alerts/")
@permission_required("alerts.view")
def index():
    page = db.paginate(services.alert_history(), per_page=50, error_out=False)
    return render_template("alerts/index.html", open_alerts=services.open_alerts(), page=page,
                           form=AcknowledgeForm())


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
        flash(_("Write a comment to acknowledge an alert."), "error")
    return redirect(url_for("alerts.index"))


@bp.post("/language")
@public
def language():
    """Switch the interface language: the account's choice, or the session's before sign-in."""
    form = LanguageForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            update_user(current_user, {"language": form.language.data}, actor=current_user)
            db.session.commit()
        else:
            session["language"] = form.language.data
    target = form.next.data
    return redirect(target if is_safe_next(target) else url_for("main.home"))


@bp.route("/account", methods=["GET", "POST"])
@signed_in
def account():
    form = AccountForm(obj=current_user)
    if form.validate_on_submit():
        update_user(current_user, {"language": form.language.data,
                                   "alert_delivery": form.alert_delivery.data},
                    actor=current_user)
        db.session.commit()
        flash(_("Your settings are saved."), "success")
        return redirect(url_for("alerts.account"))
    return render_template("alerts/account.html", form=form)
