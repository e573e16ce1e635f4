"""The reader's language: the account's choice, else the browser's, else Dutch."""

from flask import current_app, has_request_context, request, session
from flask_login import current_user

from vscapp.vocabulary import DEFAULT_LANGUAGE, other_language


def select_locale():
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated:
        return current_user.language
    if session.get("language") in current_app.config["LANGUAGES"]:
        return session["language"]
    return request.accept_languages.best_match(current_app.config["LANGUAGES"]) or DEFAULT_LANGUAGE


def current_language():
    from flask_babel import get_locale

    locale = get_locale()
    return locale.language if locale else DEFAULT_LANGUAGE


def text_in(obj, name, lang):
    """`obj.<name>_<lang>`, else the same text in the other language (plans may have one)."""
    return (getattr(obj, f"{name}_{lang}", None)
            or getattr(obj, f"{name}_{other_language(lang)}", None) or "")


def localized(obj, name):
    """`obj.<name>_...` in the reader's language."""
    return text_in(obj, name, current_language())
