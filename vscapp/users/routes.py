"""Accounts: the coordinator's management (create, change role or language, deactivate), and
each user's own settings and interface language."""

from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from vscapp.auth.services import is_safe_next
from vscapp.extensions import db
from vscapp.permissions import permission_required, public, signed_in
from vscapp.users import services
from vscapp.users.forms import AccountForm, LanguageForm, UserCreateForm, UserEditForm
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
        services.create_user(form.email.data, form.role.data, form.password.data,
                             form.language.data, actor=current_user)
        db.session.commit()
        flash(_("Account created."), "success")
        return redirect(url_for("users.index"))
    return render_template("users/form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@permission_required("users.manage")
def edit(user_id):
    user = db.get_or_404(User, user_id)
    form = UserEditForm(obj=user)
    if form.validate_on_submit():
        if user.id == current_user.id and (not form.active.data
                                           or form.role.data != Role.COORDINATOR):
            flash(_("You cannot deactivate your own account or give up your own coordinator "
                    "role: ask another coordinator."), "error")
        else:
            changed = services.update_user(user, {"role": form.role.data,
                                                  "language": form.language.data,
                                                  "active": form.active.data},
                                           actor=current_user)
            db.session.commit()
            flash(_("Account saved.") if changed else _("Nothing was changed."), "success")
            return redirect(url_for("users.index"))
    return render_template("users/form.html", form=form, user=user)


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
