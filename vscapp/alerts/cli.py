"""`vsc alerts run` (for cron or a systemd timer) and `vsc alerts test`."""


import click
from flask import current_app

from vscapp.alerts import services
from vscapp.clock import today
from vscapp.extensions import db
from vscapp.mail import Mailer, MailError, build
from vscapp.targets.services import EvaluationFailed


@click.group("alerts")
def alerts_cli():
    """Alert e-mails when indicators go off target."""


@alerts_cli.command("run")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]),
              help="Evaluation date (default: today); its year is evaluated.")
def run_command(as_of):
    """Evaluate the year, write new alerts to the outbox, send what is pending.

    Exits non-zero when a message could not be sent; it stays in the outbox for the next run;
    and, sending nothing, when the active rules cannot be evaluated. A year without active
    rules is not evaluated; the coordinators are told once by e-mail.
    """
    day = as_of.date() if as_of else today()
    try:
        report = services.run(day)
    except EvaluationFailed as exc:
        db.session.rollback()
        raise click.ClickException(f"{exc}; no alert was raised and no message sent") from None
    if report.no_rules:
        click.echo(f"{day}: no active rules for {day.year} yet, nothing evaluated.")
        if report.told:
            click.echo(f"Told {', '.join(report.told)} by e-mail.")
    for code, previous, status in report.changed:
        click.echo(f"{code}: {previous or 'new'} -> {status}")
    if report.superseded:
        click.echo(f"{report.superseded} open alert(s) closed as superseded: their rules "
                   "version is no longer active.")
    click.echo(f"{day}: {len(report.changed)} status change(s), {len(report.alerts)} new "
               f"alert(s), {report.sent} message(s) sent.")
    if report.failures:
        for failure in dict.fromkeys(report.failures):
            click.echo(f"not sent: {failure}", err=True)
        raise click.ClickException("some messages were not sent; they stay in the outbox and "
                                   "the next run sends them")


@alerts_cli.command("test")
@click.argument("email")
def test_command(email):
    """Send one test message to EMAIL with the SMTP settings of the environment."""
    config = current_app.config
    message = build(config["MAIL_FROM"], email, "[vscapp] test message",
                    "This test message shows that vscapp can send e-mail.\n")
    try:
        with Mailer(config) as mailer:
            mailer.send(message)
    except MailError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Sent a test message to {email} through {config['SMTP_HOST']}:"
               f"{config['SMTP_PORT']}.")
