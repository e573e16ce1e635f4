"""`vsc events import` and `vsc totals rebuild`."""

from pathlib import Path

import click
from flask_babel import force_locale

from vscapp.events import daily_totals
from vscapp.events.importer import ImportRejected, import_events
from vscapp.extensions import db
from vscapp.users.services import user_by_email


@click.group("events")
def events_cli():
    """Activities."""


@events_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "email", required=True, help="The account the rows are recorded under.")
def import_command(path, email):
    """Load a CSV register (columns in the README); all rows or none."""
    user = user_by_email(email)
    if user is None or not user.active:
        raise click.ClickException(f"no active account {email}")
    try:
        with force_locale(user.language):  # the report of bad rows reads in their language
            recorded = import_events(path, user)
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{path}: not UTF-8 text ({exc.reason})") from None
    except ImportRejected as exc:
        db.session.rollback()
        for error in exc.errors:
            click.echo(f"{path}: {error}", err=True)
        if exc.count > len(exc.errors):
            click.echo(f"{path}: ... and {exc.count - len(exc.errors)} more", err=True)
        raise click.ClickException(f"{exc.count} error(s); nothing was imported") from None
    db.session.commit()
    click.echo(f"Imported {recorded} activities from {path.name}.")


@click.group("totals")
def totals_cli():
    """The daily totals per activity type that every count reads."""


@totals_cli.command("rebuild")
def rebuild_command():
    """Recount the daily totals from the events; say whether they differed, and where."""
    differences = daily_totals.rebuild()
    db.session.commit()
    for difference in differences:
        click.echo(str(difference))
    if differences:
        click.echo(f"The daily totals differed from the events on {len(differences)} "
                   "day(s) and type(s); they are recounted.")
    else:
        click.echo("The daily totals matched the events; recounted all the same.")
