"""`vsc users create`."""

import sys

import click

from vscapp.extensions import db
from vscapp.users import services
from vscapp.users.passwords import in_english, password_problem
from vscapp.vocabulary import UI_LANGUAGES, Role


@click.group("users")
def users_cli():
    """Accounts."""


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--language", type=click.Choice(UI_LANGUAGES), default="nl",
              show_default=True)
def create_command(email, role, language):
    """Create an account; the password is asked for, or read from standard input.

    The password policy applies: at least 12 characters, not easy to guess, not containing
    the address.
    """
    if "@" not in email:
        raise click.ClickException(f"{email!r} is not an e-mail address")
    if services.user_by_email(email):
        raise click.ClickException(f"an account for {email} already exists")
    password = _read_password()
    problem = password_problem(password, email)
    if problem:
        raise click.ClickException(f"password refused: {in_english(problem)}")
    services.create_user(email, role, password, language)
    db.session.commit()
    click.echo(f"Created {email} ({role}).")


def _read_password():
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")
