"""Failed sign-ins, kept to throttle guessing."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from vscapp.extensions import db
from vscapp.models import created_at_column


class SignInFailure(db.Model):
    """A failed sign-in, for throttling guesses; the address as typed, never a password."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    at: Mapped[datetime] = created_at_column()
