"""The reader's language: the account's choice, else the browser's, else Dutch."""

from flask import current_app, has_request_context, request, session
from flask_babel import gettext
from flask_login import current_user
from markupsafe import Markup

from vscapp.vocabulary import DEFAULT_LANGUAGE, content_language, other_language


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


class OtherLanguageText(str):
    """A text shown in `lang` because it has no version in the reader's language. As a string it
    is the text itself (exports, subjects); on a page it is marked: a `lang` attribute for
    screen readers and a visible "(not translated)" in the reader's language."""

    def __new__(cls, text, lang):
        self = super().__new__(cls, text)
        self.lang = lang
        return self

    def __html__(self):
        return Markup('<span lang="%s" class="untranslated">%s</span> '
                      '<small class="untranslated-hint">%s</small>') % (
            self.lang, str(self), gettext("(not translated)"))


def text_in(obj, name, lang):
    """`obj.<name>_<lang>`, else the same text in the other language (plans may have one), as an
    OtherLanguageText that pages mark."""
    lang = content_language(lang)
    own = getattr(obj, f"{name}_{lang}", None)
    if own:
        return own
    other = getattr(obj, f"{name}_{other_language(lang)}", None)
    return OtherLanguageText(other, other_language(lang)) if other else ""


def localized(obj, name):
    """`obj.<name>_...` in the reader's language."""
    return text_in(obj, name, current_language())


def municipality_name(plan, lang):
    """The municipality's name in `lang` (Molenbeek-Saint-Jean), as the plan documents give it;
    the other language's name while only one document is imported."""
    return text_in(plan, "municipality", content_language(lang)) if plan else ""
