"""The activity form, also used to validate each row of a CSV import."""

from datetime import date

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

from vscapp.events.privacy import case_ref_problem, personal_data_in
from vscapp.forms import choices

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class EventForm(FlaskForm):
    event_type = SelectField(_l("Activity"), validators=[DataRequired()])
    occurred_on = DateField(_l("Date"), format=DATE_FORMATS, validators=[InputRequired()])
    quantity = IntegerField(_l("Quantity"), default=1,
                            validators=[InputRequired(), NumberRange(min=1, max=1000)])
    participants = IntegerField(_l("Participants"),
                                validators=[Optional(), NumberRange(min=0, max=100000)])
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

    def validate_occurred_on(self, field):
        if field.data is None:
            return  # unreadable: DateField has said so already
        if field.data > date.today():
            raise ValidationError(_l("An activity cannot be recorded in the future."))
        if field.data.year < 2000:
            raise ValidationError(_l("Give a date from 2000 on."))

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        return self._participants_fit_the_type() and valid

    def _participants_fit_the_type(self):
        """Checked here, not in validate_participants: Optional() skips an empty field."""
        event_type, field = self.chosen_type, self.participants
        if event_type is None or field.errors:
            return True
        if event_type.needs_participants and field.data is None:
            field.errors.append(_l("Give the number of participants of this activity."))
        elif not event_type.needs_participants and field.data is not None:
            field.errors.append(_l("This activity does not count participants: leave it empty."))
        return not field.errors

    def validate_note(self, field):
        found = personal_data_in(field.data)
        if found:
            raise ValidationError(_l("The note seems to hold %(what)s. Describe the activity, "
                                     "not the person.", what=found))

    def validate_case_ref(self, field):
        problem = case_ref_problem(field.data)
        if problem:
            raise ValidationError(problem)


class VoidForm(FlaskForm):
    reason = TextAreaField(_l("Why is this record void?"),
                           validators=[DataRequired(), Length(min=3, max=500)])


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
    name_nl = StringField(_l("Name (Dutch)"), validators=[DataRequired(), Length(max=120)])
    name_fr = StringField(_l("Name (French)"), validators=[DataRequired(), Length(max=120)])
    sector = SelectField(_l("Activity sector"), coerce=int,
                         choices=choices([(1, _l("1: municipal projects")),
                                          (2, _l("2: police zone"))]))
    social_prevention = BooleanField(_l("Social-prevention record (details hidden from the "
                                        "police liaison)"))
    needs_participants = BooleanField(_l("Counts participants"))
    active = BooleanField(_l("In use"), default=True)
