"""The evaluation report as CSV, XLSX (openpyxl) and PDF (ReportLab), with the plan's
structure: one row per node, indented by level, indicators with their numbers."""

import csv
import io
from pathlib import Path

from flask_babel import gettext as _

from vscapp.i18n import OtherLanguageText
from vscapp.vocabulary import Status

# The same pale colours as the pages (vsc.css); the status is always in words too.
STATUS_COLOURS = {Status.MET: "E7F4EC", Status.ON_TRACK: "E8F1F8", Status.AT_RISK: "FDF3E1",
                  Status.OFF_TARGET: "FBEAEA"}


def headers():
    return [_("Level"), _("Code"), _("Text"), _("Target"), _("Result"), _("Expected by then"),
            _("Status"), _("Comment")]


def level_name(row):
    return {"sector": _("Activity sector"), "general": _("General objective"),
            "strategic": _("Strategic objective"), "operational": _("Operational objective"),
            "result": _("Expected result"), "indicator": _("Indicator")}[row.kind]


def plan_text(text):
    """A plan text; one without a version in the report's language says so."""
    return f"{text} {_('(not translated)')}" if isinstance(text, OtherLanguageText) else text


def as_cells(row):
    return [level_name(row), row.code, plan_text(row.text), row.target, number_or_text(row.value),
            number_or_text(row.expected), row.status_word, row.comment]


def number_or_text(value):
    """A result or an expected value as a number when it is one ("11", "7.5"), so that a
    spreadsheet can add them up; "yes"/"no" of a milestone stay text."""
    try:
        number = float(value)
    except ValueError:
        return value
    return int(number) if number.is_integer() else number


# What a spreadsheet takes as the start of a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value):
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_safe(cells):
    """Text that a spreadsheet would run as a formula gets a leading quote; numbers stay."""
    return ["'" + cell if is_formula_like(cell) else cell for cell in cells]


def to_csv(title, rows):
    """Semicolon-separated UTF-8 with a BOM: what spreadsheets in Belgium open directly."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(csv_safe([title]))
    writer.writerow(csv_safe(headers()))
    writer.writerows(csv_safe(as_cells(row)) for row in rows)
    return out.getvalue().encode("utf-8")


def to_xlsx(title, rows, completeness_lines):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = _("Evaluation")[:31]
    append_as_text(sheet, [title])
    sheet["A1"].font = Font(bold=True, size=14)
    append_as_text(sheet, headers())
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        append_as_text(sheet, as_cells(row))
        line = sheet.max_row
        sheet.cell(line, 3).alignment = Alignment(indent=row.level, wrap_text=True,
                                                  vertical="top")
        if row.kind != "indicator":
            for cell in sheet[line]:
                cell.font = Font(bold=row.level <= 2)
        if row.status:
            sheet.cell(line, 7).fill = PatternFill("solid", fgColor=STATUS_COLOURS[row.status])
        sheet.row_dimensions[line].outlineLevel = min(row.level, 7)
    for column, width in zip("ABCDEFGH", (22, 16, 70, 18, 10, 12, 14, 40), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A3"
    check = book.create_sheet(_("Completeness")[:31])
    for line in completeness_lines:
        append_as_text(check, [line])
    check.column_dimensions["A"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def append_as_text(sheet, cells):
    """Append a row whose text cells stay text: openpyxl takes any string starting with "="
    for a formula, and a spreadsheet runs one starting with "+", "-" or "@". The quote prefix
    keeps it text when someone edits the cell in Excel or LibreOffice."""
    sheet.append(cells)
    for cell in sheet[sheet.max_row]:
        if is_formula_like(cell.value):
            cell.data_type = "s"
            cell.quotePrefix = True


def to_pdf(title, subtitle, rows, completeness_lines):
    import reportlab
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    fonts = Path(reportlab.__file__).parent / "fonts"
    for name, file in (("Vera", "Vera.ttf"), ("Vera-Bold", "VeraBd.ttf")):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(fonts / file)))
    normal = ParagraphStyle("normal", fontName="Vera", fontSize=8, leading=10)
    bold = ParagraphStyle("bold", parent=normal, fontName="Vera-Bold")
    heading = ParagraphStyle("heading", fontName="Vera-Bold", fontSize=14, leading=18)

    def p(text, style=normal):
        from xml.sax.saxutils import escape

        # An empty cell needs no paragraph (most results, expectations and comments are).
        return Paragraph(escape(text), style) if text else ""

    indents = {level: ParagraphStyle(f"i{level}", parent=bold if level <= 2 else normal,
                                     leftIndent=level * 6) for level in range(6)}

    data = [[p(h, bold) for h in headers()[1:]]]
    style = [("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#D8DCE3")),
             ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("FONT", (0, 1), (-1, -1), "Vera", 8, 10),
             ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEF0F3"))]
    for row in rows:
        # Codes and numbers are short: drawn as they are, without a paragraph to wrap them.
        data.append([row.code, p(plan_text(row.text), indents[row.level]), p(row.target), row.value,
                     row.expected, p(row.status_word), p(row.comment)])
        if row.status:
            style.append(("BACKGROUND", (5, len(data) - 1), (5, len(data) - 1),
                          colors.HexColor("#" + STATUS_COLOURS[row.status])))
    table = Table(data, colWidths=[30 * mm, 99 * mm, 28 * mm, 16 * mm, 18 * mm, 22 * mm,
                                   55 * mm], repeatRows=1)
    table.setStyle(TableStyle(style))
    story = [p(title, heading), p(subtitle), Spacer(1, 4 * mm), table, Spacer(1, 6 * mm),
             p(_("Completeness"), bold)] + [p(line) for line in completeness_lines]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=landscape(A4), title=title, leftMargin=10 * mm,
                      rightMargin=10 * mm, topMargin=10 * mm, bottomMargin=10 * mm).build(story)
    return out.getvalue()
