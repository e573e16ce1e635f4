"""Finding activities: filters, pages by key (date, id), counts that follow the filters, the
CSV and XLSX exports of the filtered list (the wall and formula-safe cells), and plans that use
indexes."""

import csv
import io
import re
from datetime import date, datetime

import pytest
from sqlalchemy import select

from helpers import login, make_event, query_plan
from vscapp.audit.models import AuditEntry
from vscapp.events import listing
from vscapp.events.checks import EventValues
from vscapp.events.listing import Cursor, Filters
from vscapp.events.services import readable_types, redact_event, update_event
from vscapp.extensions import db
from vscapp.report.exports import XLSX_TYPE


def opened(html):
    """The ids of the events the list page links to, in order."""
    return [int(i) for i in re.findall(r'href="/events/(\d+)"', html)]


def more_link(html):
    found = re.search(r'<a href="([^"]+)" rel="next">', html)
    return found.group(1).replace("&amp;", "&") if found else None


@pytest.fixture
def spring(make_user):
    """Two officers' activities in spring 2023, and a police contact by the liaison."""
    officer, colleague, liaison = make_user("officer"), make_user("officer"), make_user("liaison")
    events = {
        "march": make_event("individual_consultation", officer, on=date(2023, 3, 1),
                            note="Gesprek op school", case_ref="RAD-2023-014"),
        "april": make_event("project", colleague, on=date(2023, 4, 2), quantity=3,
                            note="Weerbaarheid jongeren"),
        "may": make_event("awareness_session", officer, on=date(2023, 5, 4), participants=17,
                          note="=HYPERLINK(\"http://x\")", case_ref="-12+3"),
        "police": make_event("police_contact", liaison, on=date(2023, 5, 5),
                             note="Overleg cel"),
    }
    return officer, colleague, liaison, events


def test_filters_by_text_in_the_note_or_the_case_reference(client, spring):
    officer, _, _, events = spring
    login(client, officer)
    html = client.get("/events/?text=school").get_data(as_text=True)
    assert opened(html) == [events["march"].id]
    assert opened(client.get("/events/?text=rad-2023").get_data(as_text=True)) == [
        events["march"].id]  # case reference, whatever the case
    assert opened(client.get("/events/?text=100%25").get_data(as_text=True)) == []  # % is text


def test_the_text_search_follows_every_change_and_takes_text_as_it_is(client, make_user):
    """The search reads an index (pg_trgm on PostgreSQL; on SQLite an FTS5 table that
    triggers keep): a record, a correction and an erasure show at once; %, _ and quotes are
    text, and case does not matter."""
    officer = make_user("officer")
    event = make_event("project", officer, note="Gesprek op school", case_ref="RAD-7")
    login(client, officer)

    def found(words):
        return opened(client.get("/events/", query_string={"text": words}).get_data(
            as_text=True))

    assert found("SCHOOL") == [event.id] and found("rad-7") == [event.id]
    values = EventValues(event.event_type, event.occurred_on, 1, None,
                         'Plan "B": 100% _klaar_', "RAD-7")
    update_event(event, values, officer)
    db.session.commit()
    assert found("school") == []
    for words in ('"B"', "100%", "_klaar_", 'n "b'):
        assert found(words) == [event.id], words
    assert found("100_") == [] and found("%kla") == []  # no wildcard
    redact_event(event, ["note", "case_ref"], "Naam getypt", make_user("coordinator"))
    db.session.commit()
    assert found("klaar") == [] and found("RAD-7") == []
    void = make_event("project", officer, note="Dubbel op school")
    assert found("dubbel") == [void.id]
    db.session.delete(void)  # (never done by the app: a void keeps the row)
    db.session.commit()
    assert found("dubbel") == []


