"""The home page per role, the indicator page, and the yearly evaluation report."""

import csv
import io
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from helpers import DATA, make_event
from vscapp.audit.models import AuditEntry
from vscapp.extensions import db
from vscapp.permissions import may_see_indicator
from vscapp.plans.parser import parse_plan
from vscapp.plans.services import import_plan
from vscapp.report.models import IndicatorComment


def event_links(html):
    """Links to single records in the indicator page's event lists."""
    return sum(part.split("</ul>")[0].count('href="/events/')
               for part in html.split('class="event-list"')[1:])


def card(html, code):
    return html.split(f'data-code="{code}"')[1].split("</li>")[0]


def test_coordinator_home_shows_statuses_in_words_and_what_needs_attention(client, as_role,
                                                                          demo_2023):
    as_role("coordinator")
    html = client.get("/?as_of=2023-09-30").get_data(as_text=True)
    attention = html.split('id="attention-title"')[1].split("</section>")[0]
    assert attention.index("S1.SD4.OD2.I1") < attention.index("S1.SD4.OD3.I1")  # worst first
    police = card(html, "S1.SD4.OD2.I1")
    assert 'class="status status-off_target">off target' in police
    assert "1 of 3 · 2 expected by now" in police
    assert 'class="pace" style="left: 66.7%"' in police  # where it should be by today
    assert "reached" in card(html, "S1.SD1.OD1.I1")
    assert html.count('class="objective"') == 4


def test_home_filters_by_status_and_strategic_objective(client, as_role, demo_2023):
    as_role("coordinator")
    html = client.get("/?as_of=2023-09-30&status=off_target").get_data(as_text=True)
    assert html.count('<li class="card') == 1 and 'data-code="S1.SD4.OD2.I1"' in html
    html = client.get("/?as_of=2023-09-30&strategic=S1.SD2").get_data(as_text=True)
    assert html.count('<li class="card') == 2


@pytest.mark.parametrize("role", ["officer", "liaison"])
def test_other_roles_see_progress_without_the_coordinators_attention_list(
        client, as_role, demo_2023, role):
    as_role(role)
    html = client.get("/?as_of=2023-09-30").get_data(as_text=True)
    assert html.count('<li class="card') == 13
    assert 'id="attention-title"' not in html


def test_officers_follow_sector_1_only():
    class User:
        is_authenticated = is_active = True

        def __init__(self, role):
            self.role = role

    assert may_see_indicator(User("officer"), "S1.SD1.OD1.I1")
    assert not may_see_indicator(User("officer"), "S2.SD1.OD1.I1")
    assert may_see_indicator(User("liaison"), "S2.SD1.OD1.I1")


def test_indicator_page_chart_events_and_rules(client, as_role, demo_2023):
    as_role("coordinator")
    html = client.get("/targets/2023/S1.SD4.OD3.I1?as_of=2023-09-30").get_data(as_text=True)
    assert "<svg" in html and 'class="value-line"' in html and 'class="pace-line"' in html
    assert 'class="today-line"' in html
    assert "5 of 10, 7 expected by now; 5 more in 92 days" in html
    assert event_links(html) == 5  # the five projects, readable by the coordinator
    assert "Initial 2023 targets" in html  # the rules' history
    assert "count, at least 10; evenly through the year" in " ".join(html.split())


def test_liaison_sees_how_many_but_not_which_social_prevention_records(client, as_role, demo_2023):
    as_role("liaison")
    html = client.get("/targets/2023/S1.SD4.OD3.I1?as_of=2023-09-30").get_data(as_text=True)
    counted = html.split('id="counted"')[1].split("</table>")[0]
    assert '<td class="num">5</td>' in counted
    assert event_links(html) == 0
    police = client.get("/targets/2023/S1.SD4.OD2.I1?as_of=2023-09-30").get_data(as_text=True)
    assert event_links(police) == 1  # police contacts are shared with the liaison


def test_completeness_check_before_export(client, as_role, demo_2023):
    as_role("coordinator")
    html = client.get("/report/2023?as_of=2023-12-31").get_data(as_text=True)
    check = html.split('id="completeness"')[1].split("</section>")[0]
    assert "No activity counted for: S1.SD3.OD3.I2" in check
    assert "Months without any entry: August 2023" in check


