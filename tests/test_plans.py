"""The plan as data: parsing the real 2023 plan (NL) and a French version, importing in place,
errors that name their line, and the JSON export."""

import json

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from helpers import DATA, PLAN_2023_NL
from vscapp.audit.models import AuditEntry
from vscapp.extensions import db
from vscapp.plans.models import Indicator, NodeKind, PlanNode
from vscapp.plans.parser import PlanFormatError, parse_plan
from vscapp.plans.services import export_plan, import_plan, plan_for_year

PLAN_2023_FR = DATA / "plan-2023-fr.md"

# domain.md: the 13 indicators of 2023, sector 1, Pole Radicalisme.
EXPECTED_2023 = {
    "S1.SD1.OD1.I1": ("yes_no", True),
    "S1.SD1.OD2.I1": ("at_least", 10),
    "S1.SD1.OD3.I1": ("yes_no", True),
    "S1.SD2.OD1.I1": ("at_least", 2),
    "S1.SD2.OD1.I2": ("at_least", 5),
    "S1.SD3.OD1.I1": ("yes_no", True),
    "S1.SD3.OD2.I1": ("at_least", 3),
    "S1.SD3.OD3.I1": ("yes_no", True),
    "S1.SD3.OD3.I2": ("yes_no", True),
    "S1.SD4.OD1.I1": ("at_least", 3),
    "S1.SD4.OD1.I2": ("at_least", 3),
    "S1.SD4.OD2.I1": ("at_least", 3),
    "S1.SD4.OD3.I1": ("at_least", 10),
}


def indicators_of(exported):
    def walk(node):
        yield from node.get("indicators", [])
        for key, value in node.items():
            if isinstance(value, list) and key != "indicators":
                for child in value:
                    yield from walk(child)

    return {i["code"]: i for i in walk(exported)}


def strategic_objectives(exported, sector):
    (s,) = [s for s in exported["sectors"] if s["number"] == sector]
    return [sd for g in s["general_objectives"] for sd in g["strategic_objectives"]]


def import_text(text):
    report = import_plan(parse_plan(text))
    db.session.commit()
    return report


def test_real_2023_plan_has_its_13_indicators_with_kinds_and_targets(plan_2023):
    found = indicators_of(export_plan(plan_2023))
    assert {code: (i["kind"], i["target"]) for code, i in found.items()} == EXPECTED_2023
    assert found["S1.SD1.OD2.I1"]["text"] == "Aantal individuele raadplegingen"
    assert found["S1.SD4.OD3.I1"]["text"] == "Aantal opgezette projecten"


def test_real_2023_plan_keeps_the_four_empty_strategic_objectives_of_sector_2(plan_2023):
    sds = strategic_objectives(export_plan(plan_2023), 2)
    assert [sd["domain"] for sd in sds] == [
        "Bijdragen aan de dreigingsanalyse", "Bijdragen aan de monitoring",
        "Bijdragen aan de opsporing en inlichting", "Bijdragen aan de follow-up van de «returnees»"]
    assert all(sd["operational_objectives"] == [] for sd in sds)


def test_plan_metadata(plan_2023):
    assert plan_2023.year == 2023
    assert plan_2023.decree_date.isoformat() == "2023-10-01"
    assert plan_2023.decree_nl.startswith("KB van 1 oktober 2023")
    assert plan_2023.municipality_nl == "Sint-Jans-Molenbeek"
    exported = export_plan(plan_2023)
    sd1 = strategic_objectives(exported, 1)[0]
    assert sd1["pole"] == "RADICALISME"
    assert exported["sectors"][1]["general_objectives"][0]["text"].endswith(
        "(Matière traitée par la Zone de Police)")


def test_french_version_parses_to_the_same_structure():
    nl = parse_plan(PLAN_2023_NL.read_text(encoding="utf-8"))
    fr = parse_plan(PLAN_2023_FR.read_text(encoding="utf-8"))
    assert fr.language == "fr" and nl.language == "nl"
    assert (fr.year, fr.decree_date, fr.municipality) == (2023, nl.decree_date,
                                                         "Molenbeek-Saint-Jean")

    def shape(parsed):
        return [(sd.number, [(o.number, [[(i.kind, i.target) for i in r.indicators]
                                         for r in o.results]) for o in sd.objectives])
                for s in parsed.sectors for g in s.generals for sd in g.strategics]

    assert shape(fr) == shape(nl)


