"""Accounts: the coordinator's management (create, change role or language, deactivate, send a
password link), each user's own settings, password and interface language, and the public
pages to recover a password."""

from flask import (
    Blueprint,
    after_this_request,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from vscapp import background
from vscapp.auth import throttle
from vscapp.auth.services import is_safe_next
from vscapp.auth.throttle import TooManyAttempts
from vscapp.extensions import db
from vscapp.mail import Mailer, MailError
from vscapp.permissions import permission_required, public, signed_in
from vscapp.users import links, messages, services
from vscapp.users.forms import (
    AccountForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    LanguageForm,
    NewPasswordForm,
    UserCreateForm,
    UserEditForm,
)
from vscapp.users.models import User
from vscapp.vocabulary import Role

bp = Blueprint("users", __name__)


@bp.get("/users/")
@permission_required("users.manage")
def index():
    return render_template("users/index.html", users=services.all_users())


@bp.route("/users/new", methods=["GET", "POST"])
@permission_required("users.manage")
def new():
    form = UserCreateForm(active=True)
    if form.validate_on_submit():
        user = services.create_user(form.email.data, form.role.data, None, form.language.data,
                                    actor=current_user)
        message = services.password_link_message(user, messages.WELCOME, current_app.config,
                                                  actor=current_user)
        db.session.commit()
        flash(_("Account created."), "success")
        _send_link(message)
        return redirect(url_for("users.index"))
    return render_template("users/form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@permission_required("users.manage")
def edit(user_id):
    user = db.get_or_404(User, user_id)
    form = UserEditForm(obj=user)
    if user.from_directory:
        del form.role  # the directory's groups decide it
    if form.validate_on_submit():
        values = {"language": form.language.data, "active": form.active.data}
        if not user.from_directory:
            values["role"] = form.role.data
        if user.id == current_user.id and (not values["active"]
                                           or values.get("role", user.role) != Role.COORDINATOR):
            flash(_("You cannot deactivate your own account or give up your own coordinator "
                    "role: ask another coordinator."), "error")
        else:
            changed = services.update_user(user, values, actor=current_user)
            db.session.commit()
            flash(_("Account saved.") if changed else _("Nothing was changed."), "success")
            return redirect(url_for("users.index"))
    return render_template("users/form.html", form=form, user=user)


@bp.post("/users/<int:user_id>/password-link")
@permission_required("users.manage")
def send_password_link(user_id):
    """Reset a local account's password: the old one stops working, a link goes out."""
    user = db.get_or_404(User, user_id)
    if user.from_directory or not user.active:
        flash(_("Only an active local account gets a password link."), "error")
        return redirect(url_for("users.edit", user_id=user.id))
    services.reset_password(user, actor=current_user)
    message = services.password_link_message(user, messages.RESET, current_app.config,
                                             actor=current_user)
    db.session.commit()
    _send_link(message)
    return redirect(url_for("users.edit", user_id=user.id))


def _send_link(message):
    """Send a password link now and say so; the coordinator learns at once if it failed."""
    try:
        with Mailer(current_app.config) as mailer:
            mailer.send(message)
    except MailError as exc:
        current_app.logger.error("password link not sent: %s", exc)
        flash(_("The e-mail to %(email)s could not be sent: %(error)s. Send a new password "
                "link from the account's page once mail works.", email=message["To"],
                error=str(exc)), "error")
    else:
        flash(_("A link to choose a password was sent to %(email)s; it works once, within 24 "
                "hours.", email=message["To"]), "success")


@bp.route("/account", methods=["GET", "POST"])
@signed_in
def account():
    form = AccountForm(obj=current_user)
    if form.validate_on_submit():
        services.update_user(current_user, {"language": form.language.data,
                                            "alert_delivery": form.alert_delivery.data},
                             actor=current_user)
        db.session.commit()
        flash(_("Your settings are saved."), "success")
        return redirect(url_for("users.account"))
    return render_template("users/account.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@signed_in
def change_password():
    """Change one's own password, the current one asked first (failures count as sign-in
    failures: five within 15 minutes pause it)."""
    if current_user.from_directory:
        flash(_("Your password is your directory password: change it there."), "info")
        return redirect(url_for("users.account"))
    form = ChangePasswordForm(current_user.email)
    if form.validate_on_submit():
        try:
            claimed = throttle.attempt(current_user.email, request.remote_addr)
        except TooManyAttempts as refused:
            flash(str(refused.message), "error")
            return render_template("users/password.html", form=form), 429
        if current_user.check_password(form.current.data):
            claimed.give_back()
            services.set_password(current_user, form.password.data, actor=current_user,
                                  via="account page")
            db.session.commit()
            login_user(current_user._get_current_object())  # this session goes on, no other
            flash(_("Your password is changed."), "success")
            return redirect(url_for("users.account"))
        form.current.errors.append(_("This is not your current password."))
    return render_template("users/password.html", form=form)


@bp.route("/password/forgot", methods=["GET", "POST"])
@public
def forgot_password():
    """The same answer, as fast, whether the address has an account or not: everything that
    depends on the address runs once the answer has gone (vscapp.background)."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        _after_the_answer(services.answer_forgotten_password, form.email.data)
        flash(_("If an active account has this address, an e-mail is on its way to it with what "
                "to do next."), "info")
        return redirect(url_for("auth.login"))
    return render_template("users/forgot.html", form=form)


@bp.route("/password/<token>", methods=["GET", "POST"])
@public
def set_password(token):
    """Choose a password with a link from an e-mail: once, within 24 hours."""
    user = links.user_for_token(token)
    if user is None:
        return _no_store(render_template("users/link_invalid.html"), 410)
    form = NewPasswordForm(user.email)
    if form.validate_on_submit():
        services.set_password(user, form.password.data, actor=user, via="link")
        db.session.commit()
        logout_user()
        flash(_("Your password is set: sign in with it."), "success")
        return redirect(url_for("auth.login"))
    return _no_store(render_template("users/set_password.html", form=form, user=user))


def _after_the_answer(work, *args):
    """Queue `work` once the response is sent: the WSGI server closes it after the last byte."""
    app = current_app._get_current_object()

    @after_this_request
    def queue_on_close(response):
        response.call_on_close(lambda: background.run(app, work, *args))
        return response


def _no_store(html, status=200):
    """A page reached with a secret in its address is kept out of every cache."""
    response = make_response(html, status)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/language")
@public
def language():
    """Switch the interface language: the account's choice, or the session's before sign-in."""
    form = LanguageForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            services.update_user(current_user, {"language": form.language.data},
                                 actor=current_user)
            db.session.commit()
        else:
            session["language"] = form.language.data
    target = form.next.data
    return redirect(target if is_safe_next(target) else url_for("main.home"))
