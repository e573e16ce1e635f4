"""The evaluation report as CSV, XLSX (openpyxl) and PDF (ReportLab), with the plan's
structure: one row per node, indented by level, indicators with their numbers."""

import csv
import io
from pathlib import Path

from flask_babel import gettext as _

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


def as_cells(row):
    return [level_name(row), row.code, row.text, row.target, row.value, row.expected,
            row.status_word, row.comment]


def to_csv(title, rows):
    """Semicolon-separated UTF-8 with a BOM: what spreadsheets in Belgium open directly."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([title])
    writer.writerow(headers())
    writer.writerows(as_cells(row) for row in rows)
    return out.getvalue().encode("utf-8")


def to_xlsx(title, rows, completeness_lines):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = _("Evaluation")[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(headers())
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(as_cells(row))
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
        check.append([line])
    check.column_dimensions["A"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


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

        return Paragraph(escape(text or ""), style)

    data = [[p(h, bold) for h in headers()[1:]]]
    style = [("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#D8DCE3")),
             ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEF0F3"))]
    for row in rows:
        indent = ParagraphStyle(f"i{row.level}", parent=bold if row.level <= 2 else normal,
                                leftIndent=row.level * 6)
        data.append([p(row.code), p(row.text, indent), p(row.target), p(row.value),
                     p(row.expected), p(row.status_word), p(row.comment)])
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