def test_recorded_by_me_the_type_the_dates_and_the_order(client, spring):
    officer, _, _, events = spring
    login(client, officer)
    ids = {name: e.id for name, e in events.items()}
    assert opened(client.get("/events/?recorded_by=me").get_data(as_text=True)) == [
        ids["may"], ids["march"]]
    assert opened(client.get("/events/?sort=oldest").get_data(as_text=True)) == [
        ids["march"], ids["april"], ids["may"], ids["police"]]
    assert opened(client.get("/events/?event_type=project").get_data(as_text=True)) == [
        ids["april"]]
    assert opened(client.get("/events/?date_from=2023-04-01&date_to=2023-05-04"
                             ).get_data(as_text=True)) == [ids["may"], ids["april"]]


def test_counts_follow_the_filters(client, spring):
    officer, _, _, _ = spring
    login(client, officer)

    def counted(query):
        html = client.get(f"/events/?{query}").get_data(as_text=True)
        section = html[html.index('id="counts-title"'):]
        rows = re.findall(r"<td>([^<]+)</td>\s*<td>\d</td>\s*<td class=\"num\">(\d+)</td>", section)
        return {name: int(n) for name, n in rows if int(n)}, section

    counts, section = counted("date_from=2023-01-01")
    assert counts == {"Individuele raadpleging": 1,
                      "Opgezet project (eigenwaarde, weerbaarheid)": 3,
                      "Opleidings-/bewustmakingssessie": 1,
                      "Contact met de radicaliseringscel van de lokale politie": 1}
    assert "Activities in 2023" in section
    counts, section = counted("recorded_by=me&date_from=2023-01-01")
    assert counts == {"Individuele raadpleging": 1, "Opleidings-/bewustmakingssessie": 1}
    counts, section = counted("event_type=project&date_from=2023-04-01&date_to=2023-04-30")
    assert counts == {"Opgezet project (eigenwaarde, weerbaarheid)": 3}
    assert "Activities from Apr 1, 2023 to Apr 30, 2023" in section
    counts, _ = counted("text=school&date_from=2023-01-01")
    assert counts == {"Individuele raadpleging": 1}


def test_pages_follow_by_key_and_say_more_rather_than_a_count(client, as_role):
    officer = as_role("officer")
    made = [make_event("project", officer, on=date(2023, 1 + i % 12, 1 + i % 28))
            for i in range(120)]
    newest_first = [e.id for e in sorted(made, key=lambda e: (e.occurred_on, e.id),
                                         reverse=True)]
    seen, url = [], "/events/"
    while url:
        html = client.get(url).get_data(as_text=True)
        seen += opened(html)
        url = more_link(html)
        assert not re.search(r"Page \d+ of \d+", html)
    assert seen == newest_first
    assert "First page" in client.get("/events/?after=" + str(
        Cursor(made[0].occurred_on, made[0].id))).get_data(as_text=True)


@pytest.mark.parametrize("after", [
    "2023-02-30.5", "2023-01-01.99999999999", "9999999999", "x" * 5000, "2023-01-01.-1",
    "0000-01-01.1", "2023-01-01.1\x00", "2023-01-01;DROP", "%FF%FE", "2023-13-01.1"])
def test_a_malformed_or_huge_cursor_gives_the_first_page(client, as_role, after):
    officer = as_role("officer")
    event = make_event("project", officer)
    for query in (f"after={after}", f"after={after}&page=99999999999999999999",
                  f"page=-1&date_from={after}&event_type={after}&sort={after}"):
        response = client.get(f"/events/?{query}")
        assert response.status_code in (200, 400)
        if response.status_code == 200:
            assert opened(response.get_data(as_text=True)) == [event.id]
        assert client.get(f"/events/export.csv?{query}").status_code in (200, 400)


