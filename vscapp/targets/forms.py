"""Forms of the coordinator's rules workflow."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileSize
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget, NumberInput

from vscapp.documents import MAX_TARGET
from vscapp.engine.rulesfile import MAX_BYTES, MAX_TEXT
from vscapp.forms import NoPersonalData, choices, labelled
from vscapp.plans.models import NodeKind
from vscapp.targets.editing import IndicatorTargets, YearTargets
from vscapp.vocabulary import (
    ATTENTION_ORDER,
    MEASURE_LABELS,
    PACE_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
    Role,
)


class RulesForm(FlaskForm):
    content = TextAreaField(_l("Rules file (YAML)"), validators=[Optional()])
    upload = FileField(_l("…or upload a file"), validators=[FileSize(max_size=MAX_BYTES)])

    def text(self):
        """The uploaded file if there is one, else the text area; None if neither."""
        if self.upload.data:
            raw = self.upload.data.read()
            try:
                return raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                self.upload.errors.append(_l("The file is not UTF-8 text."))
                return None
        if not (self.content.data or "").strip():
            self.content.errors.append(_l("Paste a rules file or upload one."))
            return None
        return self.content.data.replace("\r\n", "\n")


class ActivateForm(FlaskForm):
    reason = TextAreaField(_l("Why do these rules apply from now on?"),
                           validators=[DataRequired(), Length(min=3, max=2000), NoPersonalData()])


class AsOfForm(FlaskForm):
    class Meta:
        csrf = False

    as_of = DateField(_l("Evaluation date"), validators=[Optional()])


class DashboardFilterForm(AsOfForm):
    status = SelectField(_l("Status"), validators=[Optional()], choices=choices(
        [("", _l("All"))] + [(s.value, _l(STATUS_LABELS[s])) for s in ATTENTION_ORDER]))
    strategic = SelectField(_l("Strategic objective"), validators=[Optional()])

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        strategic = [n.code for n in plan.nodes
                     if n.kind == NodeKind.STRATEGIC and not n.retired_at]
        self.strategic.choices = choices([("", _l("All"))] + [(c, c) for c in strategic])

    def keeps(self, row):
        """Whether a dashboard row passes the chosen filters."""
        return ((not self.status.data or row.result.status == self.status.data)
                and (not self.strategic.data or row.strategic.code == self.strategic.data))


class CheckboxesField(SelectMultipleField):
    """A choice of several, as checkboxes (usable on a phone, no JavaScript)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PercentField(IntegerField):
    """A share typed as a percentage (50 or 33,33), held as a share of 1 (0.5, 0.3333)."""

    widget = NumberInput(step="any", min=0, max=100)

    def process_formdata(self, valuelist):
        self.data = None
        text = (valuelist[0] if valuelist else "").strip().replace(",", ".").rstrip("%").strip()
        if not text:
            return
        if not re.fullmatch(r"\d{1,3}(\.\d{1,2})?", text) or float(text) > 100:
            raise ValueError(_l("Give a percentage from 0 to 100, at most two decimals."))
        self.data = round(float(text) / 100, 4)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else f"{self.data * 100:.2f}".rstrip("0").rstrip(".")


# Where a rules file's error about an indicator's key shows in its part of the form.
FIELD_OF_KEY = {"measure": "how", "field": "how", "events": "events", "target": "target",
                "pace": "pace", "due": "due", "quarters": "q4", "note": "note"}
EMAIL_LIST = re.compile(r"[\s,;]+")


class AlertsForm(Form):
    """Who is e-mailed when an indicator goes at risk, and when off target."""

    at_risk = CheckboxesField(_l("At risk: roles"), choices=labelled(ROLE_LABELS))
    at_risk_others = StringField(_l("At risk: other accounts (e-mail addresses)"),
                                 validators=[Length(max=1000)])
    off_target = CheckboxesField(_l("Off target: roles"), choices=labelled(ROLE_LABELS))
    off_target_others = StringField(_l("Off target: other accounts (e-mail addresses)"),
                                    validators=[Length(max=1000)])

    def fill(self, alerts):
        for status in ("at_risk", "off_target"):
            recipients = (alerts or {}).get(status, ())
            self[status].data = [r for r in recipients if r in set(Role)]
            self[f"{status}_others"].data = ", ".join(r for r in recipients if r not in set(Role))

    def field_of(self, path):
        status = path[0] if path and path[0] in ("at_risk", "off_target") else "off_target"
        return self[f"{status}_others"]

    def value(self):
        alerts = {}
        for status in ("at_risk", "off_target"):
            others = [e for e in EMAIL_LIST.split(self[f"{status}_others"].data or "") if e]
            for address in others:
                if "@" not in address:
                    self[f"{status}_others"].errors.append(
                        _l("%(value)s is not an e-mail address.", value=address))
            if recipients := tuple(self[status].data or ()) + tuple(others):
                alerts[status] = recipients
        return alerts


