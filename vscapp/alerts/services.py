"""The alert run: evaluate the year, note status changes, write alerts to the outbox once,
then send what is pending.

The wall: a recipient who may not read the records an indicator counts (the police liaison
and social-prevention activities) sees that indicator only by whole month. Its message is held
until the month of the evaluation is over and then names the month, never the day or the value,
so neither its content nor the day it arrives tells when a record was made.

Once: an alert's key (year, indicator, status, rules version) is unique in the database, and
it is inserted with ON CONFLICT DO NOTHING, so two runs at the same time create it once and
only the run that created it writes its outbox rows. Nothing lost: the outbox is committed
before any sending; each message is claimed by an atomic conditional UPDATE before it is sent
and stamped after, so a failed send stays pending for the next run and two senders never take
the same message. (A crash between the SMTP server's acceptance and the stamp can resend one
message after the claim goes stale: at least once, never lost.)

Superseded: an alert raised under a rules version that is no longer the year's active one (a
newer version, or a rollback) is closed at the next run. The active rules then judge the
indicator afresh; if it is still in that status, the alert is raised again under them, and
only those who were not told already are written to.
"""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, timedelta

from flask import current_app
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import joinedload

from vscapp import clock, months
from vscapp.alerts.messages import compose_alert, compose_digest, compose_no_rules
from vscapp.alerts.models import Alert, IndicatorState, OutboxMessage
from vscapp.audit import services as audit
from vscapp.audit.models import AuditEntry
from vscapp.extensions import db
from vscapp.i18n import text_in
from vscapp.mail import Mailer, MailError
from vscapp.models import dialect_insert, utcnow
from vscapp.permissions import may_see_indicator
from vscapp.plans.models import Indicator, Plan
from vscapp.targets import services as targets
from vscapp.users.models import User
from vscapp.vocabulary import ALERT_STATUSES, RECOVERED_STATUSES, Delivery, Granularity, Role

STALE_CLAIM = timedelta(minutes=15)
DIGEST_EVERY = timedelta(days=7)


@dataclass
class RunReport:
    year: int
    changed: list[tuple[str, str | None, str]] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    superseded: int = 0
    sent: int = 0
    failures: list[str] = field(default_factory=list)
    no_rules: bool = False  # the year has no active rules: nothing was evaluated
    told: list[str] = field(default_factory=list)  # who was told so, this run


@dataclass(frozen=True)
class RulesYear:
    """A year, as the audit trail names it: the notice that it has no active rules yet."""

    id: int


NO_RULES_NOTICE = "alerts.no_rules_notice"


def raise_alerts(as_of, report=None):
    """Evaluate the year of `as_of`; write alerts and their outbox rows for status changes."""
    year = as_of.year
    report = report or RunReport(year)
    version = targets.active_version(year)
    if version is None:
        raise targets.NoActiveRules(f"no active rules for {year}")
    rules = {rule.code: rule for rule in targets.ruleset_of(version).indicators}
    states = dict(db.session.execute(select(IndicatorState.code, IndicatorState.status)
                                     .where(IndicatorState.year == year)).all())
    superseded = _supersede(version, report)
    for result in targets.evaluate_year(year, as_of, version):
        previous = states.get(result.code)
        told = superseded.get((result.code, result.status))
        if previous == result.status and told is None:
            continue
        if previous != result.status:
            report.changed.append((result.code, previous, result.status))
            _save_state(year, result, as_of)
        rule = rules[result.code]
        recipients = rule.recipients(result.status)
        if result.status in ALERT_STATUSES and recipients:
            _raise(version, rule, result, previous, as_of, _users(recipients), report,
                   told or set())
        elif result.status in RECOVERED_STATUSES and previous != result.status:
            _recover(version, rule, result, previous, as_of, report)
    db.session.commit()
    return report


def _save_state(year, result, as_of):
    stmt = dialect_insert(IndicatorState).values(year=year, code=result.code,
                                                 status=result.status, as_of=as_of,
                                                 updated_at=utcnow())
    db.session.execute(stmt.on_conflict_do_update(
        index_elements=["year", "code"],
        set_={"status": stmt.excluded.status, "as_of": stmt.excluded.as_of,
              "updated_at": stmt.excluded.updated_at}))


def _create_once(version, result, previous, as_of):
    """Insert the alert unless its key exists; the id when this run created it, else None."""
    stmt = dialect_insert(Alert).values(
        year=version.year, code=result.code, status=result.status, rules_version_id=version.id,
        previous_status=previous, as_of=as_of, value=result.value, expected=result.expected,
        target=result.target, needed=result.needed, due=result.due, raised_at=utcnow())
    stmt = stmt.on_conflict_do_nothing(
        index_elements=["year", "code", "status", "rules_version_id"]).returning(Alert.id)
    return db.session.execute(stmt).scalar()


