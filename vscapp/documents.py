"""What every document people give the app (a plan, a rules file) must be before it is read:
UTF-8 text without control characters, and the bounds of the numbers the domain allows.

The plan parser and the rules-file loader both check here first, so a NUL byte or a stray
control character gets a located answer (line and column) instead of a traceback further down,
and nothing that could not be stored or evaluated gets past them.
"""

import re

from flask_babel import gettext
from markupsafe import escape

from vscapp.vocabulary import N_

# The domain's bounds: a decree year, and a target (at least N a year) the engine can hold.
MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_TARGET = 1_000_000

NOT_UTF8 = N_("not UTF-8 text: byte %(byte)s cannot be read")
CONTROL_CHARACTER = N_("control character %(char)s: only text, tabs and line breaks are allowed")

# C0 and C1 controls except tab, line feed and carriage return; DEL; the Unicode line and
# paragraph separators (YAML and str.splitlines() break lines there, so line numbers would
# differ between readers); the noncharacters U+FFFE and U+FFFF; lone surrogates.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff"
                     "\ud800-\udfff]")
LINE_BREAK = re.compile(r"\r\n|\r|\n")


class Message(str):
    """An error message about a document: one English template (a catalogue id) and its values.

    As a string it is the English sentence (the command line, logs, tests); on a page
    (`__html__`) or through `translated()` it reads in the reader's language. Values that are
    Messages themselves ("activity sector") are translated with it; others (codes, quoted text
    from the document, numbers) are shown as they are. `Message("...")` calls are extracted for
    the catalogues (vscapp/catalogues.py); a template held in a constant is marked with N_.
    """

    def __new__(cls, template, **values):
        self = super().__new__(cls, template % values if values else template)
        self.template, self.values = template, values
        return self

    def translated(self):
        text = gettext(self.template)
        if not self.values:
            return text
        return text % {name: value.translated() if isinstance(value, Message) else value
                       for name, value in self.values.items()}

    def __html__(self):
        return str(escape(self.translated()))

    def __reduce__(self):  # a copy (or a pickle) keeps the template and values
        return (_message, (self.template, self.values))


def _message(template, values):
    return Message(template, **values)


class DocumentError(ValueError):
    """A document that is not plain UTF-8 text; `line` and `column` count from 1."""

    def __init__(self, line, column, message):
        self.line, self.column, self.message = line, column, message
        super().__init__(f"line {line}, column {column}: {message}")


def decode(raw):
    """The text of `raw` bytes (UTF-8, a byte order mark is fine); DocumentError if not UTF-8."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start
        line_start = raw.rfind(b"\n", 0, start) + 1
        line = raw.count(b"\n", 0, start) + 1
        column = len(raw[line_start:start].decode("utf-8", "replace")) + 1
        raise DocumentError(line, column, Message(NOT_UTF8, byte=f"0x{raw[start]:02X}")) from None


def check_text(text):
    """Raise DocumentError at the first control character in `text`."""
    match = CONTROL.search(text)
    if match is not None:
        line, column = position(text, match.start())
        raise DocumentError(line, column, Message(CONTROL_CHARACTER,
                                                  char=f"U+{ord(match.group()):04X}"))


def position(text, offset):
    """(line, column) of a character offset, counting lines as YAML and splitlines() do once
    the characters check_text() refuses are gone."""
    line, line_start = 1, 0
    for match in LINE_BREAK.finditer(text, 0, offset):
        line, line_start = line + 1, match.end()
    return line, offset - line_start + 1
