"""Activity forms: recording and correcting, voiding, the list's filters, activity types."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
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
from vscapp.events.listing import Cursor, Filters
from vscapp.forms import NoPersonalData, choices

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class EventForm(FlaskForm):
    event_type = SelectField(_l("Activity"),
                             validators=[DataRequired(message=_l("Choose an activity."))])
    occurred_on = DateField(_l("Date"), format=DATE_FORMATS, validators=[InputRequired()])
    outside_plans = BooleanField(_l("Yes, this date is right"))
    quantity = IntegerField(_l("Quantity"), default=1, validators=[
        InputRequired(), NumberRange(min=1, max=checks.MAX_QUANTITY)],
        description=_l("How many times this activity took place that day: 1 for one session "
                       "or one consultation, 3 for three."))
    participants = IntegerField(_l("Participants"), validators=[
        Optional(), NumberRange(min=0, max=checks.MAX_PARTICIPANTS)])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=500)],
                         description=_l("No names, addresses, national numbers or other "
                                        "personal data: describe the activity, not the person."))
    case_ref = StringField(_l("Case reference"), validators=[Optional(), Length(max=30)],
                           description=_l("Optional opaque code of the file, never a name."))
    another = SubmitField(_l("Save and record another"))

    def __init__(self, types, *args, lang="nl", most_used=(), plan_years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.types = {t.code: t for t in types}
        self.plan_years = plan_years
        self.event_type.choices = type_choices(types, lang, most_used)
        counting = [t.name(lang) for t in types if t.needs_participants]
        self.participants.description = (
            _l("Required for: %(types)s. Leave it empty for the other activities.",
               types=", ".join(counting)) if counting else None)

    @property
    def needs_confirmation(self):
        """Whether the date lies outside every plan year (and was not confirmed yet)."""
        return bool(self.occurred_on.data and self.plan_years
                    and self.occurred_on.data.year not in self.plan_years)

    @property
    def asks_confirmation(self):
        """Whether to show the box that confirms a date outside every plan year."""
        return self.needs_confirmation and bool(self.occurred_on.errors
                                                or self.outside_plans.data)

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
        if valid and self.needs_confirmation and not self.outside_plans.data:
            self.occurred_on.errors.append(checks.outside_plans_message(
                self.occurred_on.data, self.plan_years))
            valid = False
        return valid


def type_choices(types, lang, most_used=()):
    """The picker: a prompt first, then the reader's most used types, then the rest by
    sector. `most_used` are type codes, most used first."""
    sectors = {1: _l("Sector 1: municipal projects"), 2: _l("Sector 2: police zone")}
    by_code = {t.code: t for t in types}
    first = [by_code[code] for code in most_used if code in by_code]
    mine = _l("Your most used")
    return ([SelectChoice("", _l("Choose an activity"))]
            + [SelectChoice(t.code, t.name(lang), optgroup=mine) for t in first]
            + [SelectChoice(t.code, t.name(lang), optgroup=sectors[t.sector])
               for t in types if t not in first])


class NextRecordForm(FlaskForm):
    """The type and date that "Save and record another" keeps, read from the query string."""

    class Meta:
        csrf = False  # it only fills in a blank form

    event_type = StringField(validators=[Optional(), Length(max=40)])
    occurred_on = DateField(validators=[Optional()])


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


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


class EventFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    event_type = SelectField(_l("Activity"), validators=[Optional()])
    text = StringField(_l("Text in the note or case reference"),
                       validators=[Optional(), Length(min=3, max=100)], filters=[_stripped])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    recorded_by = SelectField(_l("Recorded by"), validators=[Optional()], choices=choices(
        [("", _l("Anyone")), ("me", _l("Me"))]))
    sort = SelectField(_l("Order"), validators=[Optional()], choices=choices(
        [("", _l("Newest first")), ("oldest", _l("Oldest first"))]))
    show_voided = BooleanField(_l("Show voided records"))
    after = StringField(validators=[Optional(), Length(max=30)])
    FILTERS = ("event_type", "text", "date_from", "date_to", "recorded_by", "sort",
               "show_voided")  # `after` is where the page starts, not a filter

    def __init__(self, formdata, types, lang):
        super().__init__(formdata)
        self.types = {t.code: t for t in types}
        self.event_type.choices = choices(
            [("", _l("All"))] + [(t.code, t.name(lang)) for t in types])

    def filters(self):
        """The list's Filters from valid input; a field that is not valid narrows nothing."""
        def valid(field):
            return field.data if not field.errors else None

        chosen = self.types.get(valid(self.event_type) or "")
        return Filters(type_id=chosen.id if chosen else None, date_from=valid(self.date_from),
                       date_to=valid(self.date_to), text=valid(self.text) or None,
                       mine=valid(self.recorded_by) == "me",
                       oldest_first=valid(self.sort) == "oldest",
                       show_voided=bool(valid(self.show_voided)))

    def cursor(self):
        return Cursor.parse(self.after.data) if not self.after.errors else None

    @property
    def in_use(self):
        """How many filters narrow the list (a value not understood narrows nothing)."""
        return sum(1 for name in self.FILTERS if self[name].data and not self[name].errors)

    @property
    def narrowed(self):
        """Whether anything beyond the defaults was asked for."""
        return self.in_use > 0


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