def test_french_import_alone_gives_the_13_indicators(app):
    import_text(PLAN_2023_FR.read_text(encoding="utf-8"))
    exported = export_plan(plan_for_year(2023))
    assert exported["language"] == "fr"
    found = indicators_of(exported)
    assert {code: (i["kind"], i["target"]) for code, i in found.items()} == EXPECTED_2023
    assert found["S1.SD1.OD2.I1"]["text"] == "Nombre de consultations individuelles"


def test_importing_both_languages_fills_both_texts_of_the_same_rows(plan_2023):
    ids = dict(db.session.execute(select(Indicator.code, Indicator.id)).all())
    report = import_text(PLAN_2023_FR.read_text(encoding="utf-8"))
    assert report.created == [] and report.retired == []
    assert dict(db.session.execute(select(Indicator.code, Indicator.id)).all()) == ids
    consultations = db.session.scalar(select(Indicator).where(
        Indicator.code == "S1.SD1.OD2.I1"))
    assert consultations.text_nl == "Aantal individuele raadplegingen"
    assert consultations.text_fr == "Nombre de consultations individuelles"
    assert export_plan(plan_2023, "fr")["municipality"] == "Molenbeek-Saint-Jean"


def test_importing_the_same_document_again_changes_nothing(plan_2023):
    audit_count = db.session.scalar(select(func.count(AuditEntry.id)))
    updated_at = plan_2023.updated_at
    report = import_text(PLAN_2023_NL.read_text(encoding="utf-8"))
    assert not report.changed
    assert db.session.scalar(select(func.count(AuditEntry.id))) == audit_count
    assert plan_for_year(2023).updated_at == updated_at


def test_corrected_version_updates_in_place_and_keeps_unchanged_indicators(plan_2023):
    before = dict(db.session.execute(select(Indicator.code, Indicator.id)).all())
    corrected = PLAN_2023_NL.read_text(encoding="utf-8").replace(
        "Aantal individuele raadplegingen: >/=tot 10/jaar",
        "Aantal individuele raadplegingen: >/=tot 12/jaar").replace(
        "1.\t\t\n2.\t\t\n\n**2. Strategische",
        "1. Analyse delen\t- Gedeelde analyses\t- Aantal gedeelde analyses: >/=tot 4/jaar\n"
        "2.\t\t\n\n**2. Strategische", 1)
    report = import_text(corrected)
    assert report.created == ["S2.SD1.OD1", "S2.SD1.OD1.R1", "S2.SD1.OD1.I1"]
    assert report.updated == {"S1.SD1.OD2.I1": {"target": [10, 12]}}
    after = dict(db.session.execute(select(Indicator.code, Indicator.id)).all())
    assert {code: after[code] for code in before} == before
    consultations = db.session.get(Indicator, before["S1.SD1.OD2.I1"])
    assert consultations.target == 12
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "plan.import")
                               .order_by(AuditEntry.id.desc())).first()
    assert entry.after["updated"] == {"S1.SD1.OD2.I1": {"target": [10, 12]}}


def test_a_removed_indicator_is_retired_not_deleted(plan_2023):
    shortened = PLAN_2023_NL.read_text(encoding="utf-8").replace(
        "\t\t- Doeltreffende formulering van aanbevelingen: Ja/Nee\n", "")
    report = import_text(shortened)
    assert report.retired == ["S1.SD3.OD3.I2"]
    row = db.session.scalar(select(Indicator).where(Indicator.code == "S1.SD3.OD3.I2"))
    assert row is not None and row.retired_at is not None
    assert "S1.SD3.OD3.I2" not in indicators_of(export_plan(plan_2023))
    import_text(PLAN_2023_NL.read_text(encoding="utf-8"))
    assert db.session.get(Indicator, row.id).retired_at is None


MESSY = "# PROJECTPLAN 2024\n\n### Activiteitssector 1 : Projecten\n\n"


