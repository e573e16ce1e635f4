"""Personal data is refused in every text a person types (one checker, one message per kind),
and what the app writes for spreadsheets cannot run as a formula.

The tables below are the checker's specification: one case per string, so that a false
positive or a false negative shows up under its own name.
"""

import csv
import io
from datetime import date

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from helpers import RULES_2023, login, make_event
from vscapp.alerts.models import Alert
from vscapp.events.models import Event
from vscapp.extensions import db
from vscapp.privacy import case_ref_problem, find_personal_data, personal_data_in
from vscapp.report import exports
from vscapp.report.models import IndicatorComment
from vscapp.report.services import ReportRow
from vscapp.targets import services as targets

# Pinned so that "ten years before today" does not move under the tables.
TODAY = date(2026, 6, 1)

REFUSED = [
    # national register and BIS numbers, as people write them (checksums valid)
    ("Mr X, 85.07.30-033.28, came by", "national_number"),
    ("rijksregisternummer 850730 033 28", "national_number"),
    ("NN 85073003328 doorgegeven", "national_number"),
    ("n° national 85-07-30-033-28", "national_number"),
    ("BIS-nummer 85.47.30-033.17", "national_number"),
    # bank accounts
    ("Terugbetaling op BE71 0961 2345 6769", "bank_account"),
    ("iban be71096123456769", "bank_account"),
    ("Virement sur FR14 2004 1010 0505 0001 3M02 606", "bank_account"),
    ("oud rekeningnummer 539-0075470-34", "bank_account"),
    # phone numbers
    ("Called him on 0470 12 34 56", "phone"),
    ("gsm moeder +32 470 12 34 56", "phone"),
    ("nummer 470123456 (zonder nul)", "phone"),
    ("Appeler le 02/123.45.67 demain", "phone"),
    ("tel. 0470/12.34.56", "phone"),
    ("numéro français 06 12 34 56 78", "phone"),
    # e-mail addresses, also disguised
    ("Wrote to jan.peeters@example.be", "email"),
    ("mail: m.b [at] gmail [dot] com", "email"),
    ("contact m.b (at) gmail (dot) com", "email"),
    ("schrijf naar mb at gmail dot com", "email"),
    ("adresse mb＠gmail.com", "email"),
    ("mail m.b @ gmail . com", "email"),
    ("volgt @abu_test op Instagram", "online_account"),
    # dates of birth
    ("jongere geboren op 12 maart 2008", "birth_date"),
    ("jeune ° 12/03/1998", "birth_date"),
    ("né le 12/03/1998 à Tanger", "birth_date"),
    ("née à Tanger en 1998", "birth_date"),
    ("DOB 1998-03-12", "birth_date"),
    ("geb. 12.03.98, broer van", "birth_date"),
    ("jongere (12/03/2004) begeleid", "birth_date"),
    # street addresses
    ("woont Ninoofsesteenweg 12", "address"),
    ("habite rue de la Colonne 5 à Molenbeek", "address"),
    ("Kerkstraat 12 bus 3", "address"),
    ("Woont Kerkstraat 12 met zijn moeder", "address"),
    ("Chaussée de Gand 1020", "address"),
    ("chez lui, avenue Jean Dubrucq 175", "address"),
    ("Gentse Steenweg 44", "address"),
    # names
    ("Mohamed B. gezien in het jeugdhuis", "name"),
    ("Jan Peeters, moeder ongerust", "name"),
    ("Fatima El A. op gesprek", "name"),
    ("Marie-Jeanne Dupont aanwezig", "name"),
    ("gesprek met Pieter van den Berg", "name"),
    ("Réunion avec Ahmed BENALI", "name"),
    ("PEETERS Jan belde terug", "name"),
    ("Mevrouw Peeters belde", "name"),
    ("Rencontre avec M. Dupont", "name"),
    ("Saïd K. doorverwezen", "name"),
]

