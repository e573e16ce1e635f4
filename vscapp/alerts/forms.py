"""Acknowledging an alert."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from vscapp.forms import NoPersonalData


class AcknowledgeForm(FlaskForm):
    comment = TextAreaField(_l("Comment"),
                            validators=[DataRequired(), Length(min=2, max=2000), NoPersonalData()])
