"""Configuration, read from the environment (VSC_*). Pick a class with VSC_ENV."""

import os


class ConfigError(RuntimeError):
    """The environment does not give what this configuration needs."""


class Config:
    """Production defaults: everything secret comes from the environment."""

    ENV_NAME = "production"
    SECRET_KEY = os.environ.get("VSC_SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("VSC_DATABASE_URL")  # None: SQLite in instance/
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("VSC_COOKIE_SECURE", "1") == "1"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PERMANENT_SESSION_LIFETIME = 8 * 3600
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

    @classmethod
    def check(cls):
        """Fail loudly where production would run with a missing secret."""
        if not cls.SECRET_KEY:
            raise ConfigError(
                "VSC_SECRET_KEY is not set. Set it to a long random string, for example: "
                "export VSC_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
            )


class DevelopmentConfig(Config):
    """For a developer's machine: a fixed key is fine, cookies over plain HTTP."""

    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("VSC_SECRET_KEY", "development-only-not-secret")
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False


class TestingConfig(DevelopmentConfig):
    """For the test suite: the database comes from VSC_TEST_DATABASE_URL or the fixture."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-only-not-secret"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = os.environ.get("VSC_TEST_DATABASE_URL", "sqlite://")
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105 (fast, for tests only)


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
