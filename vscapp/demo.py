"""`vsc demo users` and `vsc demo events`: demo accounts and a plausible year of activities,
for trying vscapp out. Never on a production database."""

import secrets
from datetime import date

import click
from flask import current_app
from sqlalchemy import func, select

from vscapp.events import checks
from vscapp.events import services as events
from vscapp.events.models import Event
from vscapp.extensions import db
from vscapp.permissions import may_record
from vscapp.users import services as accounts
from vscapp.users.passwords import password_problem
from vscapp.vocabulary import Role


@click.group("demo")
def demo_cli():
    """Demo data for trying vscapp out. Never on a production database."""
    if current_app.config.get("ENV_NAME") == "production":
        raise click.ClickException("vsc demo writes demo accounts and made-up activities: it "
                                   "does not run in production (VSC_ENV=production)")


DEMO_ACCOUNTS = {
    Role.OFFICER: "officer@demo.vsc",
    Role.COORDINATOR: "coordinator@demo.vsc",
    Role.LIAISON: "liaison@demo.vsc",
}


@demo_cli.command("users")
def demo_users_command():
    """Create (or reset) one demo account per role and print their passwords."""
    for role, email in DEMO_ACCOUNTS.items():
        password = demo_password(email)
        user = accounts.user_by_email(email)
        if user is None:
            accounts.create_user(email, role, password)
        else:
            accounts.set_password(user, password, via="demo")
            accounts.update_user(user, {"role": role.value, "active": True})
        click.echo(f"{role.value:12} {email:24} {password}")
    db.session.commit()


def demo_password(email):
    """A random password the policy accepts (16 URL-safe characters nearly always are)."""
    while True:
        password = secrets.token_urlsafe(12)
        if password_problem(password, email) is None:
            return password


# (type, month, day, quantity, participants): a plausible 2023, some targets met, some not.
DEMO_EVENTS_2023 = [
    *[("individual_consultation", month, 12, 1, None) for month in range(1, 13) if month != 8],
    ("awareness_session", 3, 15, 1, 12), ("awareness_session", 10, 10, 1, 8),
    ("colloquium_participation", 2, 20, 1, None), ("colloquium_participation", 9, 12, 1, None),
    *[("subgroup_participation", m, d, 1, None) for m, d in ((1, 25), (4, 26), (6, 21), (11, 15))],
    *[("csil_meeting", m, d, 1, None) for m, d in ((3, 7), (6, 6), (9, 5), (12, 5))],
    ("police_contact", 5, 3, 1, None),
    *[("project", m, 1, 1, None) for m in (2, 4, 5, 7, 9, 11)],
    ("listening_space_opened", 4, 3, 1, None), ("extralocal_relations", 6, 1, 1, None),
    ("expertise_strengthened", 11, 20, 1, None), ("field_observation", 7, 10, 1, None),
]


@demo_cli.command("events")
def demo_events_command():
    """Record a plausible year 2023 of activities under the demo accounts."""
    if db.session.scalar(select(func.count(Event.id)).where(
            Event.occurred_on.between(date(2023, 1, 1), date(2023, 12, 31)))):
        click.echo("2023 already has activities; nothing added.")
        return
    recorders = {role: accounts.user_by_email(email) for role, email in DEMO_ACCOUNTS.items()}
    if None in recorders.values():
        raise click.ClickException("run `vsc demo users` first")
    for code, month, day, quantity, participants in DEMO_EVENTS_2023:
        event_type = events.type_by_code(code)
        # police matters by the liaison, the rest by the prevention officer
        user = recorders[Role.OFFICER if event_type.social_prevention else Role.LIAISON]
        values = checks.EventValues(event_type, date(2023, month, day), quantity, participants)
        problems = checks.problems(values)
        if problems or not may_record(user, event_type):
            raise click.ClickException(f"demo activity {code} on {values.occurred_on} refused: "
                                       f"{', '.join(map(str, problems.values())) or user.email}")
        events.record_event(values, user)
    db.session.commit()
    click.echo(f"Recorded {len(DEMO_EVENTS_2023)} demo activities in 2023.")
