"""Guards against personal data slipping into the free-text fields of an event."""

import re

from flask_babel import lazy_gettext as _l

# Belgian national register number (YY.MM.DD-XXX.CC), e-mail addresses, phone numbers.
PATTERNS = (
    (re.compile(r"\b\d{2}[.\s]?\d{2}[.\s]?\d{2}[-\s]?\d{3}[.\s]?\d{2}\b"), _l("a national number")),
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), _l("an e-mail address")),
    (re.compile(r"(?:\+|\b0)\d[\d\s/.-]{7,}\d\b"), _l("a phone number")),
)
CASE_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_-]{0,29}$")


def personal_data_in(text):
    """What kind of personal data `text` seems to hold, or None."""
    for pattern, what in PATTERNS:
        if text and pattern.search(text):
            return what
    return None


def case_ref_problem(value):
    """Why a case reference is not an opaque code, or None when it is one."""
    if not value:
        return None
    if not CASE_REF.match(value):
        return _l("Use letters, digits, '-', '_' or '/' only, 30 at most, no spaces.")
    if personal_data_in(value):
        return _l("This looks like personal data: use the file's opaque code instead.")
    return None
