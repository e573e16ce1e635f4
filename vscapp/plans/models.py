"""A yearly plan as data: sectors, objectives, expected results and indicators.

Every node carries a code made from its place in the plan (S1.SD1.OD2.I1) that stays the
same when the plan is imported again, so a corrected document updates rows in place.
Texts are held in Dutch and French: a plan imported in both languages reads in either.
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vscapp.extensions import db
from vscapp.models import created_at_column
from vscapp.vocabulary import CONTENT_LANGUAGES


class NodeKind(StrEnum):
    SECTOR = "sector"
    GENERAL = "general"
    STRATEGIC = "strategic"
    OPERATIONAL = "operational"
    RESULT = "result"


class IndicatorKind(StrEnum):
    YES_NO = "yes_no"
    AT_LEAST = "at_least"


class Plan(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    decree_nl: Mapped[str | None] = mapped_column(Text)
    decree_fr: Mapped[str | None] = mapped_column(Text)
    decree_date: Mapped[date | None]
    municipality_nl: Mapped[str | None] = mapped_column(String(120))
    municipality_fr: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    nodes: Mapped[list["PlanNode"]] = relationship(
        back_populates="plan", order_by="PlanNode.position"
    )
    indicators: Mapped[list["Indicator"]] = relationship(
        back_populates="plan", order_by="Indicator.position"
    )

    @property
    def languages(self):
        return [lang for lang in CONTENT_LANGUAGES if getattr(self, f"decree_{lang}")]

    def roots(self):
        return [n for n in self.nodes if n.parent_id is None and n.retired_at is None]


class PlanNode(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("plan_node.id"))
    kind: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(40))
    number: Mapped[int]
    position: Mapped[int]
    text_nl: Mapped[str | None] = mapped_column(Text)
    text_fr: Mapped[str | None] = mapped_column(Text)
    pole: Mapped[str | None] = mapped_column(String(120))
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    plan: Mapped[Plan] = relationship(back_populates="nodes")
    children: Mapped[list["PlanNode"]] = relationship(order_by="PlanNode.position")
    indicators: Mapped[list["Indicator"]] = relationship(
        back_populates="node", order_by="Indicator.position"
    )

    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    def live_children(self):
        return [c for c in self.children if c.retired_at is None]

    def live_indicators(self):
        return [i for i in self.indicators if i.retired_at is None]


class Indicator(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("plan_node.id"))
    code: Mapped[str] = mapped_column(String(40))
    number: Mapped[int]
    position: Mapped[int]
    text_nl: Mapped[str | None] = mapped_column(Text)
    text_fr: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))
    target: Mapped[int | None]  # N per year for at_least; None for yes_no (target: yes)
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    plan: Mapped[Plan] = relationship(back_populates="indicators")
    node: Mapped[PlanNode] = relationship(back_populates="indicators")

    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    @property
    def target_value(self):
        """The target as exported: an integer, or True for a yes/no indicator."""
        return True if self.kind == IndicatorKind.YES_NO else self.target
