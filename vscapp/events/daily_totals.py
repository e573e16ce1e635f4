"""The daily totals per activity type (table daily_total): what every count reads, so that the
work of a page does not grow with the number of events.

Every verb that changes events moves them in its own transaction, after bumping the data
version (whose lock makes event writes take turns):

    record, import    count_in(events)            one upsert per (type, day), not per event
    correct, void     with recounted(event): ...  the old amounts out, the new ones in

A change that touches no number (a redaction of the note or the case reference) may run inside
recounted() too: nothing moves. Anything that writes events some other way (a bulk load)
ends with rebuild(), which is also `vsc totals rebuild`.
"""

from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select

from vscapp import data_version
from vscapp.events.models import DailyTotal, Event, EventType
from vscapp.extensions import db
from vscapp.models import dialect_insert


class Tally:
    """Changes to the daily totals, summed per (type, day) before they are written."""

    def __init__(self):
        self.changes = defaultdict(lambda: [0, 0, 0])

    def add(self, event, sign=1):
        """Count a live event in (sign -1: out); a voided one counts for nothing."""
        if event.live:
            change = self.changes[(event.event_type.id, event.occurred_on)]
            for n, amount in enumerate((1, event.quantity, event.participants or 0)):
                change[n] += sign * amount
        return self

    def take_out(self, event):
        return self.add(event, -1)

    def write(self):
        """One upsert per (type, day) that changed, in key order (the same in every writer)."""
        rows = [{"type_id": type_id, "day": day, **dict(zip(DailyTotal.AMOUNTS, change,
                                                            strict=True))}
                for (type_id, day), change in sorted(self.changes.items()) if any(change)]
        if rows:
            db.session.execute(_adding_upsert(), rows)
        self.changes.clear()


def _adding_upsert():
    """INSERT ... ON CONFLICT (type, day) DO UPDATE SET n = n + excluded.n, for each amount:
    safe when two transactions add to the same day at once."""
    table = DailyTotal.__table__
    stmt = dialect_insert(table)
    return stmt.on_conflict_do_update(
        index_elements=[table.c.type_id, table.c.day],
        set_={name: table.c[name] + stmt.excluded[name] for name in DailyTotal.AMOUNTS})


def count_in(events):
    """Add new (flushed) events to the daily totals."""
    tally = Tally()
    for event in events:
        tally.add(event)
    tally.write()


@contextmanager
def recounted(event):
    """Around a change of a stored event: its amounts out before, its amounts in after.

    The data version is bumped first and the event read again, so a change made meanwhile by
    someone else (committed before our turn came) is what gets taken out.
    """
    data_version.bump()
    db.session.refresh(event)
    tally = Tally().take_out(event)
    yield
    tally.add(event).write()


@dataclass(frozen=True)
class Difference:
    code: str
    day: object
    stored: tuple  # (events, quantity, participants) as the table had them
    counted: tuple  # the same, counted from the events

    def __str__(self):
        return (f"{self.day} {self.code}: stored {'/'.join(map(str, self.stored))}, "
                f"events say {'/'.join(map(str, self.counted))} (events/quantity/participants)")


def rebuild():
    """Recount every daily total from the live events; what differed, as Differences."""
    data_version.bump()
    stored = _amounts(select(DailyTotal.type_id, DailyTotal.day,
                             *[getattr(DailyTotal, name) for name in DailyTotal.AMOUNTS]))
    counted = _amounts(live_totals_query())
    db.session.execute(delete(DailyTotal))
    db.session.execute(insert(DailyTotal).from_select(
        ["type_id", "day", *DailyTotal.AMOUNTS], live_totals_query()))
    codes = dict(db.session.execute(select(EventType.id, EventType.code)).all())
    return [Difference(codes[type_id], day, stored.get((type_id, day), (0, 0, 0)),
                       counted.get((type_id, day), (0, 0, 0)))
            for type_id, day in sorted(stored.keys() | counted.keys())
            if stored.get((type_id, day), (0, 0, 0)) != counted.get((type_id, day), (0, 0, 0))]


def _amounts(stmt):
    """{(type id, day): (events, quantity, participants)}, leaving out days of nothing."""
    return {(type_id, day): tuple(int(n) for n in amounts)
            for type_id, day, *amounts in db.session.execute(stmt) if any(amounts)}


def live_totals_query():
    """(type id, day, events, quantity, participants) of the live events, from the events
    themselves: the partial covering index ix_event_live_by_type answers it alone."""
    return (select(Event.type_id, Event.occurred_on, func.count(),
                   func.coalesce(func.sum(Event.quantity), 0),
                   func.coalesce(func.sum(Event.participants), 0))
            .where(Event.live).group_by(Event.type_id, Event.occurred_on))
