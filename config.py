"""Configuration, read from the environment (VSC_*). Pick a class with VSC_ENV."""

import os
from urllib.parse import urlsplit


def _flag(name, default="0"):
    return os.environ.get(name, default).strip().lower() in ("1", "true", "yes", "on")


class ConfigError(RuntimeError):
    """The environment does not give what this configuration needs."""


class Config:
    """Production defaults: everything secret comes from the environment."""

    ENV_NAME = "production"
    SECRET_KEY = os.environ.get("VSC_SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("VSC_DATABASE_URL")  # required (development: SQLite)
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("VSC_COOKIE_SECURE", "1") == "1"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    # How many reverse proxies stand before the app; only then are X-Forwarded-For/-Proto
    # believed (that many hops from the right). 0: the connection's own address.
    PROXY_COUNT = int(os.environ.get("VSC_PROXY_COUNT", "0"))
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    BABEL_DEFAULT_LOCALE = "nl"
    # Times are stored in UTC and shown in the municipality's zone; "today" is its today.
    TIMEZONE = os.environ.get("VSC_TIMEZONE", "Europe/Brussels")
    BABEL_DEFAULT_TIMEZONE = TIMEZONE
    WTF_I18N_ENABLED = True  # WTForms' own messages in the reader's language too
    # Dutch and French for Brussels; English is the catalogues' source language, there for
    # support staff and the test suite.
    LANGUAGES = ("nl", "fr", "en")
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 (a method name, not a password)
    BASE_URL = os.environ.get("VSC_BASE_URL", "http://localhost:5000")  # for links in e-mails
    SMTP_HOST = os.environ.get("VSC_SMTP_HOST", "localhost")
    SMTP_PORT = int(os.environ.get("VSC_SMTP_PORT", "25"))
    SMTP_SECURITY = os.environ.get("VSC_SMTP_SECURITY", "none")  # none, starttls or tls
    SMTP_USER = os.environ.get("VSC_SMTP_USER")
    SMTP_PASSWORD = os.environ.get("VSC_SMTP_PASSWORD")
    SMTP_TIMEOUT = int(os.environ.get("VSC_SMTP_TIMEOUT", "30"))
    MAIL_FROM = os.environ.get("VSC_MAIL_FROM", "vscapp@localhost")
    # Directory sign-in (LDAP, Active Directory): no URL, no directory; local accounts only.
    LDAP_URL = os.environ.get("VSC_LDAP_URL")
    LDAP_START_TLS = _flag("VSC_LDAP_START_TLS")
    LDAP_CA_FILE = os.environ.get("VSC_LDAP_CA_FILE")  # else the system's CA certificates
    LDAP_BIND_DN = os.environ.get("VSC_LDAP_BIND_DN")
    LDAP_BIND_PASSWORD = os.environ.get("VSC_LDAP_BIND_PASSWORD")
    LDAP_USER_BASE = os.environ.get("VSC_LDAP_USER_BASE")
    LDAP_USER_FILTER = os.environ.get("VSC_LDAP_USER_FILTER", "(uid={username})")
    LDAP_EMAIL_ATTRIBUTE = os.environ.get("VSC_LDAP_EMAIL_ATTRIBUTE", "mail")
    LDAP_GROUP_COORDINATOR = os.environ.get("VSC_LDAP_GROUP_COORDINATOR")
    LDAP_GROUP_OFFICER = os.environ.get("VSC_LDAP_GROUP_OFFICER")
    LDAP_GROUP_LIAISON = os.environ.get("VSC_LDAP_GROUP_LIAISON")
    LDAP_TIMEOUT = int(os.environ.get("VSC_LDAP_TIMEOUT", "5"))

    @classmethod
    def check(cls):
        """Fail loudly where production would run with a missing secret or a broken setting."""
        problem = secret_key_problem(cls.SECRET_KEY) or database_problem(
            cls.SQLALCHEMY_DATABASE_URI) or ldap_problem(vars_of(cls))
        if problem:
            raise ConfigError(problem)


# The placeholder of deploy/env.example: a server still running with it has no secret at all.
EXAMPLE_SECRET_KEY = "change-me-to-64-hex-characters"  # noqa: S105
MIN_SECRET_KEY_LENGTH = 32
MAKE_A_KEY = "python3 -c 'import secrets; print(secrets.token_hex(32))'"


def secret_key_problem(key):
    """What is wrong with a production secret key, or None."""
    if not key:
        return f"VSC_SECRET_KEY is not set: set it to a long random string, made with {MAKE_A_KEY}"
    if key.strip() == EXAMPLE_SECRET_KEY:
        return ("VSC_SECRET_KEY is still the example's placeholder: replace it with a long random "
                f"string, made with {MAKE_A_KEY}")
    if len(key) < MIN_SECRET_KEY_LENGTH:
        return (f"VSC_SECRET_KEY is too short ({len(key)} characters, at least "
                f"{MIN_SECRET_KEY_LENGTH}): make one with {MAKE_A_KEY}")
    return None


def database_problem(url):
    """Production names its database; it never falls back to a SQLite file of its own."""
    if not url:
        return ("VSC_DATABASE_URL is not set: production needs its database, e.g. "
                "postgresql://vscapp:PASSWORD@127.0.0.1/vscapp")
    return None


def vars_of(cls):
    """A configuration class's settings as a mapping, as app.config holds them."""
    return {name: getattr(cls, name) for name in dir(cls) if name.isupper()}


def ldap_problem(settings):
    """What is wrong with the directory settings, or None (also None without a directory)."""
    url = settings.get("LDAP_URL")
    if not url:
        return None
    if not _is_ldap_url(url):
        return f"VSC_LDAP_URL={url!r}: expected ldap://host[:port] or ldaps://host[:port]"
    if not settings.get("LDAP_USER_BASE"):
        return "VSC_LDAP_USER_BASE is not set: where to look for users, e.g. ou=people,dc=..."
    if "{username}" not in (settings.get("LDAP_USER_FILTER") or ""):
        return "VSC_LDAP_USER_FILTER must contain {username}, e.g. (sAMAccountName={username})"
    if not any(settings.get(f"LDAP_GROUP_{role}") for role in ("COORDINATOR", "OFFICER",
                                                                "LIAISON")):
        return "VSC_LDAP_URL is set but no VSC_LDAP_GROUP_*: nobody could sign in"
    return None


def _is_ldap_url(url):
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
    except ValueError:
        return False
    return parts.scheme in ("ldap", "ldaps") and bool(parts.hostname) and parts.path in ("", "/")


class DevelopmentConfig(Config):
    """For a developer's machine: a fixed key is fine, cookies over plain HTTP."""

    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("VSC_SECRET_KEY", "development-only-not-secret")
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False

    @classmethod
    def check(cls):
        """Any key and a SQLite file of the instance folder will do; the directory settings
        must still make sense."""
        problem = ldap_problem(vars_of(cls))
        if problem:
            raise ConfigError(problem)


class TestingConfig(DevelopmentConfig):
    """For the test suite: the database comes from VSC_TEST_DATABASE_URL or the fixture."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-only-not-secret"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = os.environ.get("VSC_TEST_DATABASE_URL", "sqlite://")
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105 (fast, for tests only)
    LDAP_URL = None  # whatever the environment says: tests that want one set it


CONFIGS = {
    "production": Config,
    "development": DevelopmentConfig,
    "testing": TestingConfig,
}


def from_environment():
    """The configuration class named by VSC_ENV (default: production)."""
    name = os.environ.get("VSC_ENV", "production")
    try:
        return CONFIGS[name]
    except KeyError:
        raise ConfigError(f"VSC_ENV={name!r}: expected one of {', '.join(CONFIGS)}") from None
