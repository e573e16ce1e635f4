"""Forms of the coordinator's rules workflow."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileSize
from wtforms import DateField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from vscapp.engine.rulesfile import MAX_BYTES
from vscapp.forms import NoPersonalData, choices
from vscapp.plans.models import NodeKind
from vscapp.vocabulary import ATTENTION_ORDER, STATUS_LABELS


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