def _supersede(version, report):
    """Close the year's unresolved alerts raised under another rules version than `version`;
    {(indicator, status): ids of the users those alerts were written to}."""
    stale = db.session.scalars(select(Alert).where(
        Alert.year == version.year, Alert.rules_version_id != version.id,
        Alert.status.in_(ALERT_STATUSES), Alert.resolved_by_id.is_(None),
        Alert.superseded_at.is_(None))).all()
    now, told = utcnow(), {}
    for alert in stale:
        alert.superseded_at = now
        told.setdefault((alert.code, alert.status), set()).update(
            message.user_id for message in alert.messages)
    report.superseded += len(stale)
    return told


def _raise(version, rule, result, previous, as_of, users, report, told):
    alert_id = _create_once(version, result, previous, as_of)
    if alert_id is None:
        alert = _reopen(version, result, as_of)
        if alert is None:
            return  # raised already, by this run's key
        alert_id, told = alert.id, told | {message.user_id for message in alert.messages}
    _queue(alert_id, [user for user in users if user.id not in told], rule, as_of)
    report.alerts.append(db.session.get(Alert, alert_id))


def _reopen(version, result, as_of):
    """The alert of this key closed as superseded, open again now that its rules version is
    active again (a rollback), with today's figures; None when there is none."""
    alert = db.session.scalar(select(Alert).where(
        Alert.year == version.year, Alert.code == result.code, Alert.status == result.status,
        Alert.rules_version_id == version.id, Alert.superseded_at.is_not(None)))
    if alert is not None:
        alert.superseded_at, alert.raised_at, alert.as_of = None, utcnow(), as_of
        alert.value, alert.expected, alert.target = result.value, result.expected, result.target
        alert.needed, alert.due = result.needed, result.due
    return alert


def _recover(version, rule, result, previous, as_of, report):
    """Tell those who were alerted that the indicator is back on track, or met."""
    open_alerts = db.session.scalars(select(Alert).where(
        Alert.year == version.year, Alert.code == result.code,
        Alert.status.in_(ALERT_STATUSES), Alert.resolved_by_id.is_(None),
        Alert.superseded_at.is_(None))).all()
    if not open_alerts:
        return
    alert_id = _create_once(version, result, previous, as_of)
    if alert_id is None:
        return
    users = db.session.scalars(select(User).join(OutboxMessage).where(
        OutboxMessage.alert_id.in_([a.id for a in open_alerts]), User.active).distinct()).all()
    for alert in open_alerts:
        alert.resolved_by_id = alert_id
    _queue(alert_id, users, rule, as_of)
    report.alerts.append(db.session.get(Alert, alert_id))


def _users(names):
    roles = [name for name in names if name in {r.value for r in Role}]
    emails = [name.lower() for name in names if "@" in name]
    return db.session.scalars(select(User).where(User.active, or_(
        User.role.in_(roles), func.lower(User.email).in_(emails))).order_by(User.id)).all()


def _queue(alert_id, users, rule, as_of):
    types = targets.types_by_code()
    for user in users:
        by_month = targets.rule_granularity(user, rule, types) is Granularity.MONTH
        db.session.add(OutboxMessage(
            alert_id=alert_id, user_id=user.id, delivery=user.alert_delivery,
            hold_until=months.next_month(as_of) if by_month else None))
    db.session.flush()


def _claimable(now):
    """Not sent, not held for a month that is not over, and not claimed by a run that is still
    within its time."""
    return (OutboxMessage.sent_at.is_(None),
            or_(OutboxMessage.hold_until.is_(None),
                OutboxMessage.hold_until <= clock.local(now).date()),
            or_(OutboxMessage.claimed_at.is_(None), OutboxMessage.claimed_at < now - STALE_CLAIM))


def _claim(conditions, now):
    """Claim the pending messages matching `conditions`; return those this call claimed."""
    token = uuid.uuid4().hex
    db.session.execute(update(OutboxMessage).where(*conditions, *_claimable(now))
                       .values(claim_token=token, claimed_at=now)
                       .execution_options(synchronize_session=False))
    db.session.commit()
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.claim_token == token)
                              .order_by(OutboxMessage.id)).all()


def _pending(now):
    """Ids of due immediate messages, and users whose weekly digest is due."""
    live = _claimable(now)
    immediate = db.session.scalars(select(OutboxMessage.id).where(
        *live, OutboxMessage.delivery == Delivery.IMMEDIATE).order_by(OutboxMessage.id)).all()
    oldest = db.session.execute(select(OutboxMessage.user_id, func.min(OutboxMessage.created_at))
                                .where(*live, OutboxMessage.delivery == Delivery.DIGEST)
                                .group_by(OutboxMessage.user_id)).all()
    digests = [user_id for user_id, first in oldest
               if now.weekday() == 0 or _aware(first) <= now - DIGEST_EVERY]
    return immediate, digests


