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


def comment_field_name(code):
    return f"comment-{code}"


class CommentsForm(FlaskForm):
    """The comments on every indicator of the report, saved together with one button."""

    codes: tuple = ()

    def texts(self):
        """{indicator code: the comment as typed}."""
        return {code: self[comment_field_name(code)].data or "" for code in self.codes}


def comments_form(texts):
    """A CommentsForm for these indicators ({code: the stored comment}): on a POST it holds
    what was typed, so nothing typed is lost when one comment is refused."""
    fields = {comment_field_name(code): TextAreaField(
        _l("Comment on %(code)s", code=code),
        validators=[Optional(), Length(max=2000), NoPersonalData()]) for code in texts}
    form_class = type("IndicatorCommentsForm", (CommentsForm,),
                      {**fields, "codes": tuple(texts)})
    return form_class(data={comment_field_name(code): text for code, text in texts.items()})
