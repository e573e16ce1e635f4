"""The password policy: at least 12 characters, not easy to guess, not the e-mail address.

"Easy to guess" is zxcvbn's estimate (Dropbox's algorithm; the Python port ships its word and
password frequency lists, so it works offline): a score of 3 or more, about 10^8 guesses, is
required. The account's address and its parts count as known words.
"""

import re

from zxcvbn import zxcvbn

from vscapp.vocabulary import N_

MIN_LENGTH = 12
MAX_LENGTH = 200
MIN_SCORE = 3
SCORED_LENGTH = 100  # zxcvbn slows down on long inputs; 100 characters are plenty to judge

TOO_SHORT = N_("Use at least %(min)d characters.")
TOO_LONG = N_("Use at most %(max)d characters.")
CONTAINS_ADDRESS = N_("The password must not contain your e-mail address.")
TOO_EASY = N_("This password is too common or too easy to guess: use a few unrelated words, "
              "or a longer mix of words, digits and signs.")
PARAMETERS = {"min": MIN_LENGTH, "max": MAX_LENGTH}


def password_problem(password, email=""):
    """Why the policy refuses this password for this address (an English text marked for the
    catalogues, with %(min)d/%(max)d: see PARAMETERS), or None if it is fine."""
    if len(password) < MIN_LENGTH:
        return TOO_SHORT
    if len(password) > MAX_LENGTH:
        return TOO_LONG
    address = email.strip().lower()
    if address and address in password.lower():
        return CONTAINS_ADDRESS
    if zxcvbn(password[:SCORED_LENGTH], user_inputs=known_words(address))["score"] < MIN_SCORE:
        return TOO_EASY
    return None


def known_words(address):
    """The address and its parts: a password made of them is easy to guess for anyone."""
    local = address.partition("@")[0]
    parts = [part for part in re.split(r"[@._+-]+", address) if len(part) >= 3]
    return [address, local, re.sub(r"[._+-]", "", local), *parts, "vscapp", "molenbeek"]


def in_english(problem):
    """The problem as the CLI prints it."""
    return problem % PARAMETERS
