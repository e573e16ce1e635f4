"""Sign-in tries, counted to throttle guessing."""

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from vscapp.extensions import db


class SignInThrottle(db.Model):
    """The tries counted for one typed login, or one client address, since `started`; the
    key is a keyed hash of which, never the address itself (vscapp.auth.throttle)."""

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    started: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    tries: Mapped[int]
