"""Sign-in and sign-out."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from vscapp.auth import directory
from vscapp.auth.forms import LoginForm
from vscapp.auth.services import (
    DirectoryUnavailable,
    NoDirectoryRole,
    TooManyAttempts,
    authenticate,
    is_safe_next,
)
from vscapp.extensions import db
from vscapp.permissions import public, signed_in

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    target = request.args.get("next")
    target = target if is_safe_next(target) else url_for("main.home")
    if current_user.is_authenticated:
        return redirect(target)
    form = LoginForm()
    if directory.configured(current_app.config):
        form.for_directory()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    try:
        user = authenticate(form.email.data, form.password.data, request.remote_addr)
    except TooManyAttempts as refused:  # by login or, TooManyFromClient, by client address
        return _refused(form, str(refused.message), 429)
    except DirectoryUnavailable as exc:
        current_app.logger.error("directory sign-in impossible: %s", exc)
        return _refused(form, _("The directory cannot be reached just now, so directory "
                                "accounts cannot sign in: try again later. Local accounts "
                                "still can."), 503)
    except NoDirectoryRole:
        return _refused(form, _("Your directory account is in no vscapp group, so it may not "
                                "sign in: ask the coordinator."), 403)
    if user is None:
        return _refused(form, _("Wrong user name, e-mail address or password.")
                        if directory.configured(current_app.config)
                        else _("Wrong e-mail address or password."), 200)
    session.pop("csrf_token", None)  # a token seen before signing in is worth nothing after
    login_user(user)
    return redirect(target)


def _refused(form, message, status):
    flash(message, "error")
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@signed_in
def logout():
    current_user.end_sessions()  # on every device, remember-me cookies included
    db.session.commit()
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))