def test_comment_is_saved_audited_and_exported(client, as_role, demo_2023):
    coordinator = as_role("coordinator")
    response = client.post("/report/2023/comments?as_of=2023-12-31", data={
        "comment-S1.SD4.OD2.I1": "Police cell reorganised in spring"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/report/2023?as_of=2023-12-31"
    comment = db.session.scalar(select(IndicatorComment))
    assert (comment.code, comment.text, comment.updated_by_id) == (
        "S1.SD4.OD2.I1", "Police cell reorganised in spring", coordinator.id)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "report.comment"))
    assert entry.after == {"text": "Police cell reorganised in spring"}
    page = client.get("/report/2023?as_of=2023-12-31").get_data(as_text=True)
    assert f"Last edited by {coordinator.email}" in page
    body = client.get("/report/2023/export.csv?as_of=2023-12-31&lang=nl").data
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    police = next(r for r in rows[1:] if r[3] == "S1.SD4.OD2.I1")
    assert police[6:] == ["1", "3", "buiten doel", "Police cell reorganised in spring"]


def test_all_comments_in_one_form_and_nothing_typed_is_lost(client, as_role, demo_2023):
    as_role("coordinator")
    page = client.get("/report/2023").get_data(as_text=True)
    assert page.count('action="/report/2023/comments') == 1 and "/comments/" not in page
    assert page.count("Save all comments") == 1
    assert page.count('name="comment-S1.') == 13
    typed = {"comment-S1.SD1.OD2.I1": "More consultations in autumn",
             "comment-S1.SD4.OD2.I1": "Zie mail van j.peeters@police.belgium.eu"}
    response = client.post("/report/2023/comments", data=typed)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "More consultations in autumn" in page and "j.peeters@police.belgium.eu" in page
    assert "This looks like an e-mail address" in page
    assert db.session.scalar(select(IndicatorComment)) is None
    typed["comment-S1.SD4.OD2.I1"] = "Police cell reorganised in spring"
    response = client.post("/report/2023/comments", data=typed, follow_redirects=True)
    assert "Comments saved: 2." in response.get_data(as_text=True)
    assert len(db.session.scalars(select(IndicatorComment)).all()) == 2


def header_row(sheet):
    return next(row[0].row for row in sheet.iter_rows() if row[1].value == "Code")


def test_xlsx_keeps_the_plan_structure_with_numbers_a_header_block_and_print_setup(
        client, as_role, demo_2023):
    from openpyxl import load_workbook

    coordinator = as_role("coordinator")
    response = client.get("/report/2023/export.xlsx?as_of=2023-12-31&lang=nl")
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="vsc-evaluation-2023-2023-12-31-nl.xlsx"'
    book = load_workbook(io.BytesIO(response.data))
    sheet = book.worksheets[0]
    assert sheet["A1"].value.startswith("Evaluatie 2023")
    block = {sheet.cell(r, 1).value: sheet.cell(r, 2).value for r in range(2, 12)}
    assert block["Gemeente"] == "Sint-Jans-Molenbeek" and block["Planjaar"] == 2023
    assert block["Besluit"].startswith("KB van 1 oktober 2023")
    assert block["Evaluatiedatum"].date() == date(2023, 12, 31)
    assert block["Gemaakt door"] == coordinator.email
    assert block["Gemaakt op"].year >= 2026
    counts = [block[word] for word in ("behaald", "op schema", "in gevaar", "buiten doel")]
    assert all(isinstance(n, int) for n in counts) and sum(counts) == 13
    header = header_row(sheet)
    codes = [row[1].value for row in sheet.iter_rows(min_row=header + 1)]
    assert codes[:7] == ["S1", "S1.G1", "S1.SD1", "S1.SD1.OD1", "S1.SD1.OD1.R1",
                         "S1.SD1.OD1.I1", "S1.SD1.OD2"]
    assert len([c for c in codes if ".I" in c]) == 13
    assert codes[-1] == "S2.SD4"
    row = next(r for r in sheet.iter_rows(min_row=header) if r[1].value == "S1.SD1.OD2.I1")
    assert [c.value for c in row[3:7]] == [10, 11, 10, "behaald"]
    assert [c.data_type for c in row[3:6]] == ["n", "n", "n"]
    assert row[2].alignment.indent == 5
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == f"${header}:${header}"
    assert sheet.auto_filter.ref == f"A{header}:H{sheet.max_row}"
    check = book.worksheets[1]
    assert check["A1"].value == "Controle op volledigheid"
    assert "S1.SD3.OD3.I2" in check["A2"].value


