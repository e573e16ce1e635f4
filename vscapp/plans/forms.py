"""Forms of the plan's import from the browser: upload a document, then confirm it."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, FileSize
from wtforms import BooleanField, HiddenField
from wtforms.validators import DataRequired, Length

from vscapp.plans.parser import MAX_BYTES


class PlanUploadForm(FlaskForm):
    document = FileField(_l("The plan document (markdown, in Dutch or French)"),
                         validators=[FileRequired(_l("Choose the plan document.")),
                                     FileSize(max_size=MAX_BYTES)])


class PlanConfirmForm(FlaskForm):
    """The checked document, carried to the confirmation (parsed again there)."""

    text = HiddenField(validators=[DataRequired(), Length(max=MAX_BYTES)])
    filename = HiddenField(validators=[Length(max=200)])
    restructure = BooleanField(_l("The plan itself changed: import this document anyway, as "
                                  "the corrected plan (then import it in the other language "
                                  "too)."))
