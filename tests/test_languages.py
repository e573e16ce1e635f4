"""Both languages, for real (issue 11): the municipality named in the reader's language, texts
without a version in it marked on the page, and the plan page naming the missing language."""

import re
from datetime import date

from flask_babel import force_locale

from helpers import PLAN_2023_NL, login, make_event
from vscapp.extensions import db
from vscapp.i18n import OtherLanguageText, municipality_name, text_in
from vscapp.plans.parser import parse_plan
from vscapp.plans.services import import_plan, missing_languages

UNTRANSLATED = re.compile(r'<span lang="(\w+)" class="untranslated">([^<]*)</span> '
                          r'<small class="untranslated-hint">([^<]*)</small>')


def page(client, make_user, role, language, url):
    login(client, make_user(role, language=language))
    response = client.get(url)
    assert response.status_code == 200
    client.post("/logout")
    return response.get_data(as_text=True)


def test_the_municipality_is_named_in_the_readers_language(client, make_user, plan_2023_fr):
    for url in ("/", "/plans/2023"):
        assert "Plan 2023 · Molenbeek-Saint-Jean" in page(client, make_user, "officer", "fr", url)
        assert "Plan 2023 · Sint-Jans-Molenbeek" in page(client, make_user, "officer", "nl", url)
    assert municipality_name(plan_2023_fr, "en") == "Sint-Jans-Molenbeek"


def test_alert_e_mails_name_the_municipality_in_the_recipients_language(
        runner, rules_2023, plan_2023_fr, smtp, make_user):
    make_user("coordinator", email="coord-fr@molenbeek.brussels", language="fr")
    make_user("coordinator", email="coord-nl@molenbeek.brussels", language="nl")
    make_event("project", make_user("officer"), on=date(2023, 2, 1))
    result = runner.invoke(args=["alerts", "run", "--as-of", "2023-03-31"])
    assert result.exit_code == 0, result.output
    by_recipient = {m["To"]: m for m in smtp.messages if "S1.SD4.OD3.I1" in m["Subject"]}
    french = by_recipient["coord-fr@molenbeek.brussels"]
    dutch = by_recipient["coord-nl@molenbeek.brussels"]
    assert french["Subject"] == ("[vscapp] S1.SD4.OD3.I1 hors objectif : "
                                 "Nombre de projets mis en place")
    for part in ("plain", "html"):
        assert "Plan 2023 · Molenbeek-Saint-Jean" in french.get_body((part,)).get_content()
        assert "Plan 2023 · Sint-Jans-Molenbeek" in dutch.get_body((part,)).get_content()
        assert "Sint-Jans" not in french.get_body((part,)).get_content()


def test_a_dutch_only_plan_is_marked_for_a_french_reader(client, make_user, plan_2023):
    html = page(client, make_user, "coordinator", "fr", "/plans/2023")
    marked = UNTRANSLATED.findall(html)
    assert ("nl", "Aantal individuele raadplegingen", "(pas traduit)") in marked
    assert ("nl", "Sint-Jans-Molenbeek", "(pas traduit)") in marked
    assert len(marked) >= 46  # every text of the plan, its name and decree
    assert "Ce plan n'a encore aucun texte en français : importez son document en français." \
        in html
    # Only the coordinator, who owns the plan, is told to import it.
    officer = page(client, make_user, "officer", "fr", "/plans/2023")
    assert "missing-language" not in officer and UNTRANSLATED.search(officer)
    # A Dutch reader sees nothing marked and nothing missing for Dutch.
    dutch = page(client, make_user, "coordinator", "nl", "/plans/2023")
    assert not UNTRANSLATED.search(dutch)
    assert "Dit plan heeft nog geen teksten in het Frans" in dutch


def test_once_both_documents_are_imported_nothing_is_marked(client, make_user, plan_2023_fr):
    for language in ("fr", "nl"):
        html = page(client, make_user, "coordinator", language, "/plans/2023")
        assert not UNTRANSLATED.search(html) and "missing-language" not in html
    assert missing_languages(plan_2023_fr) == []


