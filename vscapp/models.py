"""Column helpers shared by the feature models."""

from sqlalchemy import DateTime
from sqlalchemy.orm import mapped_column

from vscapp.clock import utcnow


def created_at_column():
    return mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