class BandsForm(Form):
    on_track = PercentField(_l("On track from (% of the expected pace)"))
    at_risk = PercentField(_l("At risk from (% of the expected pace)"))

    def fill(self, bands):
        self.on_track.data, self.at_risk.data = bands or (None, None)

    def value(self, required):
        """(on_track, at_risk), or None when both are empty and `required` is false."""
        on_track, at_risk = self.on_track.data, self.at_risk.data
        if self.on_track.errors or self.at_risk.errors:
            return None
        if on_track is None and at_risk is None and not required:
            return None
        if on_track is None or at_risk is None:
            (self.on_track if on_track is None else self.at_risk).errors.append(
                _l("Give both shares, or neither."))
            return None
        if not 0 < at_risk < on_track:
            self.at_risk.errors.append(_l("At risk must be above 0 and below on track."))
            return None
        return on_track, at_risk


class IndicatorTargetsForm(Form):
    """One indicator of the year: what counts, how much, by when, who is told."""

    code = HiddenField()
    how = SelectField(_l("What is measured"), choices=choices(
        [("", _l("— to set —"))]) + labelled(MEASURE_LABELS))
    events = CheckboxesField(_l("Activity types that count"))
    target = IntegerField(_l("Target"), validators=[Optional(), NumberRange(1, MAX_TARGET)])
    pace = SelectField(_l("Pace"), choices=labelled(PACE_LABELS))
    due = DateField(_l("Due date"), validators=[Optional()])
    q1 = PercentField(_l("% due by the end of March"))
    q2 = PercentField(_l("% due by the end of June"))
    q3 = PercentField(_l("% due by the end of September"))
    q4 = PercentField(_l("% due by the end of the period"))
    bands = FormField(BandsForm, label=_l("Own bands (empty: those of the year)"))
    own_alerts = BooleanField(_l("Own alert recipients for this indicator"))
    alerts = FormField(AlertsForm, label=_l("Who is alerted"))
    note = TextAreaField(_l("Note for the reader"),
                         validators=[Optional(), Length(max=MAX_TEXT), NoPersonalData()])

    def fill(self, indicator):
        self.code.data = indicator.code
        self.how.data = indicator.how or ""
        self.events.data = list(indicator.events)
        self.target.data, self.pace.data, self.due.data = (
            indicator.target, indicator.pace, indicator.due)
        for field, share in zip((self.q1, self.q2, self.q3, self.q4),
                                indicator.quarters or (None,) * 4, strict=True):
            field.data = share
        self.bands.form.fill(indicator.bands)
        self.own_alerts.data = indicator.alerts is not None
        self.alerts.form.fill(indicator.alerts)
        self.note.data = indicator.note

    def value(self, start, end):
        """The IndicatorTargets typed in; field errors where something is missing or wrong."""
        how = self.how.data or None
        if how is None:
            self.how.errors.append(_l("Choose what is measured."))
        measure, _, sum_field = (how or "").partition(":")
        if not self.events.data:
            self.events.errors.append(_l("Choose at least one activity type."))
        if measure in ("count", "sum") and self.target.data is None and not self.target.errors:
            self.target.errors.append(_l("Give a target: a whole number of at least 1."))
        if measure == "milestone" and self.pace.data != "due":
            self.pace.errors.append(_l("A milestone is reached by a date: choose a due date."))
        return IndicatorTargets(
            self.code.data, measure or None, sum_field or None, tuple(self.events.data or ()),
            None if measure == "milestone" else self.target.data, self.pace.data,
            self.due_value(start, end), self.quarters_value(),
            self.bands.form.value(required=False),
            self.alerts.form.value() if self.own_alerts.data else None,
            (self.note.data or "").strip() or None)

    def field_of(self, path):
        """The field of this indicator an error path (target, alerts.off_target) is about."""
        key = path[0] if path else "measure"
        if key == "alerts":
            return self.alerts.form.field_of(path[1:])
        if key == "bands":
            return self.bands.form.at_risk
        return self[FIELD_OF_KEY.get(key, "how")]

    def due_value(self, start, end):
        if self.pace.data != "due":
            return None
        due = self.due.data or end
        if due and start and end and not start <= due <= end:
            self.due.errors.append(_l("Choose a date inside the period."))
        return due

    def quarters_value(self):
        if self.pace.data != "quarterly":
            return None
        fields = (self.q1, self.q2, self.q3, self.q4)
        shares = [f.data for f in fields]
        if any(f.errors for f in fields):
            return None
        if None in shares:
            self.q4.errors.append(_l("Give the four shares, as 25, 50, 75, 100."))
        elif any(b < a for a, b in zip(shares, shares[1:], strict=False)) or shares[-1] != 1:
            self.q4.errors.append(_l("The shares must grow quarter by quarter and end at 100."))
        return tuple(shares)


