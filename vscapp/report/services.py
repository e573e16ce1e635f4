"""The yearly evaluation report: the whole plan tree with each indicator's target, result,
status and the coordinator's comment; and a completeness check before export."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from vscapp.audit import services as audit
from vscapp.events.services import months_with_events
from vscapp.extensions import db
from vscapp.i18n import text_in
from vscapp.models import utcnow
from vscapp.plans.models import IndicatorKind, NodeKind
from vscapp.report.models import IndicatorComment
from vscapp.targets import services as targets
from vscapp.users.models import User
from vscapp.vocabulary import STATUS_LABELS

LEVELS = {NodeKind.SECTOR: 0, NodeKind.GENERAL: 1, NodeKind.STRATEGIC: 2,
          NodeKind.OPERATIONAL: 3, NodeKind.RESULT: 4, "indicator": 5}


@dataclass
class ReportRow:
    kind: str
    level: int
    code: str
    text: str
    target: str = ""
    value: str = ""
    expected: str = ""
    status: str = ""
    status_word: str = ""
    comment: str = ""
    target_value: int | str | None = None  # a count's target as a number, for spreadsheets
    comment_by: str = ""  # who last edited the comment, and when
    comment_at: datetime | None = None


def target_words(indicator):
    if indicator.kind == IndicatorKind.YES_NO:
        return _("yes")
    return _("at least %(n)s a year", n=indicator.target)


def report_rows(plan, version, as_of, lang):
    """The plan tree in document order, indicators with their evaluation under `version` and
    their comment. `plan` comes with its tree loaded (plans.services.plan_with_tree).

    Call inside force_locale(lang) so that the words are in the report's language.
    """
    results = {r.code: r for r in targets.evaluate_year(plan.year, as_of, version)}
    comments = comments_for(plan.year)
    rows = []

    def walk(node):
        rows.append(ReportRow(node.kind, LEVELS[node.kind], node.code, text_in(node, "text", lang)))
        for child in node.live_children():
            walk(child)
        for indicator in node.live_indicators():
            rows.append(_indicator_row(indicator, results.get(indicator.code), comments, lang))

    for root in plan.roots():
        walk(root)
    return rows


def _indicator_row(indicator, result, comments, lang):
    comment = comments.get(indicator.code)
    row = ReportRow("indicator", LEVELS["indicator"], indicator.code,
                    text_in(indicator, "text", lang), target=target_words(indicator),
                    target_value=None if indicator.kind == IndicatorKind.YES_NO
                    else indicator.target)
    if comment is not None:
        row.comment, row.comment_by, row.comment_at = comment
    if result is not None:
        milestone = result.measure == "milestone"
        row.value = (_("yes") if result.value else _("no")) if milestone else str(result.value)
        row.expected = "" if milestone else f"{result.expected:g}"
        row.status, row.status_word = result.status, _(STATUS_LABELS[result.status])
    return row


def comments_for(year):
    """{code: (comment, who last edited it, when)} of a year, in one query."""
    rows = db.session.execute(
        select(IndicatorComment.code, IndicatorComment.text, User.email,
               IndicatorComment.updated_at)
        .outerjoin(User, User.id == IndicatorComment.updated_by_id)
        .where(IndicatorComment.year == year)).all()
    return {code: (text, email or "", at) for code, text, email, at in rows}


def status_counts(rows):
    """{status: how many indicators} of the report's rows."""
    return Counter(row.status for row in rows if row.kind == "indicator" and row.status)


def set_comments(year, texts, user):
    """Save every comment of the report's form at once; how many changed (each audited)."""
    return sum(set_comment(year, code, text, user) for code, text in texts.items())


def set_comment(year, code, text, user):
    """Create, change or clear the coordinator's comment on an indicator (audited)."""
    comment = db.session.scalar(select(IndicatorComment).where(
        IndicatorComment.year == year, IndicatorComment.code == code))
    before = comment.text if comment else None
    text = (text or "").strip()
    if before == (text or None):
        return False
    if comment is None:
        comment = IndicatorComment(year=year, code=code, text=text)
        db.session.add(comment)
    comment.text, comment.updated_by_id, comment.updated_at = text, user.id, utcnow()
    db.session.flush()
    audit.record("report.comment", comment, before={"text": before}, after={"text": text},
                 actor=user)
    return True


@dataclass
class Completeness:
    without_events: list[str]
    empty_months: list[date]

    @property
    def complete(self):
        return not self.without_events and not self.empty_months

    @property
    def month_labels(self):
        return [format_date(month, "MMMM y") for month in self.empty_months]


def completeness(version, as_of):
    """Indicators of `version` with no event counted, and months (up to `as_of`) with no entry
    at all."""
    ruleset = targets.ruleset_of(version)
    end = min(as_of, ruleset.end)
    months = months_with_events(ruleset.start, end)
    without = [rule.code for rule in ruleset.indicators
               if not any(months.get(code) for code in rule.events)]
    filled = set().union(*months.values())
    span = range(ruleset.start.month, end.month + 1) if end >= ruleset.start else []
    return Completeness(without, [date(version.year, m, 1) for m in span if m not in filled])
