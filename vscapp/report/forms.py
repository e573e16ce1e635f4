"""Report options and the coordinator's comment."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import Length, Optional

from vscapp.forms import NoPersonalData, choices
from vscapp.targets.forms import AsOfForm
from vscapp.vocabulary import (
    CONTENT_LANGUAGES,
    DEFAULT_LANGUAGE,
    LANGUAGE_NAMES,
    content_language,
)


class ReportForm(AsOfForm):
    lang = SelectField(_l("Language of the report"), validators=[Optional()],
                       choices=choices((lang, LANGUAGE_NAMES[lang])
                                       for lang in CONTENT_LANGUAGES))

    def __init__(self, *args, lang=DEFAULT_LANGUAGE, **kwargs):
        super().__init__(*args, **kwargs)
        if self.lang.data not in CONTENT_LANGUAGES:
            self.lang.data = content_language(lang)


class CommentForm(FlaskForm):
    text = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=2000), NoPersonalData()])
