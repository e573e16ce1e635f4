"""Form helpers shared by the features."""

from wtforms.fields.choices import SelectChoice


def choices(pairs):
    """SelectField choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]
