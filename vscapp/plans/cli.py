"""`vsc plan import` and `vsc plan export`."""

import json
import sys
from pathlib import Path

import click
from flask_babel import force_locale

from vscapp.extensions import db
from vscapp.plans.parser import PlanFormatError, decode, parse_plan
from vscapp.plans.services import PlanMismatchError, export_plan, import_plan, plan_for_year
from vscapp.vocabulary import CONTENT_LANGUAGES


@click.group("plan")
def plan_cli():
    """The yearly plan: import it from the ministry's document, export it as data."""


@plan_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--restructure", is_flag=True, help="Accept a document whose structure differs "
              "from the plan already imported in the other language (a corrected plan).")
def import_command(path, restructure):
    """Import or update the plan in PATH (markdown, Dutch or French); all or nothing.

    Importing the plan's document in the other language adds its texts to the same rows; it
    must have the same structure (codes, kinds, targets), unless --restructure."""
    try:
        parsed = parse_plan(decode(path.read_bytes()))
    except PlanFormatError as exc:
        for line, message in exc.errors:
            click.echo(f"{path}:{line}: {message}", err=True)
        raise click.ClickException(f"{len(exc.errors)} error(s); nothing was imported") from None
    try:
        report = import_plan(parsed, source=path.name, restructure=restructure)
    except PlanMismatchError as exc:
        db.session.rollback()
        with force_locale("en"):  # the command line speaks English, as its other messages
            for message in exc.messages:
                click.echo(f"{path}: {message}", err=True)
        raise click.ClickException("if the plan itself changed, import it with --restructure, "
                                   "then its document in the other language") from None
    db.session.commit()
    click.echo(report.summary())


@plan_cli.command("export")
@click.option("--year", type=int, required=True, help="The plan's year.")
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
@click.option("--lang", type=click.Choice(CONTENT_LANGUAGES), help="Text language (default: the "
              "language the plan was first imported in).")
def export_command(year, fmt, lang):
    """Print the plan of YEAR as JSON: sectors, objectives, results, indicators."""
    plan = plan_for_year(year)
    if plan is None:
        raise click.ClickException(f"no plan for {year}; import it with `vsc plan import`")
    json.dump(export_plan(plan, lang), sys.stdout, ensure_ascii=False, indent=2)
    click.echo()
