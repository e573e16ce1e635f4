"""The message catalogues: extract the texts from the code and templates, update the Dutch and
French catalogues, compile them. `vsc translations update|compile` runs these; the tests call
the same functions, so what the tests check is what a developer runs.

English is the source language; `vscapp/translations/<lang>/LC_MESSAGES/messages.po` holds
each translation and `messages.mo` its compiled form, shipped with the package.
"""

from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from vscapp.vocabulary import CONTENT_LANGUAGES

SOURCE = Path(__file__).resolve().parent.parent  # the checkout: code, templates, babel.cfg
CATALOGUES = Path(__file__).resolve().parent / "translations"
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "Message": None}  # documents.Message: errors
# Folders with no source of ours; "_partials" and the like are ours, unlike pybabel's default.
SKIPPED = {".git", ".venv", "venv", "build", "dist", "instance", "tests", "bench",
           "migrations", "__pycache__", "node_modules", "translations"}


def _wanted(path):
    return Path(path).name not in SKIPPED and not Path(path).name.startswith(".")


def extract(root=SOURCE):
    """A catalogue of every message in the code and templates under `root`."""
    with open(root / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    catalog = Catalog(project="vscapp", charset="utf-8")
    for _file, _line, message, comments, context in extract_from_dir(
            root, method_map, options_map, KEYWORDS, directory_filter=_wanted):
        catalog.add(message, None, auto_comments=comments, context=context)
    return catalog


def po_path(lang):
    return CATALOGUES / lang / "LC_MESSAGES" / "messages.po"


def read_catalogue(lang):
    with open(po_path(lang), "rb") as handle:
        return read_po(handle, locale=lang)


def untranslated(catalog, lang):
    """The ids of `catalog` that `lang` has no (non-fuzzy) translation for, sorted."""
    done = {m.id for m in read_catalogue(lang) if m.id and m.string and not m.fuzzy}
    return sorted((m.id for m in catalog if m.id and m.id not in done), key=str)


def update(root=SOURCE):
    """Extract, write messages.pot, merge it into each catalogue; {lang: untranslated ids}."""
    template = extract(root)
    _write(CATALOGUES / "messages.pot", template)
    for lang in CONTENT_LANGUAGES:
        catalog = read_catalogue(lang)
        catalog.update(template, no_fuzzy_matching=True)
        _write(po_path(lang), catalog)
    return {lang: untranslated(template, lang) for lang in CONTENT_LANGUAGES}


def _write(path, catalog):
    with open(path, "wb") as handle:
        write_po(handle, catalog, width=0, no_location=True, sort_output=True,
                 ignore_obsolete=True)


def compile_catalogues():
    """Compile each messages.po into the messages.mo the app reads."""
    for lang in CONTENT_LANGUAGES:
        with open(po_path(lang).with_suffix(".mo"), "wb") as handle:
            write_mo(handle, read_catalogue(lang))


@click.group("translations")
def translations_cli():
    """The Dutch and French catalogues of the interface (for developers)."""


@translations_cli.command("update")
def update_command():
    """Extract the texts from the code and merge them into the catalogues."""
    for lang, missing in update().items():
        click.echo(f"{lang}: {len(missing)} message(s) to translate in {po_path(lang)}")
        for message in missing:
            click.echo(f"  {message}")


@translations_cli.command("compile")
def compile_command():
    """Compile the catalogues (messages.po into messages.mo)."""
    compile_catalogues()
    click.echo(f"Compiled {', '.join(CONTENT_LANGUAGES)}.")
