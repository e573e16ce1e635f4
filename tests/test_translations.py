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


def test_every_text_of_the_interface_is_translated(tmp_path):
    """Extract the messages from the code as it is now: each has a Dutch and a French text."""
    import subprocess
    import sys

    root = TRANSLATIONS.parent.parent
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
                    "babel.cfg", "-k", "_l", "-k", "N_", "--no-location", "-o", str(pot), ".",
                    "templates/_partials"], cwd=root, check=True, capture_output=True)
    with open(pot, "rb") as handle:
        wanted = {m.id for m in read_po(handle) if m.id}
    assert len(wanted) > 250
    for lang in ("nl", "fr"):
        with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as po:
            done = {m.id for m in read_po(po, locale=lang) if m.id and m.string and not m.fuzzy}
        assert sorted(wanted - done) == [], f"untranslated in {lang}"