def exported(client, query=""):
    response = client.get(f"/events/export.csv?{query}")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_the_export_is_the_filtered_list_with_formula_safe_cells(client, spring):
    officer, _, _, events = spring
    login(client, officer)
    rows = exported(client, "recorded_by=me")
    assert rows[0][:3] == ["Date", "Activity code", "Activity"]
    assert [r[0] for r in rows[1:]] == ["2023-05-04", "2023-03-01"]
    may = rows[1]
    assert may[1] == "awareness_session" and may[4] == "17"
    assert may[5] == "'=HYPERLINK(\"http://x\")" and may[6] == "'-12+3"
    assert len(exported(client)) == 1 + 4


def test_the_liaisons_list_and_export_never_hold_social_prevention_records(client, spring):
    _, _, liaison, events = spring
    login(client, liaison)
    html = client.get("/events/?date_from=2023-01-01").get_data(as_text=True)
    assert opened(html) == [events["police"].id]
    rows = exported(client)
    assert [r[1] for r in rows[1:]] == ["police_contact"]
    assert "Gesprek op school" not in str(rows) and "Weerbaarheid" not in str(rows)
    for query in ("event_type=individual_consultation", "text=school", "sort=oldest",
                  "show_voided=y"):
        assert "individual_consultation" not in str(exported(client, query))
    # a text filter tells nothing about the notes of records the liaison may not read
    html = client.get("/events/?text=school&date_from=2023-01-01").get_data(as_text=True)
    assert "Individuele raadpleging" not in html[html.index('id="counts-title"'):]


def test_an_export_leaves_an_entry_in_the_trail(client, spring):
    officer = spring[0]
    login(client, officer)
    exported(client, "text=school")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "event.export"))
    assert (entry.actor_id, entry.entity_id) == (officer.id, "csv")
    assert entry.after == {"search_text": "school"}


def downloaded_xlsx(client, query=""):
    from openpyxl import load_workbook

    with client.get(f"/events/export.xlsx?{query}") as response:  # closes the temporary file
        assert response.status_code == 200
        assert response.headers["Content-Type"] == XLSX_TYPE
        assert "attachment" in response.headers["Content-Disposition"]
        sheet = load_workbook(io.BytesIO(response.get_data())).worksheets[0]
    return sheet, [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_the_xlsx_export_is_the_filtered_list_with_dates_numbers_and_safe_text(client, spring):
    officer, _, _, events = spring
    login(client, officer)
    sheet, rows = downloaded_xlsx(client, "recorded_by=me")
    assert rows[0][:3] == ["Date", "Activity code", "Activity"]
    assert [r[0] for r in rows[1:]] == [datetime(2023, 5, 4), datetime(2023, 3, 1)]
    assert sheet["A2"].number_format == "yyyy-mm-dd"
    may = rows[1]
    assert may[1:5] == ["awareness_session", "Opleidings-/bewustmakingssessie", 1, 17]
    assert sheet["F2"].data_type == "s" and sheet["F2"].quotePrefix  # text, not a formula
    assert may[5] == '=HYPERLINK("http://x")' and may[6] == "-12+3"
    assert sheet["G2"].quotePrefix
    assert len(downloaded_xlsx(client)[1]) == 1 + 4
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "event.export")
                               ).all()[-1]
    assert entry.entity_id == "xlsx"


def test_the_liaisons_xlsx_holds_no_social_prevention_record(client, spring):
    _, _, liaison, _ = spring
    login(client, liaison)
    for query in ("", "event_type=individual_consultation", "text=school", "show_voided=y"):
        _, rows = downloaded_xlsx(client, query)
        assert all(r[1] == "police_contact" for r in rows[1:]), query
        assert "Gesprek op school" not in str(rows) and "Weerbaarheid" not in str(rows)


def test_an_xlsx_export_stops_at_its_limit_and_says_so(client, spring, monkeypatch):
    monkeypatch.setattr(listing, "XLSX_ROWS", 2)
    login(client, spring[0])
    _, rows = downloaded_xlsx(client)
    assert len(rows) == 1 + 2 + 1
    assert rows[-1][0].startswith("The list goes on: an XLSX download holds its first 2 rows.")
    _, rows = downloaded_xlsx(client, "recorded_by=me")  # exactly the limit: nothing to say
    assert len(rows) == 1 + 2 and rows[-1][1] == "individual_consultation"


