"""The message catalogues in the repository: valid, compiled, and the compiled files current."""

from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parent.parent / "vscapp" / "translations"


@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_compiled_catalogue_matches_its_source(lang):
    folder = TRANSLATIONS / lang / "LC_MESSAGES"
    with open(folder / "messages.po", "rb") as po, open(folder / "messages.mo", "rb") as mo:
        source, compiled = read_po(po, locale=lang), read_mo(mo)
    translated = {m.id: m.string for m in source if m.id and m.string and not m.fuzzy}
    assert translated, "the catalogue translates nothing"
    assert {m.id: m.string for m in compiled if m.id} == translated, \
        "messages.mo is stale: run pybabel compile -d vscapp/translations"


@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_placeholders_survive_translation(lang):
    import re

    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalogue = read_po(po, locale=lang)
    for message in catalogue:
        if message.id and message.string:
            names = set(re.findall(r"%\((\w+)\)", message.id))
            assert set(re.findall(r"%\((\w+)\)", message.string)) == names, message.id


def test_every_text_of_the_interface_is_translated():
    """Extract the messages from the code as it is now (as `vsc translations update` does):
    each has a Dutch and a French text."""
    from vscapp.catalogues import extract, untranslated

    wanted = extract()
    assert len(wanted) > 250
    assert "Please correct the fields marked below." in wanted, \
        "templates/_partials is extracted too"
    for lang in ("nl", "fr"):
        assert untranslated(wanted, lang) == [], f"untranslated in {lang}"