@pytest.mark.parametrize(("document", "line", "expected"), [
    ("nothing to see here\n", 1, "no activity sector found"),
    ("### Activiteitssector 1 : X\n\n#### Algemene doelstelling 1 - Activiteitssector 1:\n\nT\n",
     1, "no year found"),
    (MESSY + "Operationele doelstellingen\tTe verwachten resultaten\tIndicatoren\n"
     "1. A\t- B\t- C: Ja/Nee\n", 5, "before any strategic objective heading"),
    (MESSY + "#### Algemene doelstelling 1 - Activiteitssector 2:\n\nT\n", 5,
     "names sector 2 but follows sector 1"),
    (MESSY + "#### Algemene doelstelling 1 - Activiteitssector 1:\n\nT\n\n"
     "#### 1. Strategische doelstelling 1 - Domein:\n\nD\n\n"
     "Operationele doelstellingen\tTe verwachten resultaten\tIndicatoren\n"
     "1. A\t- B\t- Aantal dingen\n", 14, "has no target: expected 'Ja/Nee' or '>/=tot N/jaar'"),
    (MESSY + "#### Algemene doelstelling 1 - Activiteitssector 1:\n\nT\n\n"
     "#### 1. Strategische doelstelling 1 - Domein:\n\nD\n\n"
     "Operationele doelstellingen\tTe verwachten resultaten\tIndicatoren\n"
     "Geen nummer\t- B\t- C: Ja/Nee\n", 14, "expected it to start with its number"),
    (MESSY + "#### Algemene doelstelling 1 - Activiteitssector 1:\n\nT\n\n"
     "#### 1. Strategische doelstelling 1 - Domein:\n\nD\n\n"
     "Operationele doelstellingen\tTe verwachten resultaten\tIndicatoren\n"
     "1. A\t- B\t- C: >/=tot 0/jaar\n", 14, "asks for nothing"),
    (MESSY + "#### Algemene doelstelling 1 - Activiteitssector 1:\n\nT\n\n"
     "#### 1. Strategische doelstelling 1 - Domein:\n\nD\n\nEen verdwaalde alinea\n", 13,
     "unexpected text 'Een verdwaalde alinea'"),
    (MESSY + "#### Algemene doelstelling 1 - Activiteitssector 1:\n\nT\n\n"
     "#### 1. Strategische doelstelling 1 - Domein:\n\nD\n\n"
     "#### 1. Strategische doelstelling 1 - Domein:\n\nE\n", 13, "appears twice"),
    (MESSY + "#### Algemene doelstelling 1 - Activiteitssector 1:\n\nT\n\n"
     "#### 1. Strategische doelstelling 1 - Domein:\n\nD\n\n"
     "Operationele doelstellingen\tTe verwachten resultaten\tIndicatoren\n"
     "1. A\t- B\t- C: Ja/Nee\textra\n", 14, "expected 3 (objective"),
])
def test_a_document_it_cannot_understand_names_the_line_and_what_was_expected(
        document, line, expected):
    with pytest.raises(PlanFormatError) as caught:
        parse_plan(document)
    assert any(at == line and expected in message for at, message in caught.value.errors), \
        caught.value.errors


def test_cli_import_reports_errors_and_writes_nothing(runner, tmp_path):
    broken = PLAN_2023_NL.read_text(encoding="utf-8").replace(
        "- Aantal individuele raadplegingen: >/=tot 10/jaar", "- Aantal individuele raadplegingen")
    path = tmp_path / "broken.md"
    path.write_text(broken, encoding="utf-8")
    result = runner.invoke(args=["plan", "import", str(path)])
    assert result.exit_code == 1
    assert "broken.md:23: indicator 'Aantal individuele raadplegingen' has no target" in \
        result.output
    assert "nothing was imported" in result.output
    assert db.session.scalar(select(func.count(PlanNode.id))) == 0


NL_BYTES = PLAN_2023_NL.read_bytes()


