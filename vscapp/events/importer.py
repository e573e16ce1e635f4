"""Bulk import of an existing activity register from CSV: all rows or none.

Each row is read into EventValues and checked by the same functions as the web form
(events.checks), so a row is refused for exactly the reasons a person typing it would be told.
"""

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l

from vscapp import permissions
from vscapp.events import checks, services
from vscapp.events.forms import DATE_FORMATS

COLUMNS = ("date", "type", "quantity", "participants", "note", "case_ref")
REQUIRED = ("date", "type")
# The row's column for each field the checks name.
COLUMN_OF = {"occurred_on": "date", "participants": "participants", "note": "note",
             "case_ref": "case_ref"}
MAX_NOTE, MAX_CASE_REF = 500, 30


@dataclass
class RowError:
    row: int
    column: str
    reason: str

    def __str__(self):
        return f"row {self.row}, column {self.column}: {self.reason}"


class ImportRejected(ValueError):
    def __init__(self, errors):
        self.errors = errors
        super().__init__(f"{len(errors)} error(s)")


def read_rows(text):
    """The header and rows of a CSV with ',' or ';' separators; row numbers as in a sheet."""
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample.splitlines()[0] if sample else "", delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = [h.strip().lower() for h in next(reader, [])]
    return header, [(number, row) for number, row in enumerate(reader, start=2) if any(row)]


def check_header(header):
    errors = [RowError(1, name, "unknown column; expected " + ", ".join(COLUMNS))
              for name in header if name not in COLUMNS]
    errors += [RowError(1, name, "required column is missing")
               for name in REQUIRED if name not in header]
    if len(set(header)) != len(header):
        errors.append(RowError(1, "-", "a column appears twice"))
    return errors


def import_events(text, user):
    """Check every row, then record them all; raise ImportRejected listing every bad row."""
    header, rows = read_rows(text)
    errors = check_header(header)
    if errors:
        raise ImportRejected(errors)
    if not rows:
        raise ImportRejected([RowError(2, "-", "the file has no rows")])
    types = {t.code: t for t in services.active_types()}
    checked = []
    for number, row in rows:
        values, row_errors = check_row(number, header, row, types, user)
        errors += row_errors
        checked.append(values)
    if errors:
        raise ImportRejected(errors)
    return services.record_events(checked, user)


def check_row(number, header, row, types, user):
    """The row's EventValues and its errors (each with its column)."""
    if len(row) > len(header):
        return None, [RowError(number, "-", f"{len(row)} cells for {len(header)} columns")]
    cells = {name: value.strip() for name, value in zip(header, row, strict=False)}
    reader = RowReader(number, cells)
    values = checks.EventValues(
        event_type=reader.event_type(types), occurred_on=reader.day("date"),
        quantity=reader.number("quantity", 1, checks.MAX_QUANTITY, empty=1),
        participants=reader.number("participants", 0, checks.MAX_PARTICIPANTS),
        note=reader.text("note", MAX_NOTE), case_ref=reader.text("case_ref", MAX_CASE_REF))
    for name, message in checks.problems(values).items():
        reader.fail(COLUMN_OF[name], message)
    if not reader.errors and not permissions.may_record(user, values.event_type):
        reader.fail("type", f"{user.email} may not record this type")
    return values, reader.errors


class RowReader:
    """Reads one row's cells into values, noting a located error for each unreadable cell."""

    def __init__(self, row, cells):
        self.row, self.cells, self.errors = row, cells, []

    def fail(self, column, message):
        if not any(e.column == column for e in self.errors):  # one error per cell
            self.errors.append(RowError(self.row, column, str(message)))

    def event_type(self, types):
        code = self.cells.get("type", "")
        if code not in types:
            self.fail("type", _l("Not a valid choice.") if code else _l("This field is required."))
        return types.get(code)

    def day(self, column):
        text = self.cells.get(column, "")
        for layout in DATE_FORMATS:
            try:
                return datetime.strptime(text, layout).date()
            except ValueError:
                continue
        self.fail(column, _l("Not a valid date value.") if text else _l("This field is required."))
        return None

    def number(self, column, low, high, empty=None):
        text = self.cells.get(column, "")
        if not text:
            return empty
        try:
            value = int(text)
        except ValueError:
            self.fail(column, _l("Not a valid integer value."))
            return None
        if not low <= value <= high:
            self.fail(column, _l("Number must be between %(min)s and %(max)s.", min=low, max=high))
        return value

    def text(self, column, longest):
        text = self.cells.get(column, "")
        if len(text) > longest:
            self.fail(column, _l("At most %(max)s characters.", max=longest))
        return text or None
