"""Acknowledging an alert; choosing how one receives alerts."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from vscapp.auth.forms import LANGUAGE_CHOICES
from vscapp.forms import choices


class AcknowledgeForm(FlaskForm):
    comment = TextAreaField(_l("Comment"), validators=[DataRequired(), Length(min=2, max=2000)])


class LanguageForm(FlaskForm):
    language = SelectField(_l("Language"), choices=choices(LANGUAGE_CHOICES))
    next = HiddenField()


class AccountForm(FlaskForm):
    language = SelectField(_l("Language"), choices=choices(LANGUAGE_CHOICES))
    alert_delivery = SelectField(_l("Alert e-mails"), choices=choices([
        ("immediate", _l("One e-mail per alert, at once")),
        ("weekly", _l("A weekly digest"))]))
