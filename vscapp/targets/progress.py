"""What the dashboard and the indicator page show: statuses grouped by strategic objective,
and an indicator's cumulative value through the year against its expected pace."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from vscapp.engine.evaluate import Totals
from vscapp.engine.pace import expected_share
from vscapp.events.models import Event, EventType
from vscapp.events.services import totals_by_type
from vscapp.extensions import db
from vscapp.permissions import may_read
from vscapp.plans.models import Indicator, NodeKind, Plan, PlanNode
from vscapp.targets import services
from vscapp.vocabulary import ALERT_STATUSES, ATTENTION_ORDER


@dataclass
class Row:
    indicator: Indicator
    result: object  # IndicatorStatus
    strategic: PlanNode

    @property
    def progress(self):
        """Share of the target reached, 0 to 1, for the bar."""
        return min(1.0, self.result.value / self.result.target) if self.result.target else 0

    @property
    def pace(self):
        """Share of the target expected by now, 0 to 1, for the marker on the bar."""
        return min(1.0, self.result.expected / self.result.target) if self.result.target else 0


def dashboard(year, as_of):
    """Rows of the year's evaluated indicators, each with its strategic objective."""
    nodes = {n.id: n for n in db.session.scalars(
        select(PlanNode).join(Plan).where(Plan.year == year))}
    indicators = {i.code: i for i in db.session.scalars(
        select(Indicator).join(Plan).where(Plan.year == year, Indicator.retired_at.is_(None)))}
    return [Row(indicators[r.code], r, _strategic(nodes, indicators[r.code]))
            for r in services.evaluate_year(year, as_of) if r.code in indicators]


def _strategic(nodes, indicator):
    node = nodes[indicator.node_id]
    while node.kind != NodeKind.STRATEGIC:
        node = nodes[node.parent_id]
    return node


def needs_attention(rows):
    return sorted((r for r in rows if r.result.status in ALERT_STATUSES),
                  key=lambda r: (ATTENTION_ORDER.index(r.result.status), r.indicator.position))


def rule_for(version, code):
    for rule in services.compiled(version.content).indicators:
        if rule.code == code:
            return rule
    return None


def daily_totals(rule, start, end):
    """{date: amount} of the live events that count for the rule, per day."""
    amount = Event.participants if rule.field == "participants" else Event.quantity
    stmt = (select(Event.occurred_on, func.coalesce(func.sum(amount), 0))
            .join(EventType).where(EventType.code.in_(rule.events), Event.live,
                                   Event.occurred_on.between(start, end))
            .group_by(Event.occurred_on).order_by(Event.occurred_on))
    return dict(db.session.execute(stmt).all())


@dataclass
class Chart:
    width: int
    height: int
    value_points: str
    pace_points: str
    target_y: float
    today_x: float | None
    y_max: int
    months: list[tuple[float, date]]


def chart(ruleset, rule, as_of, width=640, height=240, margin=36):
    """The cumulative value (up to `as_of`) and the expected pace over the period, as SVG
    coordinates."""
    start, end = ruleset.start, ruleset.end
    totals = daily_totals(rule, start, min(as_of, end))
    days = (end - start).days + 1
    cumulative, running = [], 0
    for offset in range(days):
        day = start + timedelta(days=offset)
        if day > as_of:
            break
        running += totals.get(day, 0)
        if rule.measure == "milestone":
            cumulative.append(1 if running else 0)
        else:
            cumulative.append(running)
    y_max = max(rule.target, max(cumulative, default=0), 1)
    plot_w, plot_h = width - 2 * margin, height - 2 * margin

    def x(offset):
        return round(margin + plot_w * offset / (days - 1), 1)

    def y(value):
        return round(height - margin - plot_h * value / y_max, 1)

    value_points = " ".join(f"{x(i)},{y(v)}" for i, v in enumerate(cumulative))
    pace_points = " ".join(
        f"{x(i)},{y(rule.target * expected_share(rule, start, end, start + timedelta(days=i)))}"
        for i in range(0, days, 3)) + f" {x(days - 1)},{y(rule.target)}"
    today = (as_of - start).days
    months = [(x((date(start.year, m, 1) - start).days), date(start.year, m, 1))
              for m in range(1, 13) if date(start.year, m, 1) >= start]
    return Chart(width, height, value_points, pace_points, y(rule.target),
                 x(today) if 0 <= today < days else None, y_max, months)


@dataclass
class Counted:
    event_type: EventType
    quantity: int
    participants: int
    latest: list  # the most recent events, for a reader allowed to open them; else empty
    hidden: bool  # the reader may not open this type's records: only its totals are shown


LATEST = 50


def counted_events(rule, start, end, reader):
    """For each type the rule counts: its totals in the period and, if `reader` may read that
    type's records, its latest live events."""
    totals = totals_by_type(start, end, rule.events)
    types = db.session.scalars(select(EventType).where(EventType.code.in_(rule.events))
                               .order_by(EventType.code)).all()
    return [Counted(t, totals.get(t.code, Totals()).quantity,
                    totals.get(t.code, Totals()).participants,
                    _latest(t, start, end) if may_read(reader, t) else [],
                    hidden=not may_read(reader, t))
            for t in types]


def _latest(event_type, start, end):
    return db.session.scalars(
        select(Event).where(Event.type_id == event_type.id, Event.live,
                            Event.occurred_on.between(start, end))
        .order_by(Event.occurred_on.desc(), Event.id.desc()).limit(LATEST)).all()
