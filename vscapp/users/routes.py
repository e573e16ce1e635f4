"""The coordinator's account management: create, change role or language, deactivate."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from vscapp.auth import services
from vscapp.auth.forms import UserCreateForm, UserEditForm
from vscapp.auth.models import User
from vscapp.extensions import db
from vscapp.permissions import Role, permission_required

bp = Blueprint("users", __name__, url_prefix="/users")


@bp.get("/")
@permission_required("users.manage")
def index():
    users = db.session.scalars(select(User).order_by(User.active.desc(), User.email)).all()
    return render_template("users/index.html", users=users)


@bp.route("/new", methods=["GET", "POST"])
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


@bp.route("/<int:user_id>", methods=["GET", "POST"])
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
