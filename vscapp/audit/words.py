"""The audit trail's words: each kind of action, each kind of object and each audited field,
as English source texts marked for the catalogues (translated where they are shown).

An action not listed here (a new one) still shows, by its code, until it is given words.
"""

from vscapp.vocabulary import N_

# action: (the kind of action, as the filter lists it; the entry, with its object)
ACTIONS = {
    "event.create": (N_("Activity recorded"), N_("recorded %(object)s")),
    "event.update": (N_("Activity corrected"), N_("corrected %(object)s")),
    "event.void": (N_("Activity voided"), N_("voided %(object)s")),
    "event.redact": (N_("Personal data erased"),
                     N_("erased personal data from %(object)s and its history")),
    "event.read": (N_("Record details opened"), N_("opened the details of %(object)s")),
    "event.export": (N_("Activities list downloaded"),
                     N_("downloaded the activities list as %(object)s")),
    "event_type.create": (N_("Activity type added"), N_("added the activity type %(object)s")),
    "event_type.update": (N_("Activity type changed"),
                          N_("changed the activity type %(object)s")),
    "user.create": (N_("Account created"), N_("created the account of %(object)s")),
    "user.update": (N_("Account changed"), N_("changed the account of %(object)s")),
    "user.password_set": (N_("Password chosen"), N_("set a new password for %(object)s")),
    "user.password_reset": (N_("Password reset"), N_("reset the password of %(object)s")),
    "user.password_reset_requested": (N_("Password link sent"),
                                      N_("sent a password link to %(object)s")),
    "plan.import": (N_("Plan imported"), N_("imported %(object)s")),
    "rules.version": (N_("Rules version saved"), N_("saved %(object)s")),
    "rules.activate": (N_("Rules version activated"), N_("activated %(object)s")),
    "report.comment": (N_("Report comment changed"), N_("changed %(object)s")),
    "alert.acknowledge": (N_("Alert acknowledged"), N_("acknowledged %(object)s")),
    "database.restore": (N_("Database restored"), N_("restored the database %(object)s")),
}

# The reads are listed apart from the changes (the filter's first choice).
READ_ACTIONS = ("event.read",)

# entity type (the model's name): the kind of object, as the filter lists it
OBJECTS = {
    "Event": N_("Activities"),
    "EventList": N_("Activities lists"),
    "EventType": N_("Activity types"),
    "User": N_("Accounts"),
    "Plan": N_("Plans"),
    "RulesVersion": N_("Rules versions"),
    "IndicatorComment": N_("Report comments"),
    "Alert": N_("Alerts"),
    "Database": N_("Database"),
}

# a field of a before/after snapshot: its name on screen
FIELDS = {
    "event_type_code": N_("Activity type"),
    "occurred_on": N_("Date"),
    "quantity": N_("Quantity"),
    "participants": N_("Participants"),
    "note": N_("Note"),
    "case_ref": N_("Case reference"),
    "email": N_("E-mail"),
    "role": N_("Role"),
    "language": N_("Language"),
    "active": N_("Active"),
    "alert_delivery": N_("Alert e-mails"),
    "directory_username": N_("Directory user name"),
    "code": N_("Code"),
    "name_nl": N_("Name (Dutch)"),
    "name_fr": N_("Name (French)"),
    "sector": N_("Activity sector"),
    "social_prevention": N_("Social prevention"),
    "needs_participants": N_("Counts participants"),
    "text": N_("Comment"),
    # the filters of a downloaded activities list (events.listing.described)
    "date_from": N_("From"),
    "date_to": N_("To"),
    "search_text": N_("Text in the note or case reference"),
    "recorded_by_me": N_("Recorded by me"),
    "oldest_first": N_("Oldest first"),
    "show_voided": N_("Show voided records"),
    "version": N_("Version"),
    "number": N_("Number"),
    "year": N_("Year"),
    "source": N_("File"),
    "via": N_("How"),
    "purpose": N_("Why"),
    "created": N_("Added"),
    "updated": N_("Changed"),
    "retired": N_("Retired"),
}
