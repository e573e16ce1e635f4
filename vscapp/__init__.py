"""vscapp: the municipal plan against terrorism and extremism, its activities and targets."""

import importlib.util
import sys
from pathlib import Path

from flask import Flask
from gunicorn.errors import AppImportError


def settings():
    """The configuration module, imported on first use (it reads the environment then, so
    `vsc --env-file` can fill the environment first): its copy in vscapp/_root/ when installed
    from a wheel, else config.py at the checkout's root."""
    try:
        from vscapp._root import config
    except ModuleNotFoundError:
        config = _checkout_config()
    return config


def _checkout_config():
    """config.py at the root of the checkout this package runs from, as the module `config`
    (the one the tests import): an editable install puts only the package on the path."""
    path = Path(__file__).resolve().parent.parent / "config.py"
    loaded = sys.modules.get("config")
    if loaded is not None and Path(loaded.__file__).resolve() == path:
        return loaded
    spec = importlib.util.spec_from_file_location("config", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules.setdefault("config", module)
    return module


def root():
    """Where config.py, templates/, migrations/, rules/ and plans/ are: the checkout's root,
    or vscapp/_root/ in an installed wheel."""
    return Path(settings().__file__).resolve().parent


def create_app(config=None):
    """Build the application.

    `config` is a configuration class (default: the one VSC_ENV names), or a mapping of
    settings applied over TestingConfig (what the tests and benchmarks pass).
    """
    app = Flask(__name__, template_folder=str(root() / "templates"),
                instance_relative_config=True)
    try:
        register_config(app, config)
    except settings().ConfigError as exc:
        raise StartupError(str(exc)) from None
    register_extensions(app)
    register_blueprints(app)
    register_commands(app)
    register_template_helpers(app)
    register_error_handlers(app)
    register_security_headers(app)
    register_proxy(app)
    return app


class StartupError(AppImportError, RuntimeError):
    """The configuration stops the start. A one-line message, no traceback: `vsc` prints it
    as such, and so does gunicorn (a RuntimeError with --preload, an AppImportError from a
    worker otherwise, which then stops the server instead of starting workers again)."""


def register_config(app, config):
    config_module = settings()
    if config is None:
        config = config_module.from_environment()
    if isinstance(config, dict):
        app.config.from_object(config_module.TestingConfig)
        app.config.update(config)
    else:
        if hasattr(config, "check"):
            config.check()
        app.config.from_object(config)
    url = app.config.get("SQLALCHEMY_DATABASE_URI")
    if not url:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{Path(app.instance_path) / 'vsc.db'}"
    # psycopg 3 is the driver we ship; a plain postgresql:// URL would ask for psycopg2.
    app.config["SQLALCHEMY_DATABASE_URI"] = url.replace("postgresql://", "postgresql+psycopg://", 1)
    if url.startswith("sqlite"):
        # SQLite writes one at a time: a writer waits up to 30 s for its turn (the driver's
        # default of 5 s is not enough for a burst of sign-ins or records on a busy machine).
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        options["connect_args"] = {"timeout": 30, **options.get("connect_args", {})}
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def register_extensions(app):
    from flask_babel import lazy_gettext as _l

    from vscapp.auth.services import session_identifier
    from vscapp.extensions import babel, csrf, db, login_manager, migrate
    from vscapp.i18n import select_locale
    from vscapp.users.services import load_user

    db.init_app(app)
    migrate.init_app(app, db, directory=str(root() / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_user)
    # Flask-Login's own identifier believes X-Forwarded-For from anyone; ours takes the
    # address the connection came from, which ProxyFix corrects only behind a proxy we know.
    login_manager._session_identifier_generator = session_identifier


def register_blueprints(app):
    from vscapp.converters import BoundedIntegerConverter

    app.url_map.converters["int"] = BoundedIntegerConverter
    from vscapp.alerts.routes import bp as alerts_bp
    from vscapp.audit.routes import bp as audit_bp
    from vscapp.auth.routes import bp as auth_bp
    from vscapp.events.routes import bp as events_bp
    from vscapp.help.routes import bp as help_bp
    from vscapp.main import bp as main_bp
    from vscapp.plans.routes import bp as plans_bp
    from vscapp.report.routes import bp as report_bp
    from vscapp.targets.routes import bp as targets_bp
    from vscapp.users.routes import bp as users_bp

    blueprints = (main_bp, auth_bp, plans_bp, events_bp, users_bp, audit_bp, targets_bp,
                  alerts_bp, report_bp, help_bp)
    for bp in blueprints:
        app.register_blueprint(bp)


def register_commands(app):
    from vscapp.alerts.cli import alerts_cli
    from vscapp.backup.cli import backup_command, restore_command
    from vscapp.catalogues import translations_cli
    from vscapp.demo import demo_cli
    from vscapp.events.cli import events_cli, totals_cli
    from vscapp.plans.cli import plan_cli
    from vscapp.targets.cli import evaluate_command, rules_cli
    from vscapp.users.cli import users_cli

    for group in (plan_cli, users_cli, events_cli, totals_cli, demo_cli, rules_cli,
                  evaluate_command, alerts_cli, translations_cli, backup_command,
                  restore_command):
        app.cli.add_command(group)


def register_template_helpers(app):
    from vscapp.templating import register

    register(app)


# No script at all, styles and images from the app itself (inline style attributes draw the
# progress bars), no framing, forms only to the app.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'none'; style-src 'self' "
                           "'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; "
                           "form-action 'self'; base-uri 'none'")


def register_security_headers(app):
    from flask import request
    from flask_login import current_user

    @app.after_request
    def secure(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        # Static files hold no records: they need not load the signed-in user (a query).
        if request.endpoint != "static" and not response.headers.get("Cache-Control") \
                and current_user and current_user.is_authenticated:
            response.headers["Cache-Control"] = "no-store"  # pages with records stay off disk
        return response


def register_proxy(app):
    """Behind VSC_PROXY_COUNT proxies, the client's address and scheme are the ones those
    proxies add to X-Forwarded-For and -Proto; without, such headers are ignored (anyone can
    send them)."""
    count = app.config.get("PROXY_COUNT", 0)
    if count:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)


def register_error_handlers(app):
    from vscapp.errors import register

    register(app)
