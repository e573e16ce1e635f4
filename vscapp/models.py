"""Column helpers shared by the feature models."""

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.orm import mapped_column


def utcnow():
    """Timezone-aware now, the one clock every timestamp uses."""
    return datetime.now(UTC)


def created_at_column():
    return mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
