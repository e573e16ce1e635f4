"""What the help pages say that comes from the data: the bands in force and whom to ask."""

from collections import Counter

from sqlalchemy import select

from vscapp.engine.rulesfile import DEFAULT_BANDS, Bands
from vscapp.extensions import db
from vscapp.plans.services import latest_plan
from vscapp.targets import services as targets
from vscapp.users.models import User
from vscapp.vocabulary import Role


def facts():
    """{"bands": the bands most indicators of the latest year use (in %), "own_bands": whether
    some use others, "coordinators": the active coordinators' addresses}."""
    bands, own = _bands()
    return {"on_track": round(bands.on_track * 100), "at_risk": round(bands.at_risk * 100),
            "own_bands": own, "coordinators": db.session.scalars(
                select(User.email).where(User.active, User.role == Role.COORDINATOR)
                .order_by(User.email)).all()}


def _bands():
    plan = latest_plan()
    version = targets.active_version(plan.year) if plan else None
    if version is None:
        return Bands(**DEFAULT_BANDS), False
    used = Counter(rule.bands for rule in targets.compiled(version.content).indicators)
    if not used:
        return Bands(**DEFAULT_BANDS), False
    return used.most_common(1)[0][0], len(used) > 1
