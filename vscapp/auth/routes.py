"""Sign-in and sign-out."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from vscapp.auth.forms import LoginForm
from vscapp.auth.services import TooManyAttempts, authenticate, is_safe_next
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
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data)
        except TooManyAttempts:
            flash(_("Too many failed attempts with this address: try again in 15 minutes."),
                  "error")
            return render_template("auth/login.html", form=form), 429
        if user is not None:
            login_user(user)
            return redirect(target)
        flash(_("Wrong e-mail address or password."), "error")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@signed_in
def logout():
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))
