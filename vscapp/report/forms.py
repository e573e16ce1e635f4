"""Report options and the coordinator's comment."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import Length, Optional

from vscapp.forms import choices
from vscapp.targets.forms import AsOfForm


class ReportForm(AsOfForm):
    lang = SelectField(_l("Language of the report"), validators=[Optional()],
                       choices=choices([("nl", "Nederlands"), ("fr", "Français")]))

    def __init__(self, *args, lang="nl", **kwargs):
        super().__init__(*args, **kwargs)
        if not self.lang.data or self.lang.data not in ("nl", "fr"):
            self.lang.data = lang if lang in ("nl", "fr") else "nl"


class CommentForm(FlaskForm):
    text = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=2000)])