def test_csv_has_its_header_first_and_one_row_per_indicator(client, as_role, demo_2023):
    as_role("coordinator")
    body = client.get("/report/2023/export.csv?as_of=2023-12-31&lang=nl").data
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["Gemeente", "Planjaar", "Evaluatiedatum", "Code", "Indicator"]
    assert len(rows) == 1 + 13
    assert {tuple(row[:3]) for row in rows[1:]} == {
        ("Sint-Jans-Molenbeek", "2023", "2023-12-31")}


def test_pdf_headers_page_numbers_who_and_a_summary(client, as_role, demo_2023):
    from pypdf import PdfReader

    coordinator = as_role("coordinator")
    response = client.get("/report/2023/export.pdf?as_of=2023-12-31&lang=nl")
    pages = PdfReader(io.BytesIO(response.data)).pages
    texts = [page.extract_text() for page in pages]
    assert len(pages) > 1
    for number, text in enumerate(texts, start=1):
        assert f"Pagina {number} van {len(pages)}" in text
        assert f"door {coordinator.email}" in text
    words = texts[0].split()
    for header in ("Code", "Tekst", "Streefcijfer", "Resultaat", "Status", "Opmerking"):
        assert header in words, header  # whole, never cut inside the word
    assert "Samenvatting:" in texts[0] and "buiten doel:" in texts[0]


def test_pdf_in_french_for_a_plan_imported_in_both_languages(client, as_role, demo_2023):
    from pypdf import PdfReader

    import_plan(parse_plan((DATA / "plan-2023-fr.md").read_text(encoding="utf-8")))
    db.session.commit()
    as_role("coordinator")
    response = client.get("/report/2023/export.pdf?as_of=2023-12-31&lang=fr")
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "Évaluation 2023 · Molenbeek-Saint-Jean" in text
    assert "Nombre de consultations individuelles" in text
    assert "hors objectif" in text and "atteint" in text
    assert "Aucune activité comptée pour : S1.SD3.OD3.I2" in text


def test_report_is_the_coordinators(client, as_role, demo_2023):
    as_role("officer")
    assert client.get("/report/2023").status_code == 403
    assert client.get("/report/2023/export.pdf").status_code == 403


def test_indicator_page_lists_only_the_latest_records_and_links_to_all(
        client, as_role, rules_2023, make_user):
    officer = make_user("officer")
    for day in range(1, 56):
        make_event("project", officer, on=date(2023, 1, 1) + timedelta(days=day))
    as_role("coordinator")
    html = client.get("/targets/2023/S1.SD4.OD3.I1?as_of=2023-12-31").get_data(as_text=True)
    counted = html.split('id="counted"')[1].split("</table>")[0]
    assert '<td class="num">55</td>' in counted
    assert event_links(html) == 50
    assert ("/events/?event_type=project&amp;date_from=2023-01-01&amp;date_to=2023-12-31"
            in html)


def test_home_without_active_rules_says_so_and_shows_the_counts(client, as_role, plan_2023):
    as_role("coordinator")
    html = client.get("/").get_data(as_text=True)
    assert "No rules are active for 2023 yet." in html
    assert 'id="counts-title"' in html and '<li class="card' not in html


def test_pdfs_made_at_once_by_threads_all_come_out(app, client, as_role, demo_2023,
                                                  monkeypatch):
    """gunicorn's threads make PDFs side by side; ReportLab's fonts are shared by the process
    and read through one cursor, so one PDF at a time (found by bench/web.py: 3 PDFs of 6,520
    answered 500 at 8 and 16 users)."""
    import threading
    import time

    from pypdf import PdfReader
    from reportlab.pdfbase.ttfonts import TTFontParser

    from vscapp.report import exports

    made, real_to_pdf = [], exports.to_pdf
    monkeypatch.setattr(exports, "to_pdf", lambda *args: made.append(args) or b"")
    as_role("coordinator")
    client.get("/report/2023/export.pdf?as_of=2023-12-31&lang=fr")  # accents: composite glyphs
    arguments, failures, pdfs = made[0], [], []

    def make():
        try:
            with app.test_request_context():
                for _ in range(3):
                    pdfs.append(real_to_pdf(*arguments))
        except Exception as exc:  # noqa: BLE001 (counted: the test fails on any)
            failures.append(repr(exc))

    real_seek = TTFontParser.seek

    def seek_then_let_others_run(self, pos):  # as a loaded server's threads take turns
        real_seek(self, pos)
        time.sleep(0.0001)

    monkeypatch.setattr(TTFontParser, "seek", seek_then_let_others_run)
    threads = [threading.Thread(target=make) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(pdfs) == 12
    assert all(len(PdfReader(io.BytesIO(pdf)).pages) > 1 for pdf in pdfs)