class YearTargetsForm(FlaskForm):
    """Every indicator of a year in one form; saving writes a new rules version."""

    decree = TextAreaField(_l("Decree"), validators=[DataRequired(), Length(max=MAX_TEXT)])
    start = DateField(_l("Period start"), validators=[DataRequired()])
    end = DateField(_l("Period end"), validators=[DataRequired()])
    bands = FormField(BandsForm, label=_l("Bands for every indicator"))
    alerts = FormField(AlertsForm, label=_l("Who is alerted, for every indicator"))
    indicators = FieldList(FormField(IndicatorTargetsForm))

    def __init__(self, *args, codes, event_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.codes = codes
        for entry in self.indicators:
            entry.form.events.choices = event_types

    def fill(self, targets):
        """Put a YearTargets in the form (on a first display, not over what was posted)."""
        self.decree.data, self.start.data, self.end.data = (
            targets.decree, targets.start, targets.end)
        self.bands.form.fill(targets.bands)
        self.alerts.form.fill(targets.alerts)
        for entry, code in zip(self.indicators, self.codes, strict=True):
            entry.form.fill(targets.indicator(code) or IndicatorTargets(code, to_set=True))

    def value(self, year):
        """The YearTargets typed in, or None with errors on the fields."""
        valid = self.validate()
        if [e.form.code.data for e in self.indicators] != self.codes:
            self.form_errors.append(_l("The plan changed while you were editing: "
                                       "open the form again."))
            return None
        start, end = self.start.data, self.end.data
        if start and end and (start.year != year or end.year != year or start >= end):
            self.end.errors.append(_l("The period must end after it starts, inside %(year)s.",
                                      year=year))
        targets = YearTargets(year, self.decree.data.strip(), start, end,
                              self.bands.form.value(required=True),
                              self.alerts.form.value(),
                              [e.form.value(start, end) for e in self.indicators])
        return targets if valid and not self.has_errors() else None

    def place_errors(self, errors):
        """Put each error of the rules file's validator next to its field, the rest above."""
        for error in errors:
            field = self.field_of(error.path.split("."))
            (field.errors if field is not None else self.form_errors).append(error.message)

    def field_of(self, path):
        """The field a validator's error path (indicators.CODE.target, bands.at_risk) is
        about, or None."""
        if path[0] == "indicators":
            for entry in self.indicators:
                code = entry.form.code.data.split(".")
                if path[1:1 + len(code)] == code:
                    return entry.form.field_of(path[1 + len(code):])
            return None
        top = {"decree": self.decree, "period": self.end, "bands": self.bands.form.at_risk}
        if path[0] == "alerts":
            return self.alerts.form.field_of(path[1:])
        return top.get(path[0])

    def codes_with_errors(self):
        """The indicators whose fields hold an error (their part of the form opens)."""
        return {e.form.code.data for e in self.indicators if any(f.errors for f in _leaves(e.form))}

    def has_errors(self):
        return any(f.errors for f in _leaves(self)) or bool(self.form_errors)


def _leaves(form):
    for field in form:
        if isinstance(field, FieldList):
            for entry in field:
                yield from _leaves(entry.form)
        elif isinstance(field, FormField):
            yield from _leaves(field.form)
        else:
            yield field
