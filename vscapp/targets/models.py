"""Versions of each year's rules file, and the history of which one was active, by whom, why."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vscapp.extensions import db
from vscapp.models import created_at_column


class RulesVersion(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(index=True)
    number: Mapped[int]
    content: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_label: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = created_at_column()

    created_by = relationship("User")

    __table_args__ = (UniqueConstraint("year", "number"),)


class RulesActivation(db.Model):
    """One row per activation, never changed: the latest for a year says which rules apply."""

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("rules_version.id"))
    reason: Mapped[str] = mapped_column(Text)
    activated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    actor_label: Mapped[str] = mapped_column(String(254))
    activated_at: Mapped[datetime] = created_at_column()

    version: Mapped[RulesVersion] = relationship()
    activated_by = relationship("User")
