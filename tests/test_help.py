"""The help page: one per role, in Dutch and in French, linked from the menu."""

import pytest

from helpers import login
from vscapp.extensions import db


@pytest.mark.parametrize("lang", ["nl", "fr"])
@pytest.mark.parametrize("role", ["officer", "coordinator", "liaison"])
def test_each_role_has_its_help_in_dutch_and_french(client, make_user, rules_2023, role, lang):
    make_user("coordinator", email="coordinator@molenbeek.brussels")
    user = make_user(role, language=lang)
    login(client, user)
    home = client.get("/").get_data(as_text=True)
    assert 'href="/help/"' in home
    page = client.get("/help/").get_data(as_text=True)
    words = {"nl": ("Wat telt er voor elke soort indicator", "minstens 90 %",
                    "Wat de verbindingsofficier politie ziet", "Een streefcijfer wijzigen",
                    "Wie u kunt vragen"),
             "fr": ("Ce qui compte pour chaque type d'indicateur", "au moins 90 %",
                    "Ce que voit l'officier de liaison police", "Modifier une cible",
                    "À qui s'adresser")}[lang]
    counting, band, wall, targets, ask = words
    assert counting in page and band in page and wall in page and ask in page
    assert f'lang="{lang}"' in page
    assert (targets in page) == (role == "coordinator")
    assert ("coordinator@molenbeek.brussels" in page) == (role != "coordinator")


def test_an_english_reader_gets_the_dutch_text_marked_as_dutch(client, as_role, rules_2023):
    as_role("liaison")
    page = client.get("/help/").get_data(as_text=True)
    assert '<article class="help-page" lang="nl">' in page
    assert "nooit de details" in page


def test_the_coordinator_reads_another_roles_help(client, as_role, plan_2023):
    as_role("coordinator")
    page = client.get("/help/?role=liaison").get_data(as_text=True)
    assert "Een activiteit registreren" in page and "Een streefcijfer wijzigen" not in page
    assert client.get("/help/?role=nobody").status_code == 200
    db.session.remove()