@pytest.mark.parametrize(("raw", "expected"), [
    (NL_BYTES.replace(b"## TOELAGE", b"## T\x00OELAGE"),
     "plan.md:5: column 5: control character U+0000: only text, tabs and line breaks are "
     "allowed"),
    (NL_BYTES.replace(b"## TOELAGE", b"## T\x1bOELAGE"), "plan.md:5: column 5: control character "
                                                          "U+001B"),
    (NL_BYTES.replace(b"Activiteitssector 1 :", b"Activit\xe9itssector 1 :"),
     "plan.md:9: column 12: not UTF-8 text: byte 0xE9 cannot be read"),
    (NL_BYTES.replace(b"1 oktober 2023 betreffende", b"31 februari 2023 betreffende"),
     "plan.md:7: the date 31 februari 2023 does not exist"),
    (NL_BYTES.replace(b"Activiteitssector 1 :", b"Activiteitssector " + b"9" * 5000 + b" :"),
     "plan.md:9: activity sector 9999999999999999999\u2026: expected a number from 1 to 999"),
    (NL_BYTES.replace(b">/=tot 10/jaar", b">/=tot 10000000000000000/jaar"),
     "a target of at least 10000000000000000 is more than 1,000,000"),
])
def test_cli_import_of_bad_bytes_gives_located_errors_never_a_traceback(runner, tmp_path, raw,
                                                                        expected):
    path = tmp_path / "plan.md"
    path.write_bytes(raw)
    result = runner.invoke(args=["plan", "import", str(path)])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # a ClickException, not a crash
    assert expected in result.output
    assert "Traceback" not in result.output and "nothing was imported" in result.output
    assert db.session.scalar(select(func.count(PlanNode.id))) == 0


def test_cli_import_then_export_json(runner):
    result = runner.invoke(args=["plan", "import", str(PLAN_2023_NL)])
    assert result.exit_code == 0, result.output
    assert "47 created" in result.output
    result = runner.invoke(args=["plan", "import", str(PLAN_2023_NL)])
    assert "nothing changed" in result.output
    result = runner.invoke(args=["plan", "export", "--year", "2023", "--format", "json"])
    assert result.exit_code == 0, result.output
    exported = json.loads(result.output)
    assert exported["year"] == 2023
    assert exported["decree"]["date"] == "2023-10-01"
    assert {c: (i["kind"], i["target"]) for c, i in indicators_of(exported).items()} == \
        EXPECTED_2023
    sector = exported["sectors"][0]
    assert set(sector) >= {"code", "title", "general_objectives"}
    objective = strategic_objectives(exported, 1)[0]["operational_objectives"][0]
    assert objective["expected_results"][0]["indicators"][0]["code"] == "S1.SD1.OD1.I1"


def test_cli_export_of_a_missing_year_says_so(runner):
    result = runner.invoke(args=["plan", "export", "--year", "1999"])
    assert result.exit_code == 1
    assert "no plan for 1999" in result.output


def test_a_plan_in_both_languages_reads_in_the_readers_language(client, make_user, plan_2023):
    import_text(PLAN_2023_FR.read_text(encoding="utf-8"))
    from helpers import login

    login(client, make_user("officer", language="fr"))
    french = client.get("/plans/2023").get_data(as_text=True)
    assert "Nombre de consultations individuelles" in french
    assert "Aantal individuele raadplegingen" not in french
    client.post("/language", data={"language": "nl", "next": "/plans/2023"})
    dutch = client.get("/plans/2023").get_data(as_text=True)
    assert "Aantal individuele raadplegingen" in dutch


def test_plan_page_shows_the_tree(client, as_role, plan_2023):
    as_role("liaison")
    html = client.get("/plans/2023").get_data(as_text=True)
    assert "Aantal individuele raadplegingen" in html
    assert "Bijdragen aan de dreigingsanalyse" in html
    assert html.count("No operational objective yet") == 4
    assert db.session.scalar(select(func.count(PlanNode.id)).where(
        PlanNode.kind == NodeKind.STRATEGIC)) == 8


# Issue 11: the shipped French plan, merged with the Dutch one.
def texts_by_code():
    rows = [*db.session.scalars(select(PlanNode)), *db.session.scalars(select(Indicator))]
    return {row.code: (row.text_nl, row.text_fr) for row in rows if row.retired_at is None}


def test_shipped_french_plan_gives_every_text_of_the_dutch_one_in_french(plan_2023_fr):
    import helpers

    texts = texts_by_code()
    assert len(texts) == 46
    assert all(bool(nl) == bool(fr) for nl, fr in texts.values()), texts
    assert texts["S1.SD1.OD2.I1"] == ("Aantal individuele raadplegingen",
                                      "Nombre de consultations individuelles")
    assert texts["S2.SD4"][1] == "Contribuer au suivi des « returnees »"
    assert (plan_2023_fr.municipality_nl, plan_2023_fr.municipality_fr) == (
        "Sint-Jans-Molenbeek", "Molenbeek-Saint-Jean")
    assert plan_2023_fr.decree_fr.startswith("AR du 1er octobre 2023")
    assert {c: (i["kind"], i["target"]) for c, i in indicators_of(
        export_plan(plan_2023_fr, "fr")).items()} == EXPECTED_2023
    # The same structure, line for line, as the Dutch document.
    assert parse_plan(helpers.PLAN_2023_FR.read_text(encoding="utf-8")).language == "fr"


