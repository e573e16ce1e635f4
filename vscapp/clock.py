"""The one clock. Stored times are UTC; "today" (the default evaluation date, the activity
form's date, the no-future-date check) and every time shown, e-mailed or exported are in the
municipality's time zone: VSC_TIMEZONE, default Europe/Brussels."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_ZONE = "Europe/Brussels"


def utcnow():
    """Timezone-aware now in UTC: every stored timestamp."""
    return datetime.now(UTC)


def zone():
    name = current_app.config.get("TIMEZONE", DEFAULT_ZONE) if has_app_context() else None
    return ZoneInfo(name or DEFAULT_ZONE)


def today():
    """Today's date where the municipality is (not where the server's clock says)."""
    return utcnow().astimezone(zone()).date()


def local(moment):
    """A stored moment in the municipality's zone (SQLite hands back naive UTC datetimes)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone())