PASSED = [
    "Sensibiliseringssessie in school, 14 leerlingen",
    "Réunion CSIL du 12/03, suivi de 3 dossiers",
    "Overleg met LIVC-R over casus 2023-014",
    "sessie van 12/03",
    "Sessies op 12/03/2026 en 19/03/2026",
    "Zone de Police Bruxelles-Ouest, réunion mensuelle",
    "Pole Radicalisme: intervisie",
    "Overleg OCMW en CPAS over 4 dossiers",
    "Sint-Jans-Molenbeek, wijk Maritiem",
    "BELFI-overleg met Fedasil",
    "Op straat 12 jongeren aangesproken",
    "Straathoekwerk: 12 contacten",
    "Speelplein 3 keer bezocht",
    "Jobmarkt 2023, stand met 2 medewerkers",
    "Atelier 'Esprit critique' à l'Athénée Royal Serge Creuz, 3 classes",
    "Sensibilisation au Lycée Guy Cudell, 45 élèves",
    "Dialoogsessie in de Marie Curieschool, 2 klassen",
    "Overleg, jan. 2026",
    "Rose affiches opgehangen in de wijk",
    "Door CSIL doorverwezen naar het OCMW",
    "Wet van 5 augustus 1992 op het politieambt besproken",
    "Formation sur la loi du 15/05/2007",
    "KBO 0403.170.701, vzw ondersteund",
    "Budget 12 500 EUR voor het project",
    "Workshop van 14:00 tot 16:30 met 23 deelnemers",
    "Actief sinds 2019",
    "Dossier n° 2023-014 opgevolgd",
    "PV BR.55.L3.012345/2023 doorgegeven",
    "Réunion avec Madame la Ministre de l'Intérieur",
    "Monsieur le Bourgmestre a ouvert la séance",
    "Avenue Louise, manifestation suivie",
    "Café citoyen au Centre Communautaire Maritime, 30 participants",
    "Conférence Islam et Citoyenneté, 80 personnes",
    "Opvolging Jihad-terugkeerders, 2 dossiers",
    "Suivi avec le CPAS de Molenbeek-Saint-Jean, 6 dossiers",
    "Vorming voor de politiezone Brussel-West (PZ 5340)",
    "Gesprek met de wijkagent, volgende afspraak over 2 weken",
    "Table ronde avec des imams de la Grande Mosquée",
    "place Communale 3 fois par mois",
    "Opleiding voor 12 leerkrachten, 2 dagen",
]


@pytest.mark.parametrize(("text", "kind"), [pytest.param(t, k, id=t) for t, k in REFUSED])
def test_personal_data_is_found_with_its_kind(text, kind):
    found = find_personal_data(text, today=TODAY)
    assert found is not None, f"missed (false negative): {text!r} holds {kind}"
    assert found.code == kind


@pytest.mark.parametrize("text", [pytest.param(t, id=t) for t in PASSED])
def test_an_ordinary_note_of_the_prevention_team_passes(text):
    found = find_personal_data(text, today=TODAY)
    assert found is None, f"refused (false positive): {text!r} as {found.code}"


def test_the_tables_are_large_enough_and_cover_every_kind():
    from vscapp.privacy import KINDS

    assert len(REFUSED) >= 30 and len(PASSED) >= 30
    assert {kind for _, kind in REFUSED} == {kind.code for kind in KINDS}


def test_a_number_of_the_right_shape_but_a_wrong_checksum_passes():
    # 85.07.30-033.29: a national number's shape, not a valid one; nor a phone number
    assert find_personal_data("code 85.07.30-033.29", today=TODAY) is None
    assert find_personal_data("BE71 0961 2345 6768", today=TODAY) is None


@pytest.mark.parametrize("text", ["a\x00b", "bell\x07", "esc\x1b[0m", "del\x7f", "vt\x0bx"])
def test_control_characters_are_refused_in_free_text(text):
    assert "control character" in str(personal_data_in(text))


def test_tabs_and_line_breaks_are_ordinary_in_free_text():
    assert personal_data_in("Eerste gesprek.\r\nTweede:\tschool en ouders.") is None


def test_invisible_characters_do_not_hide_a_number():
    assert find_personal_data("0470\u200b12\u200b34\u200b56", today=TODAY).code == "phone"


def test_ten_years_before_today_is_where_a_full_date_becomes_a_birth_date():
    assert find_personal_data("sessie 02/06/2016", today=TODAY) is None
    assert find_personal_data("sessie 01/06/2016", today=TODAY).code == "birth_date"


@pytest.mark.parametrize("value", ["RAD-2023-014", "CSIL/2023/3", "LIVC-R-2023-014", "JAN-2023",
                                   "PREV_2023_A", "2023-014", "EVA-2023"])
