"""Error pages for 400/403/404/405/413/500 in one place, and the stale form token."""

from flask import current_app, flash, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from vscapp.extensions import db

CODES = (400, 403, 404, 405, 413, 500)


def register(app):
    from vscapp.targets.services import EvaluationFailed

    for code in CODES:
        app.register_error_handler(code, _handler(code))
    app.register_error_handler(CSRFError, stale_token)
    app.register_error_handler(EvaluationFailed, _evaluation_failed)


def _evaluation_failed(error):
    """The active rules cannot be evaluated: say which version, point to the plan and to the
    rules pages, where the coordinator can roll back (they never evaluate the active rules
    unguarded)."""
    db.session.rollback()
    return render_template("errors/evaluation.html", broken=error), 503


def _handler(code):
    def handle(error):
        if code == 500:
            db.session.rollback()
        return render_template("errors/error.html", code=code), code

    return handle


def stale_token(error):
    """A form posted with a missing or stale token: views marked `keeps_typed_on_stale_token`
    answer with their form again, filled in with what was posted (their own validation
    refuses the token, so nothing is stored); the others get the 400 page."""
    view = current_app.view_functions.get(request.endpoint)
    if request.method != "POST" or not getattr(view, "keeps_typed_on_stale_token", False):
        return render_template("errors/error.html", code=400), 400
    flash(_("This form had expired, so nothing was saved. What you typed is below: check it "
            "and save again."), "error")
    return current_app.ensure_sync(view)(**request.view_args)
