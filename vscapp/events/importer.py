"""Bulk import of an existing activity register from CSV: all rows or none.

Each row is read into EventValues and checked by the same functions as the web form
(events.checks), so a row is refused for exactly the reasons a person typing it would be told.

The file is read twice, a row at a time: once to check every row, once to record them in
batches, all in the caller's transaction. Memory does not grow with the file; its size is
bounded by MAX_ROWS all the same (a clear message above it), and so is the list of errors.
"""

import csv
import io
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from pathlib import Path

from flask_babel import format_number
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
MAX_ROWS = 100_000  # rows of one file (the README says so); above it, split the file
MAX_LISTED = 100  # errors listed; the count says how many there are in all
BATCH = 1_000  # rows recorded per flush


@dataclass
class RowError:
    row: int
    column: str
    reason: str

    def __str__(self):
        return f"row {self.row}, column {self.column}: {self.reason}"


class ImportRejected(ValueError):
    """The file was refused: `errors` lists the first MAX_LISTED problems, `count` all."""

    def __init__(self, errors, count=None):
        self.errors = errors
        self.count = len(errors) if count is None else count
        super().__init__(f"{self.count} error(s)")


@contextmanager
def _opened(source):
    """A text stream of the CSV: `source` is its text, or a Path to a UTF-8 file."""
    if isinstance(source, Path):
        with open(source, encoding="utf-8-sig", newline="") as stream:
            yield stream
    else:
        yield io.StringIO(source)


def read_rows(stream):
    """The header and an iterator of the (number, row) of a CSV stream with ',', ';' or tab
    separators, row numbers as in a sheet; empty rows are skipped."""
    first = stream.readline()
    stream.seek(0)
    try:
        dialect = csv.Sniffer().sniff(first, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(stream, dialect)
    header = [h.strip().lower() for h in next(reader, [])]
    return header, ((number, row) for number, row in enumerate(reader, start=2) if any(row))


def check_header(header):
    errors = [RowError(1, name, "unknown column; expected " + ", ".join(COLUMNS))
              for name in header if name not in COLUMNS]
    errors += [RowError(1, name, "required column is missing")
               for name in REQUIRED if name not in header]
    if len(set(header)) != len(header):
        errors.append(RowError(1, "-", "a column appears twice"))
    return errors


def import_events(source, user, max_rows=None):
    """Check every row of `source` (the CSV's text or a Path), then record them all in the
    session's transaction; the number recorded. Raise ImportRejected if any row is bad or the
    file has more than `max_rows` rows: then nothing is recorded."""
    types = {t.code: t for t in services.active_types()}
    with _opened(source) as stream:
        _check_all(stream, types, user, max_rows or MAX_ROWS)
        stream.seek(0)
        header, rows = read_rows(stream)
        recorded = 0
        while batch := list(islice(rows, BATCH)):
            services.record_events([_read_again(number, header, row, types)
                                    for number, row in batch], user)
            recorded += len(batch)
    return recorded


def _read_again(number, header, row, types):
    """A row the first pass checked: read, not checked twice (the personal-data check is the
    costly part), unless the file changed in between."""
    values, reader = read_row(number, header, row, types)
    if reader.errors or len(row) > len(header):
        raise ImportRejected([RowError(number, "-", "the file changed while it was imported")])
    return values


def _check_all(stream, types, user, max_rows):
    header, rows = read_rows(stream)
    errors = check_header(header)
    if errors:
        raise ImportRejected(errors)
    count, seen = 0, 0
    for seen, (number, row) in enumerate(rows, start=1):
        if seen > max_rows:
            raise ImportRejected([RowError(number, "-", str(_l(
                "more than %(max)s rows: split the file and import each part",
                max=format_number(max_rows))))])
        _values, row_errors = check_row(number, header, row, types, user)
        count += len(row_errors)
        if len(errors) < MAX_LISTED:
            errors += row_errors[:MAX_LISTED - len(errors)]
    if not seen:
        raise ImportRejected([RowError(2, "-", "the file has no rows")])
    if errors:
        raise ImportRejected(errors, count)


def check_row(number, header, row, types, user):
    """The row's EventValues and its errors (each with its column)."""
    if len(row) > len(header):
        return None, [RowError(number, "-", f"{len(row)} cells for {len(header)} columns")]
    values, reader = read_row(number, header, row, types)
    for name, message in checks.problems(values).items():
        reader.fail(COLUMN_OF[name], message)
    if not reader.errors and not permissions.may_record(user, values.event_type):
        reader.fail("type", f"{user.email} may not record this type")
    return values, reader.errors


def read_row(number, header, row, types):
    """The row's EventValues, and the reader that noted the cells it could not read."""
    cells = {name: value.strip() for name, value in zip(header, row, strict=False)}
    reader = RowReader(number, cells)
    values = checks.EventValues(
        event_type=reader.event_type(types), occurred_on=reader.day("date"),
        quantity=reader.number("quantity", 1, checks.MAX_QUANTITY, empty=1),
        participants=reader.number("participants", 0, checks.MAX_PARTICIPANTS),
        note=reader.text("note", MAX_NOTE), case_ref=reader.text("case_ref", MAX_CASE_REF))
    return values, reader


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
