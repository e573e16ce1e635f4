"""The `vsc` command: the Flask CLI of vscapp, no FLASK_APP needed."""

from flask.cli import FlaskGroup

from vscapp import create_app


def main():
    cli = FlaskGroup(create_app=lambda: create_app(), help="vscapp: the municipal plan "
                     "against terrorism and extremism.")
    cli.main(prog_name="vsc")
