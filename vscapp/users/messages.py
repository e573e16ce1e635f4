"""Account e-mails, plain text and HTML, in the recipient's language: the link to choose a
password, and the notice that a directory account's password is the directory's."""

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from vscapp.mail import build
from vscapp.users import links
from vscapp.users.passwords import MIN_LENGTH

# Why a link is sent: a new account, the coordinator's reset, or the forgot-password form.
WELCOME, RESET, FORGOT = "welcome", "reset", "forgot"


def link_url(user, config):
    return f"{config['BASE_URL'].rstrip('/')}/password/{links.make_token(user)}"


def compose_password_link(user, purpose, config):
    """The message with a single-use link to choose a password."""
    with force_locale(user.language):
        subject = (_("[vscapp] Your new account: choose a password") if purpose == WELCOME
                   else _("[vscapp] Choose a new password"))
        context = {"user": user, "purpose": purpose, "url": link_url(user, config),
                   "hours": int(links.MAX_AGE.total_seconds() // 3600), "min_length": MIN_LENGTH}
        return build(config["MAIL_FROM"], user.email, subject,
                     render_template("email/password_link.txt", **context),
                     render_template("email/password_link.html", **context))


def compose_directory_notice(user, config):
    """For a directory account someone asked a reset for: vscapp does not hold its password."""
    with force_locale(user.language):
        return build(config["MAIL_FROM"], user.email,
                     _("[vscapp] Your password is your directory password"),
                     render_template("email/directory_password.txt", user=user),
                     render_template("email/directory_password.html", user=user))
