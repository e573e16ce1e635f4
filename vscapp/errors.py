"""Error pages for 400/403/404/405/413/500 in one place."""

from flask import render_template

from vscapp.extensions import db

CODES = (400, 403, 404, 405, 413, 500)


def register(app):
    for code in CODES:
        app.register_error_handler(code, _handler(code))


def _handler(code):
    def handle(error):
        if code == 500:
            db.session.rollback()
        return render_template("errors/error.html", code=code), code

    return handle
