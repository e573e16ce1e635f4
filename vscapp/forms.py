"""Form helpers shared by the features."""

import re

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from vscapp.privacy import personal_data_in
from vscapp.vocabulary import LANGUAGE_NAMES, UI_LANGUAGES


def choices(pairs):
    """SelectField choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def labelled(labels):
    """SelectField choices from a vocabulary label table, translated when shown."""
    return [SelectChoice(str(value), _l(label)) for value, label in labels.items()]


def language_choices():
    """The interface languages, each named in itself."""
    return choices((lang, LANGUAGE_NAMES[lang]) for lang in UI_LANGUAGES)


class PersonalDataFound(str):
    """A field error saying what personal data the text holds (see `personal_data_error`)."""


class NoPersonalData:
    """Refuses a text that seems to hold personal data, naming the kind found."""

    def __call__(self, form, field):
        message = personal_data_in(field.data)
        if message:
            raise ValidationError(PersonalDataFound(message))


def personal_data_error(field):
    """What NoPersonalData found in a field, for pages that flash one message, or None."""
    return next((e for e in field.errors if isinstance(e, PersonalDataFound)), None)


CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def no_control_characters(form, field):
    """Validator: no NUL, newline or other control character (PostgreSQL refuses NUL in text,
    and no address or user name holds one)."""
    if field.data and CONTROL_CHARACTERS.search(field.data):
        raise ValidationError(_l("This field holds a character that is not allowed."))
