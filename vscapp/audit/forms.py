"""The audit trail's filter: in words, never action codes."""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields import DateField
from wtforms.validators import Length, Optional, Regexp

from vscapp.audit.readable import who
from vscapp.audit.words import ACTIONS, OBJECTS, READ_ACTIONS
from vscapp.forms import choices

CHANGES, READS = "changes", "reads"


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    kind = SelectField(_l("Show"), validators=[Optional()], choices=choices([
        (CHANGES, _l("Changes")), (READS, _l("Reads of social-prevention records"))]))
    action = SelectField(_l("Kind of action"), validators=[Optional()])
    person = SelectField(_l("Person"), validators=[Optional()])
    entity_type = SelectField(_l("Object"), validators=[Optional()])
    entity_id = StringField(_l("Number"), validators=[Optional(), Length(max=40), Regexp(
        r"^#?\d+$", message=_l("A number, such as 34."))])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", gettext("All"))]
        self.action.choices = choices(everything + sorted(
            ((code, gettext(words[0])) for code, words in ACTIONS.items()
             if code not in READ_ACTIONS), key=lambda pair: pair[1].lower()))
        self.person.choices = choices(everything + [(label, who(label)) for label in people])
        self.entity_type.choices = choices(everything + sorted(
            ((kind, gettext(words)) for kind, words in OBJECTS.items()),
            key=lambda pair: pair[1].lower()))

    def filters(self):
        """The filter's values as audit.services.entries takes them (all when invalid)."""
        if not self.validate():
            return {"reads": self.kind.data == READS}
        return {"reads": self.kind.data == READS, "action": self.action.data or None,
                "actor": self.person.data or None, "entity_type": self.entity_type.data or None,
                "entity_id": (self.entity_id.data or "").lstrip("#") or None,
                "date_from": self.date_from.data, "date_to": self.date_to.data}
