"""The sign-in form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from vscapp.forms import no_control_characters


class LoginForm(FlaskForm):
    # `email` holds a local account's address or, with a directory, a directory user name
    email = StringField(_l("E-mail"), validators=[DataRequired(), Length(max=254),
                                                  no_control_characters],
                        render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})

    def for_directory(self):
        """With a directory, the first field takes a directory user name too."""
        self.email.label.text = _l("E-mail or directory user name")
        return self
