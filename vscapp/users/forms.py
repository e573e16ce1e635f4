"""Account forms: the coordinator's, each user's own settings and password, and the
forgot-password form."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from vscapp.forms import labelled, language_choices, no_control_characters
from vscapp.users.passwords import MIN_LENGTH, PARAMETERS, password_problem
from vscapp.users.services import user_by_email
from vscapp.vocabulary import DELIVERY_LABELS, ROLE_LABELS


class UserEditForm(FlaskForm):
    role = SelectField(_l("Role"), choices=labelled(ROLE_LABELS))
    language = SelectField(_l("Language"), choices=language_choices())
    active = BooleanField(_l("Active (may sign in)"))


class UserCreateForm(UserEditForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)],
                       description=_l("A link to choose a password goes to this address."))

    def validate_email(self, field):
        if user_by_email(field.data):
            raise ValidationError(_l("An account with this e-mail address already exists."))


class LanguageForm(FlaskForm):
    language = SelectField(_l("Language"), choices=language_choices())
    next = HiddenField()


class AccountForm(FlaskForm):
    language = SelectField(_l("Language"), choices=language_choices())
    alert_delivery = SelectField(_l("Alert e-mails"), choices=labelled(DELIVERY_LABELS))


class NewPasswordForm(FlaskForm):
    """A new password, twice, checked against the policy for the account's address."""

    password = PasswordField(_l("New password"), validators=[DataRequired()],
                             description=_l("At least %(min)d characters, not easy to guess: a "
                                            "few unrelated words work well.", min=MIN_LENGTH),
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Repeat the new password"), validators=[
        EqualTo("password", message=_l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"})

    def __init__(self, account_email, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.account_email = account_email

    def validate_password(self, field):
        problem = password_problem(field.data, self.account_email)
        if problem:
            raise ValidationError(_(problem, **PARAMETERS))


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(),
                                                                Length(max=200)],
                            render_kw={"autocomplete": "current-password"})


class ForgotPasswordForm(FlaskForm):
    # no address syntax check: an address no account has gets the same answer anyway
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254),
                                                 no_control_characters],
                       render_kw={"autocomplete": "email"})
