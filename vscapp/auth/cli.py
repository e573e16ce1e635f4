"""`vsc users create` and `vsc demo users`."""

import secrets
import sys

import click

from vscapp.auth import services
from vscapp.extensions import db
from vscapp.permissions import Role


@click.group("users")
def users_cli():
    """Accounts."""


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--language", type=click.Choice(["nl", "fr"]), default="nl", show_default=True)
def create_command(email, role, language):
    """Create an account; the password is asked for, or read from standard input."""
    if "@" not in email:
        raise click.ClickException(f"{email!r} is not an e-mail address")
    if services.user_by_email(email):
        raise click.ClickException(f"an account for {email} already exists")
    password = _read_password()
    problem = services.password_problem(password)
    if problem:
        raise click.ClickException(f"password too short: {problem}")
    services.create_user(email, role, password, language)
    db.session.commit()
    click.echo(f"Created {email} ({role}).")


def _read_password():
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


@click.group("demo")
def demo_cli():
    """Demo data for trying vscapp out. Never on a production database."""


DEMO_ACCOUNTS = {
    Role.OFFICER: "officer@demo.vsc",
    Role.COORDINATOR: "coordinator@demo.vsc",
    Role.LIAISON: "liaison@demo.vsc",
}


@demo_cli.command("users")
def demo_users_command():
    """Create (or reset) one demo account per role and print their passwords."""
    for role, email in DEMO_ACCOUNTS.items():
        password = secrets.token_urlsafe(9)
        user = services.user_by_email(email)
        if user is None:
            services.create_user(email, role, password)
        else:
            services.set_password(user, password)
            services.update_user(user, {"role": role.value, "active": True})
        click.echo(f"{role.value:12} {email:24} {password}")
    db.session.commit()
