"""Alerts on indicators, the last status each run saw, and the outbox of messages to send."""

from datetime import date, datetime

from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vscapp.extensions import db
from vscapp.models import created_at_column
from vscapp.vocabulary import RECOVERED_STATUSES


class IndicatorState(db.Model):
    """The status the last alert run saw: a change is measured from it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    code: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20))
    as_of: Mapped[date]
    updated_at: Mapped[datetime] = created_at_column()

    __table_args__ = (UniqueConstraint("year", "code"),)


class Alert(db.Model):
    """An indicator went into an alert status, or came back from one. Sent once: the key is
    (year, indicator, status, rules version)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(index=True)
    code: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20))
    rules_version_id: Mapped[int] = mapped_column(ForeignKey("rules_version.id"))
    previous_status: Mapped[str | None] = mapped_column(String(20))
    as_of: Mapped[date]
    value: Mapped[int]
    expected: Mapped[float]
    target: Mapped[int]
    needed: Mapped[int]
    due: Mapped[date]
    raised_at: Mapped[datetime] = created_at_column()
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("alert.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    comment: Mapped[str | None] = mapped_column(Text)
    # Closed because its rules version is no longer the year's active one (a rollback or a
    # newer version): the run that noticed it stamps it.
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    acknowledged_by = relationship("User")
    rules_version = relationship("RulesVersion")
    messages: Mapped[list["OutboxMessage"]] = relationship(back_populates="alert")

    __table_args__ = (UniqueConstraint("year", "code", "status", "rules_version_id"),)

    @property
    def is_recovery(self):
        return self.status in RECOVERED_STATUSES

    @property
    def is_open(self):
        return (self.status not in RECOVERED_STATUSES and self.resolved_by_id is None
                and self.superseded_at is None and self.acknowledged_at is None)


class OutboxMessage(db.Model):
    """One alert for one recipient, written before any sending; sent once, then stamped."""

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alert.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    delivery: Mapped[str] = mapped_column(String(10))  # a vocabulary.Delivery
    created_at: Mapped[datetime] = created_at_column()
    claim_token: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    # For a recipient who sees the indicator only by whole month: not sent before this day
    # (the first of the next month), and it then tells the month, never the day or the value.
    hold_until: Mapped[date | None]

    alert: Mapped[Alert] = relationship(back_populates="messages")
    user = relationship("User")

    __table_args__ = (UniqueConstraint("alert_id", "user_id"),)

    @property
    def by_month(self):
        return self.hold_until is not None
