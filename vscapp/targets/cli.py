"""`vsc rules draft|validate|activate` and `vsc evaluate`."""

import json
from pathlib import Path

import click
from flask_babel import force_locale

from vscapp.clock import today
from vscapp.engine.rulesfile import RulesFileError, decode
from vscapp.extensions import db
from vscapp.privacy import personal_data_in
from vscapp.targets import services
from vscapp.targets.draft import DraftError, draft_rules
from vscapp.vocabulary import STATUS_LABELS, Status

FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.group("rules")
def rules_cli():
    """Each year's targets: rules files under rules/, validated, versioned and activated."""


def _fail(path, exc):
    for error in exc.errors:
        click.echo(f"{path}: {error}", err=True)
    raise click.ClickException(f"{len(exc.errors)} error(s)") from None


def _read(path):
    try:
        return decode(path.read_bytes())
    except RulesFileError as exc:
        _fail(path, exc)


def _check_or_fail(path, text):
    try:
        return services.check(text)
    except RulesFileError as exc:
        _fail(path, exc)


@rules_cli.command("draft")
@click.option("--year", type=int, required=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
def draft_command(year, output):
    """Write a draft rules file for YEAR from its imported plan, to review."""
    try:
        text = draft_rules(year)
    except DraftError as exc:
        raise click.ClickException(str(exc)) from None
    if output:
        if output.exists():
            raise click.ClickException(f"{output} exists; choose another name")
        output.write_text(text, encoding="utf-8")
        click.echo(f"Draft written to {output}; review it, then `vsc rules validate {output}`.")
    else:
        click.echo(text, nl=False)


@rules_cli.command("validate")
@click.argument("path", type=FILE)
def validate_command(path):
    """Check a rules file against its year's plan; list every error with its place."""
    ruleset = _check_or_fail(path, _read(path))
    measures = {}
    for rule in ruleset.indicators:
        measures[rule.measure] = measures.get(rule.measure, 0) + 1
    counts = ", ".join(f"{n} {m}" for m, n in sorted(measures.items()))
    click.echo(f"{path}: valid rules for {ruleset.year}: {len(ruleset.indicators)} indicators "
               f"({counts}), period {ruleset.start} to {ruleset.end}.")


@rules_cli.command("activate")
@click.argument("path", type=FILE)
@click.option("--reason", required=True, help="Why these rules apply from now on.")
def activate_command(path, reason):
    """Store PATH as a new version of its year's rules and make it the active one."""
    text = _read(path)
    _check_or_fail(path, text)
    if not reason.strip():
        raise click.ClickException("--reason must say why")
    if problem := personal_data_in(reason):
        with force_locale("en"):  # as the command's other messages
            raise click.ClickException(f"--reason: {problem}")
    version = services.save_version(text, source=path.name)
    if (active := services.active_version(version.year)) is not None and active.id == version.id:
        click.echo(f"Rules {version.year} version {version.number} are already active; "
                   "nothing changed.")
        return
    services.activate(version, reason)
    db.session.commit()
    click.echo(f"Rules {version.year} version {version.number} are active.")


def status_word(status):
    """The status as the terminal shows it: off target stands out in capitals."""
    word = STATUS_LABELS[status]
    return word.upper() if status == Status.OFF_TARGET else word


@click.command("evaluate")
@click.option("--year", type=int, required=True)
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]),
              help="Evaluation date (default: today).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
def evaluate_command(year, as_of, fmt):
    """Each indicator's status for YEAR at a date, under the active rules."""
    day = as_of.date() if as_of else today()
    try:
        results = services.evaluate_year(year, day)
    except (services.NoActiveRules, services.EvaluationFailed) as exc:
        raise click.ClickException(str(exc)) from None
    if fmt == "json":
        click.echo(json.dumps([r.as_dict() for r in results], indent=2))
        return
    click.echo(f"{'indicator':16} {'value':>6} {'target':>6} {'expected':>8}  status")
    for r in results:
        click.echo(f"{r.code:16} {r.value:>6} {r.target:>6} {r.expected:>8g}  "
                   f"{status_word(r.status):11} {r.explanation()}")
