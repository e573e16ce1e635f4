"""Bulk import of an existing activity register from CSV: all rows or none.

Each row is checked by the same EventForm as the web page, so a row is refused for exactly the
reasons a person typing it would be told.
"""

import csv
import io
from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from vscapp import permissions
from vscapp.events import services
from vscapp.events.forms import EventForm

COLUMNS = {"date": "occurred_on", "type": "event_type", "quantity": "quantity",
           "participants": "participants", "note": "note", "case_ref": "case_ref"}
REQUIRED = ("date", "type")


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
    """Validate every row, then create them all; raise ImportRejected listing every bad row."""
    header, rows = read_rows(text)
    errors = check_header(header)
    if errors:
        raise ImportRejected(errors)
    if not rows:
        raise ImportRejected([RowError(2, "-", "the file has no rows")])
    types = services.active_types()
    forms = []
    for number, row in rows:
        form, row_errors = _check_row(number, header, row, types, user)
        errors += row_errors
        forms.append(form)
    if errors:
        raise ImportRejected(errors)
    return [services.create_event(form, user) for form in forms]


def _check_row(number, header, row, types, user):
    if len(row) > len(header):
        return None, [RowError(number, "-", f"{len(row)} cells for {len(header)} columns")]
    data = MultiDict({COLUMNS[name]: value.strip() for name, value in zip(header, row,
                                                                          strict=False)})
    if not data.get("quantity"):
        data["quantity"] = "1"  # an empty cell means one, as on the form
    form = EventForm(types, formdata=data, meta={"csrf": False})
    errors = []
    if not form.validate():
        fields = {v: k for k, v in COLUMNS.items()}
        errors = [RowError(number, fields[name], str(message))
                  for name, messages in form.errors.items() for message in messages]
    elif not permissions.may_record(user, form.chosen_type):
        errors = [RowError(number, "type", f"{user.email} may not record this type")]
    return form, errors