def _aware(moment):
    """SQLite hands back naive datetimes for timezone-aware columns: they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def send_pending(report, now=None):
    """Send every due message; on failure it stays pending and the report says why."""
    now = now or utcnow()
    immediate, digests = _pending(now)
    if not immediate and not digests:
        return report
    config = current_app.config
    try:
        with Mailer(config) as mailer:
            for message_id in immediate:
                _deliver(mailer, _claim([OutboxMessage.id == message_id], now), report,
                         compose_alert)
            for user_id in digests:
                _deliver(mailer, _claim([OutboxMessage.user_id == user_id,
                                         OutboxMessage.delivery == Delivery.DIGEST], now), report,
                         compose_digest)
    except MailError as exc:
        report.failures.append(str(exc))
    return report


def _deliver(mailer, claimed, report, compose):
    if not claimed:
        return  # another run took them
    try:
        mailer.send(compose(claimed, current_app.config))
    except MailError as exc:
        for row in claimed:
            row.claim_token, row.claimed_at = None, None
            row.attempts += 1
            row.last_error = str(exc)[:2000]
        db.session.commit()
        report.failures.append(str(exc))
        return
    sent_at = utcnow()
    for row in claimed:
        row.sent_at, row.attempts = sent_at, row.attempts + 1
    db.session.commit()
    report.sent += len(claimed)


def run(as_of, now=None):
    """The whole run: raise alerts for `as_of`, then send what is pending. A year without
    active rules (1 January, before the new rules are activated) is not evaluated: the
    coordinators are told so once, and what is pending from before still goes."""
    if targets.active_version(as_of.year) is None:
        report = RunReport(as_of.year, no_rules=True)
        tell_no_rules(as_of.year, report)
    else:
        report = raise_alerts(as_of)
    return send_pending(report, now)


def tell_no_rules(year, report):
    """E-mail the active coordinators, once per year, that the year has no active rules yet;
    the audit trail remembers that they were told (a failed send is tried again next run)."""
    told = db.session.scalar(select(AuditEntry.id).where(
        AuditEntry.action == NO_RULES_NOTICE, AuditEntry.entity_id == str(year)).limit(1))
    if told is not None:
        return
    coordinators = db.session.scalars(select(User).where(
        User.role == Role.COORDINATOR, User.active).order_by(User.id)).all()
    if not coordinators:
        return
    config = current_app.config
    try:
        with Mailer(config) as mailer:
            for user in coordinators:
                mailer.send(compose_no_rules(user, year, config))
    except MailError as exc:
        report.failures.append(str(exc))
        return
    report.told = [user.email for user in coordinators]
    audit.record(NO_RULES_NOTICE, RulesYear(year), after={"told": report.told})
    db.session.commit()


def open_alerts():
    """Alerts nobody has acknowledged, not resolved and not superseded, latest first."""
    return db.session.scalars(select(Alert).options(joinedload(Alert.rules_version)).where(
        Alert.status.in_(ALERT_STATUSES), Alert.resolved_by_id.is_(None),
        Alert.superseded_at.is_(None), Alert.acknowledged_at.is_(None))
        .order_by(Alert.raised_at.desc(), Alert.id.desc())).all()


def open_count(reader):
    """How many open alerts `reader` finds on the alerts page: the number the menu shows."""
    return len(for_reader(open_alerts(), reader))


def indicator_names(alerts, lang):
    """{(year, code): the indicator's text in `lang`} for the alerts' indicators, in one query."""
    keys = {(alert.year, alert.code) for alert in alerts}
    if not keys:
        return {}
    rows = db.session.execute(select(Plan.year, Indicator).join(Plan).where(
        Plan.year.in_({year for year, _ in keys}),
        Indicator.code.in_({code for _, code in keys}))).all()
    return {(year, indicator.code): text_in(indicator, "text", lang) for year, indicator in rows}


def alert_history():
    return select(Alert).order_by(Alert.raised_at.desc(), Alert.id.desc())


@dataclass
class AlertView:
    alert: Alert
    by_month: bool  # the reader sees this indicator by whole month: no day, no value


def for_reader(alerts, reader, today=None):
    """The alerts as `reader` may see them: one about an indicator it sees by whole month only
    once that month is over, and then by month."""
    if not alerts:
        return []
    cut = months.cutoff(today or clock.today())
    types = targets.types_by_code()
    views = [AlertView(alert, _by_month(alert, reader, types)) for alert in alerts
             if may_see_indicator(reader, alert.code)]
    return [v for v in views if not v.by_month or months.month_end(v.alert.as_of) <= cut]


def _by_month(alert, reader, types):
    rule = next((r for r in targets.ruleset_of(alert.rules_version).indicators
                 if r.code == alert.code), None)
    return rule is None or targets.rule_granularity(reader, rule, types) is Granularity.MONTH


def acknowledge(alert, comment, user):
    alert.acknowledged_at, alert.acknowledged_by_id, alert.comment = utcnow(), user.id, comment
    audit.record("alert.acknowledge", alert, reason=comment, actor=user)