def test_texts_added_in_one_language_only_are_marked_and_counted(client, make_user,
                                                                 plan_2023_fr):
    corrected = PLAN_2023_NL.read_text(encoding="utf-8").replace(
        "1.\t\t\n2.\t\t\n\n**2. Strategische",
        "1. Analyse delen\t- Gedeelde analyses\t- Aantal gedeelde analyses: >/=tot 4/jaar\n"
        "2.\t\t\n\n**2. Strategische", 1)
    import_plan(parse_plan(corrected), restructure=True)
    db.session.commit()
    assert missing_languages(plan_2023_fr) == [("fr", 3, False)]
    html = page(client, make_user, "coordinator", "fr", "/plans/2023")
    assert UNTRANSLATED.findall(html) == [
        ("nl", "Analyse delen", "(pas traduit)"), ("nl", "Gedeelde analyses", "(pas traduit)"),
        ("nl", "Aantal gedeelde analyses", "(pas traduit)")]
    assert ("Textes de ce plan sans version en français : 3. Ils sont affichés dans l'autre "
            "langue, marqués comme non traduits.") in html
    assert "Nombre de consultations individuelles" in html


def test_a_french_only_plan_is_marked_for_a_dutch_reader(client, make_user, app):
    from helpers import PLAN_2023_FR

    import_plan(parse_plan(PLAN_2023_FR.read_text(encoding="utf-8")))
    db.session.commit()
    html = page(client, make_user, "coordinator", "nl", "/plans/2023")
    assert ("fr", "Nombre de consultations individuelles", "(niet vertaald)") in \
        UNTRANSLATED.findall(html)
    assert "Dit plan heeft nog geen teksten in het Nederlands" in html


def test_a_text_in_the_other_language_is_still_the_text(app, plan_2023):
    indicator = plan_2023.indicators[1]
    text = text_in(indicator, "text", "fr")
    assert isinstance(text, OtherLanguageText) and text.lang == "nl"
    assert text == "Aantal individuele raadplegingen" and f"{text}" == text
    assert type(text_in(indicator, "text", "nl")) is str
    with app.test_request_context(), force_locale("fr"):
        assert text.__html__().endswith('<small class="untranslated-hint">(pas traduit)</small>')


def dutch_texts(plan):
    texts = {plan.decree_nl, plan.municipality_nl}
    texts |= {row.text_nl for row in (*plan.nodes, *plan.indicators) if row.text_nl}
    return texts


def report_texts(client):
    """The French report's text: PDF, XLSX and CSV, as a reader of each file gets it."""
    import csv
    import io

    from openpyxl import load_workbook
    from pypdf import PdfReader

    files = {fmt: client.get(f"/report/2023/export.{fmt}?as_of=2023-12-31&lang=fr")
             for fmt in ("pdf", "xlsx", "csv")}
    assert all(r.status_code == 200 for r in files.values())
    pdf = PdfReader(io.BytesIO(files["pdf"].data))
    # Words wrapped over lines in the table come back with line breaks: join them.
    pdf_text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    book = load_workbook(io.BytesIO(files["xlsx"].data))
    xlsx_text = " ".join(str(cell.value) for sheet in book.worksheets
                         for row in sheet.iter_rows() for cell in row if cell.value is not None)
    rows = csv.reader(io.StringIO(files["csv"].data.decode("utf-8-sig")), delimiter=";")
    csv_text = " ".join(cell for row in rows for cell in row)
    return {"pdf": pdf_text, "xlsx": xlsx_text, "csv": csv_text}


def test_a_french_report_is_french_throughout(client, make_user, demo_2023, plan_2023_fr):
    login(client, make_user("coordinator", language="fr"))
    texts = report_texts(client)
    dutch = dutch_texts(plan_2023_fr)
    for fmt, text in texts.items():
        found = [t for t in dutch if " ".join(t.split()) in text]
        assert found == [], (fmt, found)
        assert "Molenbeek-Saint-Jean" in text and "Sint-Jans" not in text, fmt
        assert "Nombre de consultations individuelles" in " ".join(text.split()), fmt
        for word in ("behaald", "buiten doel", "minstens", "per jaar", "Indicator ", "Doel"):
            assert word not in text, (fmt, word)


# Validation errors of rules files and plan documents, in the reader's language.
BAD_RULES = """year: 2024
decree: KB
period: {start: 2023-01-01, end: 2023-12-31}
indicators:
  S1.SD1.OD2.I1:
    measure: counting
    events: [individual_consultation]
    target: 10
  S9.SD9.OD9.I9: {measure: count, events: [project], target: 0}
"""


def rules_errors(client, make_user, language):
    login(client, make_user("coordinator", language=language))
    response = client.post("/rules/2023", data={"content": BAD_RULES})
    client.post("/logout")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    section = html[html.index('id="rule-errors"'):html.index("</section>", html.index(
        'id="rule-errors"'))]
    return re.findall(r"<li>(.*?)</li>", section)