def test_an_opaque_case_reference_passes(value):
    assert case_ref_problem(value) is None


@pytest.mark.parametrize(("value", "message"), [
    ("MOHAMED-B-1998", "a person's name"),
    ("jan-peeters", "a person's name"),
    ("850730-033-28", "national register or BIS number"),
    ("RAD_0470123456", "phone number"),
    ("RAD-1998-03-12", "date of birth"),
    ("Jan Peeters", "no spaces"),
    ("x" * 31, "30 at most"),
])
def test_a_case_reference_holding_personal_data_is_refused(app, value, message):
    with force_locale("en"):
        assert message in str(case_ref_problem(value))


# Every place a person types text refuses personal data, with the message of its kind.

NAME_MESSAGE = "This looks like a person"  # the apostrophe that follows is escaped in flashes


def test_an_event_note_and_case_reference_are_refused(client, as_role):
    as_role("officer")
    data = {"event_type": "individual_consultation", "occurred_on": "2023-03-01",
            "quantity": "1", "note": "Gesprek met Mohamed B.", "case_ref": "850730-033-28"}
    html = client.post("/events/new", data=data).get_data(as_text=True)
    assert NAME_MESSAGE in html
    assert "This looks like a national register or BIS number" in html
    assert db.session.scalar(select(func.count(Event.id))) == 0


def test_a_void_reason_is_refused(client, as_role):
    officer = as_role("officer")
    event = make_event("individual_consultation", officer)
    response = client.post(f"/events/{event.id}/void",
                           data={"reason": "Dubbel ingevoerd door Jan Peeters"})
    assert response.status_code == 400
    assert NAME_MESSAGE in response.get_data(as_text=True)
    db.session.refresh(event)
    assert event.voided_at is None


def test_the_messages_are_translated(client, make_user):
    for language, expected in (("nl", "Dit lijkt een telefoonnummer"),
                               ("fr", "Ceci ressemble à un numéro de téléphone")):
        client.post("/logout")
        login(client, make_user("officer", language=language))
        html = client.post("/events/new", data={
            "event_type": "individual_consultation", "occurred_on": "2023-03-01",
            "quantity": "1", "note": "bel 0470 12 34 56"}).get_data(as_text=True)
        assert expected in html


def test_an_alert_acknowledgement_comment_is_refused(client, as_role, rules_2023):
    alert = Alert(year=2023, code="S1.SD4.OD2.I1", status="off_target",
                  rules_version_id=rules_2023.id, as_of=date(2023, 9, 30), value=0,
                  expected=2.0, target=3, needed=3, due=date(2023, 12, 31))
    db.session.add(alert)
    db.session.commit()
    as_role("coordinator")
    response = client.post(f"/alerts/{alert.id}/acknowledge",
                           data={"comment": "Besproken met mevrouw, tel 0470 12 34 56"},
                           follow_redirects=True)
    assert "This looks like a phone number" in response.get_data(as_text=True)
    db.session.refresh(alert)
    assert alert.acknowledged_at is None and alert.comment is None


def test_a_report_comment_is_refused(client, as_role, rules_2023):
    as_role("coordinator")
    response = client.post("/report/2023/comments", data={
        "comment-S1.SD4.OD2.I1": "Zie mail van j.peeters@police.belgium.eu"})
    assert response.status_code == 400
    assert "This looks like an e-mail address" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(IndicatorComment.id))) == 0


def test_a_rules_activation_reason_is_refused_on_the_web(client, as_role, rules_2023):
    as_role("coordinator")
    version = targets.save_version(RULES_2023.read_text(encoding="utf-8").replace(
        "target: 10\n", "target: 12\n", 1), "2023.yaml")
    db.session.commit()
    response = client.post(f"/rules/2023/versions/{version.id}/activate",
                           data={"reason": "Op vraag van Fatima El A."}, follow_redirects=True)
    assert NAME_MESSAGE in response.get_data(as_text=True)
    assert targets.active_version(2023).id == rules_2023.id


def test_a_rules_activation_reason_is_refused_on_the_command_line(runner, plan_2023):
    result = runner.invoke(args=["rules", "activate", str(RULES_2023), "--reason",
                                 "Gevraagd door Jan Peeters"])
    assert result.exit_code == 1
    assert "--reason: This looks like a person's name" in result.output
    assert targets.active_version(2023) is None and targets.versions(2023) == []


