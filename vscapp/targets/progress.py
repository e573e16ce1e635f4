"""What the dashboard and the indicator page show: statuses grouped by strategic objective,
and an indicator's cumulative value through the year against its expected pace."""

import math
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select, union_all

from vscapp import months
from vscapp.engine.evaluate import Totals
from vscapp.engine.pace import expected_share
from vscapp.events.models import Event, EventType
from vscapp.events.services import amounts_by_day, totals_by_type
from vscapp.extensions import db
from vscapp.permissions import may_read
from vscapp.plans.models import Indicator, NodeKind, PlanNode
from vscapp.targets import services
from vscapp.vocabulary import ALERT_STATUSES, ATTENTION_ORDER, Granularity


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


def dashboard(plan, as_of, reader):
    """Rows of the plan's indicators `reader` may see, each with its strategic objective; and
    the month cut-off of the figures it sees by month (None if all are by day)."""
    nodes = {n.id: n for n in plan.nodes}
    indicators = {i.code: i for i in plan.indicators if i.retired_at is None}
    results, month_as_of = services.evaluate_for(reader, plan.year, as_of)
    return [Row(indicators[r.code], r, _strategic(nodes, indicators[r.code]))
            for r in results if r.code in indicators], month_as_of


def _strategic(nodes, indicator):
    node = nodes[indicator.node_id]
    while node.kind != NodeKind.STRATEGIC:
        node = nodes[node.parent_id]
    return node


def needs_attention(rows):
    return sorted((r for r in rows if r.result.status in ALERT_STATUSES),
                  key=lambda r: (ATTENTION_ORDER.index(r.result.status), r.indicator.position))


def rule_for(version, code):
    for rule in services.ruleset_of(version).indicators:
        if rule.code == code:
            return rule
    return None


def daily_totals(rule, start, end):
    """{date: amount} of the live events that count for the rule, per day."""
    field = "participants" if rule.field == "participants" else "quantity"
    return amounts_by_day(rule.events, field, start, end)


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
    y_ticks: list[tuple[float, int]]  # (y, value) of the y-axis labels
    table: list["ChartRow"]  # the text alternative: the values month by month
    margin: int = 36
    left: int = 56


@dataclass
class ChartRow:
    day: date  # a month's last day, or the last day shown if the month is not over
    value: int  # recorded, cumulative
    expected: float  # the expected pace on that day


def chart(ruleset, rule, as_of, grain=Granularity.DAY, width=640, height=240, margin=36,
          left=56):
    """The cumulative value (up to `as_of`, by day or only at month ends) and the expected pace
    over the period, as SVG coordinates; `left` leaves room for the y axis's values."""
    start, end = ruleset.start, ruleset.end
    days = (end - start).days + 1
    points = value_series(rule, start, end, as_of, grain)
    y_max = max(rule.target, max((v for _, v in points), default=0), 1)
    plot_w, plot_h = width - left - margin, height - 2 * margin

    def x(day):
        return round(left + plot_w * (day - start).days / (days - 1), 1)

    def y(value):
        return round(height - margin - plot_h * value / y_max, 1)

    value_points = " ".join(f"{x(day)},{y(v)}" for day, v in points)
    pace_points = " ".join(
        f"{x(day)},{y(rule.target * expected_share(rule, start, end, day))}"
        for day in (start + timedelta(days=i) for i in range(0, days, 3))
    ) + f" {x(end)},{y(rule.target)}"
    months_axis = [(x(date(start.year, m, 1)), date(start.year, m, 1))
                   for m in range(1, 13) if date(start.year, m, 1) >= start]
    return Chart(width, height, value_points, pace_points, y(rule.target),
                 x(as_of) if start <= as_of <= end else None, y_max, months_axis,
                 [(y(value), value) for value in y_ticks(y_max)],
                 chart_table(rule, start, end, points), margin, left)


def y_ticks(y_max, most=5):
    """Round values from 0 up to `y_max` for the y axis: steps of 1, 2, 5, 10, 20, 50, ...,
    at most `most` + 1 labels."""
    step = 1
    while y_max / step > most:
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2
    return list(range(0, math.floor(y_max) + 1, step))


def chart_table(rule, start, end, points):
    """The chart's values at each month end (and the last day shown): its text alternative."""
    if not points:
        return []
    last = points[-1][0]
    days = months.month_ends(start, last)
    if last != months.month_end(last):
        days.append(last)
    return [ChartRow(day, max((v for d, v in points if d <= day), default=0),
                     round(rule.target * expected_share(rule, start, end, day), 1))
            for day in days]


def value_series(rule, start, end, as_of, grain):
    """[(day, cumulative value)]: one point a day up to `as_of`; by month, a step at each month
    end up to the month cut-off (two points on the same day: before and after)."""
    last = min(services.shown_as_of(grain, as_of), end)
    daily = daily_totals(rule, start, last) if last >= start else {}
    if grain is Granularity.DAY:
        days = [start + timedelta(days=i) for i in range((last - start).days + 1)]
        return list(zip(days, _cumulative(rule, [daily.get(d, 0) for d in days]), strict=True))
    ends = months.month_ends(start, last)
    monthly = months.by_month(daily)
    values = _cumulative(rule, [monthly.get(m, 0) for m in ends])
    return [p for m, before, after in zip(ends, [0, *values], values, strict=False)
            for p in ((m, before), (m, after))]


def _cumulative(rule, amounts):
    running, values = 0, []
    for amount in amounts:
        running += amount
        values.append((1 if running else 0) if rule.measure == "milestone" else running)
    return values


@dataclass
class IndicatorView:
    """What the indicator page shows one reader: figures at `shown_as_of`, the chosen date or,
    for a reader who sees the indicator by month, the month cut-off (then also `month_as_of`)."""

    result: object  # IndicatorStatus
    chart: Chart
    counted: list
    shown_as_of: date
    month_as_of: date | None


def indicator_view(reader, year, version, rule, as_of):
    """The status, chart and counted activities of one indicator, at the reader's grain."""
    ruleset = services.ruleset_of(version)
    grain = services.rule_granularity(reader, rule)
    shown = services.shown_as_of(grain, as_of)
    result = next(r for r in services.evaluate_year(year, shown, version) if r.code == rule.code)
    return IndicatorView(
        result, chart(ruleset, rule, as_of, grain),
        counted_events(rule, ruleset.start, min(shown, ruleset.end), reader), shown,
        shown if grain is Granularity.MONTH else None)


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
    latest = latest_events([t for t in types if may_read(reader, t)], start, end)
    return [Counted(t, totals.get(t.code, Totals()).quantity,
                    totals.get(t.code, Totals()).participants,
                    latest.get(t.id, []), hidden=not may_read(reader, t))
            for t in types]


def latest_events(types, start, end):
    """{type id: its LATEST most recent live events in the period, newest first}, in one query
    (one index range per type)."""
    if not types:
        return {}
    newest_first = (Event.occurred_on.desc(), Event.id.desc())
    parts = [select(Event.id).where(Event.type_id == t.id, Event.live,
                                    Event.occurred_on.between(start, end))
             .order_by(*newest_first).limit(LATEST).subquery() for t in types]
    ids = union_all(*[select(part.c.id) for part in parts])
    latest = {}
    for event in db.session.scalars(select(Event).where(Event.id.in_(ids))
                                    .order_by(*newest_first)):
        latest.setdefault(event.type_id, []).append(event)
    return latest