def test_rules_file_errors_read_in_the_readers_language(client, make_user, plan_2023):
    from markupsafe import escape

    french = rules_errors(client, make_user, "fr")
    dutch = rules_errors(client, make_user, "nl")
    english = rules_errors(client, make_user, "en")
    expected = {
        "fr": ["ligne 1, colonne 7 (year) : ce fichier est pour 2024, pas pour 2023",
               "ligne 6, colonne 14 (indicators.S1.SD1.OD2.I1.measure) : l'un de count, sum, "
               "milestone est attendu",
               "ligne 9, colonne 18 (indicators.S9.SD9.OD9.I9) : aucun indicateur S9.SD9.OD9.I9 "
               "dans le plan 2024"],
        "nl": ["regel 1, kolom 7 (year): dit bestand is voor 2024, niet voor 2023",
               "regel 6, kolom 14 (indicators.S1.SD1.OD2.I1.measure): verwacht een van count, "
               "sum, milestone",
               "regel 9, kolom 18 (indicators.S9.SD9.OD9.I9): geen indicator S9.SD9.OD9.I9 in "
               "het plan van 2024"],
        "en": ["line 1, column 7 (year): this file is for 2024, not for 2023"],
    }
    for language, errors in (("fr", french), ("nl", dutch), ("en", english)):
        for message in expected[language]:
            assert str(escape(message)) in errors, (language, errors)
    assert any("verwacht een geheel getal van minstens 1" in e for e in dutch)
    assert any("un nombre entier d&#39;au moins 1 est attendu" in e for e in french)
    assert len(french) == len(dutch) == len(english)


def test_plan_document_errors_read_in_the_readers_language(app):
    import pytest

    from vscapp.plans.parser import PlanFormatError

    broken = PLAN_2023_NL.read_text(encoding="utf-8").replace(
        "- Aantal individuele raadplegingen: >/=tot 10/jaar",
        "- Aantal individuele raadplegingen").replace(
        "3. Een extra-lokaal netwerk", "3000. Een extra-lokaal netwerk")
    with pytest.raises(PlanFormatError) as caught:
        parse_plan(broken)
    errors = caught.value.errors
    # As strings (the command line, logs): English, as before.
    assert (23, "indicator 'Aantal individuele raadplegingen' has no target: expected 'Ja/Nee' "
                "or '>/=tot N/jaar' at its end") in errors
    with app.test_request_context(), force_locale("fr"):
        french = [(line, message.translated()) for line, message in errors]
    with app.test_request_context(), force_locale("nl"):
        dutch = [(line, message.__html__()) for line, message in errors]
    assert (24, "objectif opérationnel 3000 : un nombre de 1 à 999 est attendu") in french
    assert (23, "l'indicateur 'Aantal individuele raadplegingen' n'a pas de cible : 'Ja/Nee' "
                "ou '>/=tot N/jaar' est attendu à la fin") in french
    assert (24, "operationele doelstelling 3000: verwacht een getal van 1 tot 999") in dutch
    assert (23, "indicator &#39;Aantal individuele raadplegingen&#39; heeft geen streefcijfer: "
                "verwacht &#39;Ja/Nee&#39; of &#39;&gt;/=tot N/jaar&#39; aan het einde") in dutch


def test_bad_bytes_in_a_plan_document_read_in_the_readers_language(app):
    import pytest

    from vscapp.plans.parser import PlanFormatError, decode

    with pytest.raises(PlanFormatError) as caught:
        decode(PLAN_2023_NL.read_bytes().replace(b"Activiteitssector 1 :", b"Activit\xe9"))
    ((line, message),) = caught.value.errors
    assert (line, message) == (9, "column 12: not UTF-8 text: byte 0xE9 cannot be read")
    with app.test_request_context(), force_locale("fr"):
        assert message.translated() == ("colonne 12 : pas du texte UTF-8 : l'octet 0xE9 est "
                                        "illisible")
    with app.test_request_context(), force_locale("nl"):
        assert message.translated() == ("kolom 12: geen UTF-8-tekst: byte 0xE9 kan niet "
                                        "gelezen worden")


def test_a_french_report_of_a_dutch_only_plan_says_its_texts_are_not_translated(
        client, make_user, demo_2023):
    login(client, make_user("coordinator", language="fr"))
    for fmt, text in report_texts(client).items():
        assert "Aantal individuele raadplegingen (pas traduit)" in " ".join(text.split()), fmt
    html = client.get("/report/2023?as_of=2023-12-31&lang=fr").get_data(as_text=True)
    assert ('<span lang="nl" class="untranslated">Aantal individuele raadplegingen</span> '
            '<small class="untranslated-hint">(pas traduit)</small>') in html
