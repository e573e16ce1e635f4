"""The app's words for its concepts, each defined once: statuses, roles, alert deliveries and
languages. No Flask here: the engine, models, forms, e-mails, exports and templates all use it.

Labels are English source texts marked for the catalogues with N_; whoever shows one
translates it (`gettext(STATUS_LABELS[status])`, or the template global `status_label`).
"""

from enum import StrEnum


def N_(message):
    """Marks a message for the translation catalogues; it is translated where it is shown."""
    return message


class Status(StrEnum):
    """Where an indicator stands against the pace expected by the evaluation date."""

    MET = "met"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TARGET = "off_target"


STATUS_LABELS = {
    Status.MET: N_("met"),
    Status.ON_TRACK: N_("on track"),
    Status.AT_RISK: N_("at risk"),
    Status.OFF_TARGET: N_("off target"),
}
# The statuses a rules file may alert on, and those that end an alert (the indicator is back).
ALERT_STATUSES = (Status.AT_RISK, Status.OFF_TARGET)
RECOVERED_STATUSES = (Status.ON_TRACK, Status.MET)
# Worst first: the order of "needs attention" and of the dashboard's status filter.
ATTENTION_ORDER = (Status.OFF_TARGET, Status.AT_RISK, Status.ON_TRACK, Status.MET)


class Role(StrEnum):
    OFFICER = "officer"
    COORDINATOR = "coordinator"
    LIAISON = "liaison"


ROLE_LABELS = {
    Role.OFFICER: N_("Prevention officer"),
    Role.COORDINATOR: N_("Coordinator"),
    Role.LIAISON: N_("Police liaison"),
}

# How a rules file measures an indicator ("how": measure, and the field a sum adds up) and
# the pace of what is expected, as the targets form and the comparison of versions say them.
MEASURE_LABELS = {
    "count": N_("count of activities"),
    "sum:participants": N_("sum of participants"),
    "sum:quantity": N_("sum of quantities"),
    "milestone": N_("milestone (yes/no)"),
}
PACE_LABELS = {
    "even": N_("even through the period"),
    "quarterly": N_("shares per quarter"),
    "due": N_("all by a due date"),
}


class Delivery(StrEnum):
    """How a user receives alert e-mails."""

    IMMEDIATE = "immediate"
    DIGEST = "digest"


DELIVERY_LABELS = {
    Delivery.IMMEDIATE: N_("One e-mail per alert, at once"),
    Delivery.DIGEST: N_("A weekly digest"),
}

# Plans, reports and activity types exist in Dutch and French (Brussels is bilingual).
CONTENT_LANGUAGES = ("nl", "fr")
# The interface also speaks English: the catalogues' source language, for support staff.
UI_LANGUAGES = ("nl", "fr", "en")
DEFAULT_LANGUAGE = "nl"
# Each language named in itself, as a language switch shows it.
LANGUAGE_NAMES = {"nl": "Nederlands", "fr": "Français", "en": "English"}
# A content language named in the reader's language ("the French document", "in Dutch").
CONTENT_LANGUAGE_LABELS = {"nl": N_("Dutch"), "fr": N_("French")}


def content_language(lang):
    """The content language for a reader's language: English readers get the Dutch texts."""
    return lang if lang in CONTENT_LANGUAGES else DEFAULT_LANGUAGE


def other_language(lang):
    """The other content language: where a text is missing, the app falls back to it."""
    return "fr" if lang == "nl" else "nl"


class Granularity(StrEnum):
    """How finely a reader sees the figures of an indicator: day by day, or by whole month
    (the wall: the police liaison never learns the date of a social-prevention record)."""

    DAY = "day"
    MONTH = "month"
