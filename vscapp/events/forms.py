"""Activity forms: recording and correcting, voiding, the list's filters, activity types."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from vscapp.events import checks
from vscapp.forms import NoPersonalData, choices

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class EventForm(FlaskForm):
    event_type = SelectField(_l("Activity"), validators=[DataRequired()])
    occurred_on = DateField(_l("Date"), format=DATE_FORMATS, validators=[InputRequired()])
    quantity = IntegerField(_l("Quantity"), default=1, validators=[
        InputRequired(), NumberRange(min=1, max=checks.MAX_QUANTITY)])
    participants = IntegerField(_l("Participants"), validators=[
        Optional(), NumberRange(min=0, max=checks.MAX_PARTICIPANTS)])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=500)],
                         description=_l("No names, addresses, national numbers or other "
                                        "personal data: describe the activity, not the person."))
    case_ref = StringField(_l("Case reference"), validators=[Optional(), Length(max=30)],
                           description=_l("Optional opaque code of the file, never a name."))

    def __init__(self, types, *args, lang="nl", **kwargs):
        super().__init__(*args, **kwargs)
        self.types = {t.code: t for t in types}
        sectors = {1: _l("Sector 1: municipal projects"), 2: _l("Sector 2: police zone")}
        self.event_type.choices = [SelectChoice(t.code, t.name(lang), optgroup=sectors[t.sector])
                                   for t in types]

    @property
    def chosen_type(self):
        return self.types.get(self.event_type.data)

    def values(self):
        """What was typed, as the services take it (after validation)."""
        return checks.EventValues(self.chosen_type, self.occurred_on.data, self.quantity.data,
                                  self.participants.data, self.note.data, self.case_ref.data)

    def validate(self, extra_validators=None):
        """The fields one by one, then the checks every way of recording shares."""
        valid = super().validate(extra_validators)
        for name, message in checks.problems(self.values()).items():
            field = getattr(self, name)
            if not field.errors:
                field.errors.append(message)
                valid = False
        return valid


class VoidForm(FlaskForm):
    reason = TextAreaField(_l("Why is this record void?"),
                           validators=[DataRequired(), Length(min=3, max=500), NoPersonalData()])


class RedactForm(FlaskForm):
    note = BooleanField(_l("Note"))
    case_ref = BooleanField(_l("Case reference"))
    reason = TextAreaField(_l("Why must this text be erased?"),
                           validators=[DataRequired(), Length(min=3, max=500), NoPersonalData()])

    def validate_reason(self, field):
        if not self.fields():
            raise ValidationError(_l("Choose the note, the case reference or both."))

    def fields(self):
        """The names of the fields chosen for erasure."""
        return [name for name in ("note", "case_ref") if self[name].data]


class EventFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    event_type = SelectField(_l("Activity"), validators=[Optional()])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    show_voided = BooleanField(_l("Show voided records"))


class EventTypeForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40), Regexp(
        r"^[a-z][a-z0-9_]*$", message=_l("Lower-case letters, digits and '_' only."))])
    name_nl = StringField(_l("Name (Dutch)"),
                          validators=[DataRequired(), Length(max=120), NoPersonalData()])
    name_fr = StringField(_l("Name (French)"),
                          validators=[DataRequired(), Length(max=120), NoPersonalData()])
    sector = SelectField(_l("Activity sector"), coerce=int,
                         choices=choices([(1, _l("1: municipal projects")),
                                          (2, _l("2: police zone"))]))
    social_prevention = BooleanField(_l("Social-prevention record (details hidden from the "
                                        "police liaison)"))
    needs_participants = BooleanField(_l("Counts participants"))
    active = BooleanField(_l("In use"), default=True)

    def values(self):
        """The typed values by field name, as services.save_event_type takes them."""
        return {name: field.data for name, field in self._fields.items()
                if name != "csrf_token"}