def test_the_trail_says_who_downloaded_which_list_in_words(app, client, spring, make_user):
    officer = spring[0]
    login(client, officer)
    exported(client, "text=school&date_from=2023-03-01&recorded_by=me&event_type=project")
    coordinator = app.test_client()
    login(coordinator, make_user("coordinator"))
    html = coordinator.get("/audit/?action=event.export").get_data(as_text=True)
    assert "downloaded the activities list as CSV" in html
    for words in ("Text in the note or case reference: school", "From: Mar 1, 2023",
                  "Recorded by me: yes", "Activity type: project"):
        assert words in html, words


def test_the_filters_fold_away_until_a_filter_is_not_understood(client, spring):
    login(client, spring[0])
    html = client.get("/events/").get_data(as_text=True)
    assert '<details class="filter-box">' in html and "<summary>Filters</summary>" in html
    html = client.get("/events/?recorded_by=me&sort=oldest").get_data(as_text=True)
    assert "<summary>Filters (in use: 2)</summary>" in html
    assert '<details class="filter-box">' in html
    html = client.get("/events/?text=ab").get_data(as_text=True)  # too short to search
    assert '<details class="filter-box" open>' in html
    assert "<summary>Filters</summary>" in html  # narrowing nothing, it is not in use


def test_the_export_streams_page_by_page(app, make_user, monkeypatch):
    officer = make_user("officer")
    for day in range(1, 8):
        make_event("project", officer, on=date(2023, 3, day))
    sizes = []
    real_page = listing.page

    def counting_page(stmt, filters, cursor=None, size=listing.PAGE_SIZE):
        found = real_page(stmt, filters, cursor, size)
        sizes.append(len(found.events))
        return found

    monkeypatch.setattr(listing, "page", counting_page)
    stmt = listing.events_query(readable_types(officer), Filters(), officer)
    lines = listing.csv_lines(listing.all_pages(stmt, Filters(), size=3), "nl")
    assert next(lines).startswith("\ufeff".encode())  # the header goes out before any row is read
    assert sizes == []
    assert len(list(lines)) == 7
    assert sizes == [3, 3, 1]


def list_statements(reader):
    types = readable_types(reader)
    deep = Cursor(date(2023, 6, 30), 500)
    return {
        "first page": listing.events_query(types, Filters(), reader).limit(51),
        "deep page": listing.after(listing.events_query(types, Filters(), reader), Filters(),
                                   deep).limit(51),
        "oldest first, deep": listing.after(
            listing.events_query(types, Filters(oldest_first=True), reader),
            Filters(oldest_first=True), deep).limit(51),
        "one type": listing.events_query(types, Filters(type_id=types[0].id), reader).limit(51),
        "recorded by me": listing.events_query(types, Filters(mine=True), reader).limit(51),
        "dates": listing.events_query(types, Filters(date_from=date(2023, 3, 1),
                                                     date_to=date(2023, 3, 31)), reader).limit(51),
        "text": listing.events_query(types, Filters(text="school"), reader).limit(51),
        "text, the whole list": listing.events_query(types, Filters(text="sch"), reader),
        "voided too": listing.events_query(types, Filters(show_voided=True), reader).limit(51),
    }


def test_no_page_of_the_list_scans_the_event_table(app, make_user):
    """On PostgreSQL the plan must use an index for every page; on SQLite, too (its plan
    says SCAN for a full-table read, and SEARCH or SCAN ... USING INDEX otherwise)."""
    for role in ("officer", "liaison", "coordinator"):
        reader = make_user(role)
        for name, stmt in list_statements(reader).items():
            plan = query_plan(stmt)
            assert not re.search(r"Seq Scan on event\b", plan), (role, name, plan)
            assert not re.search(r"^SCAN event$", plan, re.M), (role, name, plan)
