"""Error pages for 400/403/404/405/413/500 in one place, and the stale form token."""

from flask import current_app, flash, g, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import BadRequest

from vscapp.extensions import db, login_manager

CODES = (400, 403, 404, 405, 413, 500)


def register(app):
    from vscapp.targets.services import EvaluationFailed

    for code in CODES:
        app.register_error_handler(code, _handler(code))
    app.register_error_handler(CSRFError, stale_token)
    app.register_error_handler(EvaluationFailed, _evaluation_failed)
    app.register_error_handler(OperationalError, _database_unavailable)
    app.register_error_handler(InterfaceError, _database_unavailable)
    app.before_request(refuse_nul)


def _database_unavailable(error):
    """The database cannot be reached (down, restarting, connection cut): 503, a page that
    says to try again, no traceback; the pool checks connections before use (pool_pre_ping),
    so the next request works once it is back."""
    current_app.logger.error("database unavailable: %s", error)
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 (the connection is gone; the answer must still go out)
        db.session.close()
    # The page is drawn as for a visitor: the account would be read from the database.
    g._login_user = login_manager.anonymous_user()
    return render_template("errors/error.html", code=503), 503


# A rules file typed in the editor: its loader names the line and column of a NUL.
LOCATES_ITS_OWN_ERRORS = {"content"}


class NulRefused(BadRequest):
    """A NUL character in the address or a form: no text here may hold one (PostgreSQL
    refuses them), so the request is refused whole, before anything is read or saved."""


def refuse_nul():
    values = [request.path, *request.args.keys(), *request.args.values()]
    if request.method == "POST" and request.mimetype in ("application/x-www-form-urlencoded",
                                                         "multipart/form-data"):
        values += [value for name, value in request.form.items(multi=True)
                   if name not in LOCATES_ITS_OWN_ERRORS]
        values += list(request.form.keys())
    if any("\x00" in value for value in values):
        raise NulRefused()


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
        return render_template("errors/error.html", code=code,
                               nul=isinstance(error, NulRefused)), code

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
