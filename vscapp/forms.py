"""Form helpers shared by the features."""

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

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
