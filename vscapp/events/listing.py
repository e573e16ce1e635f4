"""The activities list: its filters, pages by key (date, id) instead of OFFSET, the counts
that follow the filters, and the CSV and XLSX exports of what the list shows.

Every query here starts from the types the reader may read (permissions.may_read): rows of
other types never leave the database, whatever the filters or the cursor say.
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date

from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import func, select, tuple_

from vscapp import clock, months, permissions
from vscapp.audit import services as audit
from vscapp.audit.models import AuditEntry
from vscapp.converters import MAX_ID  # a larger key than an id can be is no key
from vscapp.engine.evaluate import Totals
from vscapp.events import text_search
from vscapp.events.models import Event, EventType
from vscapp.events.services import all_types, totals_by_type
from vscapp.extensions import db
from vscapp.report.exports import csv_safe, is_formula_like
from vscapp.vocabulary import Granularity

PAGE_SIZE = 50
CURSOR = re.compile(r"^(\d{4}-\d{2}-\d{2})\.(\d{1,10})$")
XLSX_ROWS = 100_000  # rows of an XLSX export at most: a spreadsheet, not an archive (CSV: all)
XLSX_WIDTHS = (12, 24, 40, 10, 12, 50, 16, 30, 30)


@dataclass(frozen=True)
class Cursor:
    """Where a page ends: the date and id of its last event; the next page starts after it."""

    day: date
    id: int

    def __str__(self):
        return f"{self.day.isoformat()}.{self.id}"

    @classmethod
    def parse(cls, text):
        """The cursor written in `text`, or None when it is none (malformed, out of range)."""
        match = CURSOR.match(text or "")
        if not match or int(match.group(2)) > MAX_ID:
            return None
        try:
            return cls(date.fromisoformat(match.group(1)), int(match.group(2)))
        except ValueError:
            return None


@dataclass
class Filters:
    """What the reader narrowed the list to (an EventFilterForm's values)."""

    type_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    text: str | None = None
    mine: bool = False
    oldest_first: bool = False
    show_voided: bool = False

    @property
    def beyond_daily_totals(self):
        """Whether counting needs the events themselves (the daily totals know no author or
        text)."""
        return bool(self.text or self.mine)


def events_query(types, filters, reader):
    """The events of `types` (those the reader may read) that pass the filters, in list
    order: by date then id, newest first unless asked otherwise."""
    stmt = select(Event).where(*conditions(types, filters, reader))
    if filters.oldest_first:
        return stmt.order_by(Event.occurred_on, Event.id)
    return stmt.order_by(Event.occurred_on.desc(), Event.id.desc())


def conditions(types, filters, reader):
    ids = [t.id for t in types]
    if filters.type_id is not None:
        ids = [i for i in ids if i == filters.type_id]
    found = [Event.type_id.in_(ids)]
    if filters.date_from:
        found.append(Event.occurred_on >= filters.date_from)
    if filters.date_to:
        found.append(Event.occurred_on <= filters.date_to)
    if filters.mine:
        found.append(Event.created_by_id == reader.id)
    if filters.text:
        found.append(text_search.holding(filters.text))
    if not filters.show_voided:
        found.append(Event.live)
    return found


def after(stmt, filters, cursor):
    """`stmt` narrowed to the events that come after `cursor` in list order."""
    if cursor is None:
        return stmt
    key, at = tuple_(Event.occurred_on, Event.id), tuple_(cursor.day, cursor.id)
    return stmt.where(key > at if filters.oldest_first else key < at)


@dataclass
class Page:
    events: list
    next_cursor: Cursor | None  # None: this is the last page


def page(stmt, filters, cursor=None, size=PAGE_SIZE):
    """One page of the list after `cursor`; one row more is read to know whether more follow."""
    rows = db.session.scalars(after(stmt, filters, cursor).limit(size + 1)).all()
    more = len(rows) > size
    rows = rows[:size]
    return Page(rows, Cursor(rows[-1].occurred_on, rows[-1].id) if more else None)


def all_pages(stmt, filters, size=1000):
    """Every event of `stmt`, read page by page (a bounded number of rows in memory)."""
    cursor = None
    while True:
        batch = page(stmt, filters, cursor, size)
        yield from batch.events
        for event in batch.events:  # what was written out need not stay in the session
            db.session.expunge(event)
        if batch.next_cursor is None:
            return
        cursor = batch.next_cursor


@dataclass
class Counts:
    """The count rows under the list, as the _counts partial shows them."""

    rows: list  # (type, quantity, participants)
    month_as_of: date | None  # the cut-off of the types counted by whole month, if any


def counts(types, filters, reader, start, end, on=None):
    """Per type, the quantity and participants of the live events that pass the filters
    between `start` and `end`. Types the reader may read are counted by day; the others by
    whole month up to today's cut-off, and only when the filters say nothing the reader may
    not know of them (a text, an author)."""
    shown = [t for t in all_types() if filters.type_id in (None, t.id)]
    readable = {t.id for t in types}
    if filters.beyond_daily_totals:
        totals = _event_totals(types, filters, reader, start, end)
        return Counts([_row(t, totals) for t in shown if t.id in readable], None)
    totals = totals_by_type(start, end, [t.code for t in shown if t.id in readable])
    hidden = [t for t in shown if t.id not in readable
              and permissions.granularity(reader, [t]) is Granularity.MONTH]
    cut = months.cutoff(min(on or clock.today(), end)) if hidden else None
    if hidden and cut >= start:
        totals |= totals_by_type(start, cut, [t.code for t in hidden])
    return Counts([_row(t, totals) for t in shown if t.id in readable or t in hidden], cut)


def _row(event_type, totals):
    found = totals.get(event_type.code, Totals())
    return event_type, found.quantity, found.participants


def _event_totals(types, filters, reader, start, end):
    """{type code: Totals} summed over the events themselves."""
    by_type = {t.id: t.code for t in types}
    rows = db.session.execute(event_totals_query(types, filters, reader, start, end))
    return {by_type[type_id]: Totals(int(q), int(p)) for type_id, q, p in rows}


def event_totals_query(types, filters, reader, start, end):
    """Per type id, the quantity and participants of the live events that pass the filters
    between `start` and `end` (voided records count for nothing, even when the list shows
    them)."""
    live = Filters(**{**filters.__dict__, "show_voided": False})
    return (select(Event.type_id, func.coalesce(func.sum(Event.quantity), 0),
                   func.coalesce(func.sum(Event.participants), 0))
            .where(*conditions(types, live, reader), Event.occurred_on.between(start, end))
            .group_by(Event.type_id))


def csv_headers():
    return [_("Date"), _("Activity code"), _("Activity"), _("Quantity"), _("Participants"),
            _("Note"), _("Case reference"), _("Recorded by"), _("Void because")]


def row_values(event, lang):
    """An event's cells in both exports, under csv_headers(); the date stays a date."""
    return [event.occurred_on, event.event_type.code, event.event_type.name(lang),
            event.quantity, event.participants, event.note, event.case_ref,
            event.created_by.email, event.void_reason if event.voided else None]


def csv_cells(event, lang):
    values = row_values(event, lang)
    return [values[0].isoformat(), *values[1:]]


def csv_lines(events, lang):
    """Semicolon-separated UTF-8 with a BOM, as the report's CSV, one chunk per line; text a
    spreadsheet would run as a formula is quoted (report.exports.csv_safe)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    out.write("\ufeff")
    writer.writerow(csv_safe(csv_headers()))
    yield _drained(out)
    for event in events:
        writer.writerow(csv_safe(csv_cells(event, lang)))
        yield _drained(out)


def _drained(out):
    text = out.getvalue()
    out.seek(0)
    out.truncate()
    return text.encode("utf-8")


def xlsx_file(events, lang, out):
    """The list as XLSX, written into the binary file `out` a row at a time (openpyxl's
    write-only mode holds no rows in memory): dates stay dates and numbers numbers, text a
    spreadsheet would run as a formula stays text. At most XLSX_ROWS rows: a last line says so
    when the list goes on."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Activities")[:31])
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGHI", XLSX_WIDTHS, strict=True):
        sheet.column_dimensions[column].width = width
    bold = Font(bold=True)
    sheet.append([_xlsx_cell(sheet, header, bold) for header in csv_headers()])
    for number, event in enumerate(events):
        if number == XLSX_ROWS:
            sheet.append([_xlsx_cell(sheet, _(
                "The list goes on: an XLSX download holds its first %(rows)s rows. Narrow the "
                "filters, or download the CSV, which holds them all.",
                rows=format_decimal(XLSX_ROWS)), bold)])
            break
        sheet.append([_xlsx_cell(sheet, value) for value in row_values(event, lang)])
    book.save(out)


def _xlsx_cell(sheet, value, font=None):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # what XML cannot hold (records of old)
    cell = WriteOnlyCell(sheet, value=value)
    if is_formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    elif isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    if font:
        cell.font = font
    return cell


def record_export(reader, filters, kind):
    """An export hands out records' details at once: the trail says who took which list, as
    which file (`kind`: csv or xlsx), with which filters."""
    db.session.add(AuditEntry(actor_id=reader.id, actor_label=audit.actor_label(reader),
                              action="event.export", entity_type="EventList",
                              entity_id=kind, after=described(filters)))


def described(filters):
    """The filters an export entry keeps, under the names the trail words (audit.words)."""
    chosen = db.session.get(EventType, filters.type_id) if filters.type_id else None
    values = {"event_type_code": chosen.code if chosen else None,
              "date_from": filters.date_from.isoformat() if filters.date_from else None,
              "date_to": filters.date_to.isoformat() if filters.date_to else None,
              "search_text": filters.text, "recorded_by_me": filters.mine,
              "oldest_first": filters.oldest_first, "show_voided": filters.show_voided}
    return {name: value for name, value in values.items() if value}
