"""The `vsc` command: the Flask CLI of vscapp, no FLASK_APP needed.

The environment may come from a file, as systemd's EnvironmentFile gives it to the services:
`vsc --env-file /etc/vscapp/env ...` or `VSC_ENV_FILE=/etc/vscapp/env vsc ...` (what a cron
line or a root shell needs). Variables already in the environment win over the file's.
A configuration that stops the start, or a database error (unreachable, no schema), is one line on
standard error and exit status 1, never a traceback.
"""

import os
import sys

import click
from flask.cli import FlaskGroup, ScriptInfo, load_dotenv
from sqlalchemy.exc import OperationalError

from vscapp import StartupError, create_app


class VscGroup(FlaskGroup):
    """FlaskGroup whose `--help` shows a broken configuration in one line too."""

    def list_commands(self, ctx):
        try:
            ctx.ensure_object(ScriptInfo).load_app()
        except click.ClickException as exc:
            click.echo(f"Error: {exc.format_message()}", err=True)
            return sorted(click.Group.list_commands(self, ctx))
        return super().list_commands(ctx)


def load_app():
    try:
        return create_app()
    except StartupError as exc:
        raise click.ClickException(str(exc)) from None


def load_env_file(path):
    """Fill the environment from a file of VAR=value lines (variables already set win)."""
    try:
        with open(path, encoding="utf-8"):
            pass
    except OSError as exc:
        sys.exit(f"Error: VSC_ENV_FILE={path}: {exc.strerror}")
    load_dotenv(path, load_defaults=False)


def main():
    if os.environ.get("VSC_ENV_FILE"):
        load_env_file(os.environ["VSC_ENV_FILE"])
    # load_dotenv=False: no .env or .flaskenv picked up from the current folder, only the
    # file named by --env-file or VSC_ENV_FILE.
    cli = VscGroup(create_app=load_app, load_dotenv=False, help="vscapp: the municipal plan "
                   "against terrorism and extremism.")
    try:
        cli.main(prog_name="vsc")
    except OperationalError as exc:
        reason = str(exc.orig or exc).strip().splitlines()[0]
        sys.exit(f"Error: database: {reason}")