def test_a_csv_row_with_personal_data_is_refused(runner, tmp_path, make_user):
    path = tmp_path / "register.csv"
    path.write_text("date,type,note,case_ref\n"
                    "2023-01-10,individual_consultation,Eerste gesprek,RAD-1\n"
                    "2023-01-11,individual_consultation,woont Kerkstraat 12,\n"
                    "2023-01-12,individual_consultation,,MOHAMED-B-1998\n", encoding="utf-8")
    officer = make_user("officer")
    result = runner.invoke(args=["events", "import", str(path), "--as", officer.email])
    assert result.exit_code == 1
    assert "row 3, column note: This looks like a street address" in result.output
    assert "row 4, column case_ref: This looks like a person's name" in result.output
    assert "row 2," not in result.output
    assert db.session.scalar(select(func.count(Event.id))) == 0


# Exports for spreadsheets: text that would run as a formula stays text.

FORMULAS = ["=HYPERLINK(\"http://x.test\";\"klik\")", "+1+1", "-2+3", "@SUM(A1:A2)",
            "\t=1+1", "\r=1+1"]


def report_rows(comment):
    return [ReportRow(kind="indicator", level=5, code="S1.SD1.OD1.I1", text="=Tekst", target="x",
                      value="11", expected="7.5", comment=comment)]


def report_meta(title):
    from datetime import date, datetime

    return exports.ReportMeta(title=title, municipality="=Gemeente", year=2023, decree="+KB",
                              as_of=date(2023, 12, 31),
                              generated_at=datetime(2024, 1, 5, 9, 30), generated_by="-x@y.be")


@pytest.mark.parametrize("formula", FORMULAS)
def test_csv_cells_that_would_run_as_formulas_get_a_quote(app, formula):
    body = exports.to_csv(report_rows(formula), report_meta("-Titel"))
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[1] == ["'=Gemeente", "2023", "2023-12-31", "S1.SD1.OD1.I1", "'=Tekst", "x",
                       "11", "7.5", "", "'" + formula]


@pytest.mark.parametrize("formula", FORMULAS)
def test_xlsx_cells_that_would_run_as_formulas_stay_text(app, formula):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(exports.to_xlsx(report_rows(formula),
                                                    report_meta("=Titel"), ["+x"])))
    sheet = book.worksheets[0]
    assert (sheet["A1"].value, sheet["A1"].data_type) == ("=Titel", "s")
    assert (sheet["B2"].value, sheet["B2"].data_type) == ("=Gemeente", "s")
    row = next(r for r in sheet.iter_rows() if r[1].value == "S1.SD1.OD1.I1")
    assert [(c.value, c.data_type) for c in row[2:6]] == [
        ("=Tekst", "s"), ("x", "s"), (11, "n"), (7.5, "n")]
    # XML turns a carriage return into a line feed; either way the cell is text
    assert row[7].value in (formula, formula.replace("\r", "\n")) and row[7].data_type == "s"
    assert row[7].quotePrefix and not row[3].quotePrefix
    assert (book.worksheets[1]["A2"].value, book.worksheets[1]["A2"].data_type) == ("+x", "s")


def test_a_report_comment_that_looks_like_a_formula_is_exported_as_text(
        client, as_role, rules_2023):
    from openpyxl import load_workbook

    as_role("coordinator")
    client.post("/report/2023/comments", data={"comment-S1.SD1.OD2.I1": "=1+1"})
    response = client.get("/report/2023/export.csv?as_of=2023-12-31&lang=nl")
    assert response.headers.getlist("Content-Type") == ["text/csv; charset=utf-8"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    row = next(r for r in rows[1:] if r[3] == "S1.SD1.OD2.I1")
    assert row[6:8] == ["0", "10"] and row[9] == "'=1+1"
    response = client.get("/report/2023/export.xlsx?as_of=2023-12-31&lang=nl")
    assert len(response.headers.getlist("Content-Type")) == 1
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    row = next(r for r in sheet.iter_rows() if r[1].value == "S1.SD1.OD2.I1")
    assert (row[4].value, row[5].value) == (0, 10)
    assert (row[7].value, row[7].data_type) == ("=1+1", "s")
