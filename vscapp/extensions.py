"""Extension objects, bare: create_app binds them to an application."""

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# SQLite's full-text index of the activities' texts (migration 0018): a virtual table and its
# shadow tables, made by SQL rather than by the models, which autogenerate leaves alone.
SEARCH_TABLE = "event_text"


def modelled(name, type_, parent_names):
    """Whether Alembic compares this object with the models (its include_name)."""
    return not (type_ == "table" and name and name.startswith(SEARCH_TABLE))


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True, include_name=modelled)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
