"""Activities as events: what was done, when, how much. Never who the beneficiary was."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vscapp.extensions import db
from vscapp.models import created_at_column


class EventType(db.Model):
    """What indicators count: a consultation, an awareness session, a CSIL meeting..."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_nl: Mapped[str] = mapped_column(String(120))
    name_fr: Mapped[str] = mapped_column(String(120))
    sector: Mapped[int] = mapped_column(default=1)
    # Social-prevention records: the police liaison sees their counts, never their details.
    social_prevention: Mapped[bool] = mapped_column(default=True)
    needs_participants: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)

    def name(self, lang):
        return self.name_fr if lang == "fr" else self.name_nl


class Event(db.Model):
    """An activity as recorded. What it counts is summed per day in DailyTotal: change events
    through events.services, whose verbs move those sums too (see events.daily_totals)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    type_id: Mapped[int] = mapped_column(ForeignKey("event_type.id"))
    occurred_on: Mapped[date]
    quantity: Mapped[int] = mapped_column(default=1)
    participants: Mapped[int | None]
    note: Mapped[str | None] = mapped_column(String(500))
    case_ref: Mapped[str | None] = mapped_column(String(30))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = created_at_column()
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    voided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    voided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    void_reason: Mapped[str | None] = mapped_column(Text)

    event_type: Mapped[EventType] = relationship()
    created_by = relationship("User", foreign_keys=[created_by_id])
    updated_by = relationship("User", foreign_keys=[updated_by_id])
    voided_by = relationship("User", foreign_keys=[voided_by_id])

    __table_args__ = (
        CheckConstraint("quantity >= 1", name="quantity_positive"),
        CheckConstraint("participants IS NULL OR participants >= 0", name="participants_positive"),
    )

    AUDITED = ("event_type_code", "occurred_on", "quantity", "participants", "note", "case_ref")

    @property
    def event_type_code(self):
        return self.event_type.code if self.event_type else None

    @hybrid_property
    def live(self):
        """Counted and listed: not voided. In queries, the condition of the partial index."""
        return self.voided_at is None

    @live.inplace.expression
    @classmethod
    def _live_expression(cls):
        return cls.voided_at.is_(None)

    @property
    def voided(self):
        return not self.live


# Rebuilding the daily totals from the events (daily_totals.rebuild) reads this partial covering
# index alone; its condition is the definition of a live event.
Index("ix_event_live_by_type", Event.type_id, Event.occurred_on, Event.quantity,
      Event.participants, sqlite_where=Event.live, postgresql_where=Event.live)

# The activities list pages by key (date, id), newest or oldest first; "recorded by me" has
# its own key. Neither needs a sort nor a scan of the table for any page.
Index("ix_event_by_date", Event.occurred_on, Event.id)
Index("ix_event_by_author", Event.created_by_id, Event.occurred_on, Event.id)
# Text in the note or case reference (ILIKE '%text%'): trigrams on PostgreSQL (pg_trgm), so a
# search never reads the whole table; on SQLite a plain index that the list does not need: its
# search reads `event_text`, an FTS5 trigram index kept by triggers (migration 0018).
Index("ix_event_text", Event.note, Event.case_ref, postgresql_using="gin",
      postgresql_ops={"note": "gin_trgm_ops", "case_ref": "gin_trgm_ops"})


class DailyTotal(db.Model):
    """The live events of one activity type on one day, summed: what every count reads, so that
    no page scans the events. events.daily_totals keeps it, in the transaction of each change."""

    type_id: Mapped[int] = mapped_column(ForeignKey("event_type.id"), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    events: Mapped[int] = mapped_column(default=0)
    quantity: Mapped[int] = mapped_column(default=0)
    participants: Mapped[int] = mapped_column(default=0)

    AMOUNTS = ("events", "quantity", "participants")