def shipped_fr():
    import helpers

    return helpers.PLAN_2023_FR.read_text(encoding="utf-8")


@pytest.mark.parametrize(("change", "expected"), [
    (("Nombre de consultations individuelles : >/= à 10/an",
      "Nombre de consultations individuelles : >/= à 12/an"),
     "S1.SD1.OD2.I1: the target is at least 10 in the plan and at least 12 in the document."),
    (("\t\t- Formulation effective de recommandations : Oui/Non\n", ""),
     "Not in the document: S1.SD3.OD3.I2."),
    (("1.\t\t\n2.\t\t\n\n**2. Objectif", "1. Partager\t- Analyses\t- Analyses : Oui/Non\n"
      "2.\t\t\n\n**2. Objectif"), "Not in the plan: S2.SD1.OD1, S2.SD1.OD1.R1, S2.SD1.OD1.I1."),
])
def test_a_french_document_of_another_structure_is_refused_and_changes_nothing(
        plan_2023, change, expected):
    before = texts_by_code()
    from vscapp.plans.services import PlanMismatchError

    with pytest.raises(PlanMismatchError) as caught:
        import_plan(parse_plan(shipped_fr().replace(*change, 1)))
    db.session.rollback()
    with force_locale("en"):
        messages = [str(m) for m in caught.value.messages]
    assert messages[0] == ("The document is in French and does not have the structure of the "
                           "plan 2023 already imported in Dutch: nothing was imported.")
    assert expected in messages
    assert texts_by_code() == before


def test_cli_imports_both_languages_and_refuses_a_mismatch_unless_restructure(runner, tmp_path):
    import helpers

    assert runner.invoke(args=["plan", "import", str(PLAN_2023_NL)]).exit_code == 0
    path = tmp_path / "plan-fr.md"
    path.write_text(shipped_fr().replace("à 10/an", "à 12/an"), encoding="utf-8")
    result = runner.invoke(args=["plan", "import", str(path)])
    assert result.exit_code == 1
    assert "plan-fr.md: S1.SD1.OD2.I1: the target is at least 10 in the plan and at least 12" \
        in result.output
    assert "--restructure" in result.output
    assert db.session.scalar(select(func.count(PlanNode.id)).where(
        PlanNode.text_fr.is_not(None))) == 0
    result = runner.invoke(args=["plan", "import", str(helpers.PLAN_2023_FR)])
    assert result.exit_code == 0, result.output
    assert "0 created" in result.output and "0 retired" in result.output
    result = runner.invoke(args=["plan", "import", "--restructure", str(path)])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(Indicator.target).where(
        Indicator.code == "S1.SD1.OD2.I1")) == 12


def test_the_mismatch_reads_in_the_readers_language(app, plan_2023):
    from vscapp.plans.services import PlanMismatchError

    with pytest.raises(PlanMismatchError) as caught:
        import_plan(parse_plan(shipped_fr().replace("à 10/an", "à 12/an")))
    db.session.rollback()
    with app.test_request_context(), force_locale("fr"):
        french = [str(m) for m in caught.value.messages]
    with app.test_request_context(), force_locale("nl"):
        dutch = [str(m) for m in caught.value.messages]
    assert french[0].startswith("Le document est en français")
    assert "S1.SD1.OD2.I1 : la cible est « au moins 10 » dans le plan" in french[1]
    assert dutch[0].startswith("Het document is in het Frans")
    assert "S1.SD1.OD2.I1: het streefcijfer is minstens 10 in het plan" in dutch[1]


def test_readme_start_command_imports_the_plan_in_both_languages():
    from helpers import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = next(line for line in readme.splitlines() if line.startswith("export VSC_ENV="))
    assert start.index("vsc plan import plans/molenbeek-2023-nl.md") < start.index(
        "vsc plan import plans/molenbeek-2023-fr.md") < start.index("vsc rules activate")
