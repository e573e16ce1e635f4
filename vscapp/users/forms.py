"""Account forms: the coordinator's, and each user's own settings."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from vscapp.forms import labelled, language_choices
from vscapp.users.services import MIN_PASSWORD_LENGTH, user_by_email
from vscapp.vocabulary import DELIVERY_LABELS, ROLE_LABELS


class UserEditForm(FlaskForm):
    role = SelectField(_l("Role"), choices=labelled(ROLE_LABELS))
    language = SelectField(_l("Language"), choices=language_choices())
    active = BooleanField(_l("Active (may sign in)"))


class UserCreateForm(UserEditForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Initial password"), validators=[
        DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200,
                               message=_l("Use at least %(min)d characters, at most %(max)d."))])
    confirm = PasswordField(_l("Repeat the password"), validators=[
        EqualTo("password", message=_l("The two passwords differ."))])

    def validate_email(self, field):
        if user_by_email(field.data):
            raise ValidationError(_l("An account with this e-mail address already exists."))


class LanguageForm(FlaskForm):
    language = SelectField(_l("Language"), choices=language_choices())
    next = HiddenField()


class AccountForm(FlaskForm):
    language = SelectField(_l("Language"), choices=language_choices())
    alert_delivery = SelectField(_l("Alert e-mails"), choices=labelled(DELIVERY_LABELS))
