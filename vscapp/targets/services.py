"""Rules versions (save, activate, roll back) and evaluation of a year against real events."""

import difflib
import hashlib
import threading
from functools import lru_cache

from cachetools import LRUCache, cached
from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from vscapp import data_version, months
from vscapp.audit import services as audit
from vscapp.audit.services import actor_label
from vscapp.clock import today
from vscapp.documents import MAX_YEAR, MIN_YEAR, Message
from vscapp.engine.evaluate import evaluate
from vscapp.engine.rulesfile import (
    RuleError,
    RulesFileError,
    Vocabulary,
    load_yaml,
    parse_rules,
)
from vscapp.events.models import EventType
from vscapp.events.services import totals_by_type
from vscapp.extensions import db
from vscapp.permissions import granularity, may_see_indicator
from vscapp.plans.models import Indicator
from vscapp.plans.services import plan_for_year
from vscapp.targets import editing
from vscapp.targets.models import RulesActivation, RulesVersion
from vscapp.users.models import User
from vscapp.vocabulary import Granularity


class NoActiveRules(LookupError):
    """The year has no activated rules yet."""


class EvaluationFailed(RuntimeError):
    """A stored rules version could not be evaluated (it validated, yet the engine failed):
    pages say so and name the version, the rules pages stay usable to roll back."""

    def __init__(self, version):
        super().__init__(f"version {version.number} of the {version.year} rules cannot be "
                         "evaluated: activate an earlier version (vsc rules activate or the "
                         "rules page)")
        self.year, self.number = version.year, version.number


def vocabulary(year):
    """What a rules file for `year` may name: the plan's live indicators, types, accounts."""
    plan = plan_for_year(year)
    if plan is None:
        raise RulesFileError([RuleError(None, None, "year", Message(
            "no plan for %(year)s: import it first with %(command)s", year=year,
            command="`vsc plan import`"))])
    indicators = dict(db.session.execute(
        select(Indicator.code, Indicator.kind).where(Indicator.plan_id == plan.id,
                                                     Indicator.retired_at.is_(None))).all())
    return Vocabulary(
        indicators=indicators,
        event_types=set(db.session.scalars(select(EventType.code))),
        accounts={e.lower() for e in db.session.scalars(select(User.email).where(User.active))},
        year=year)


def check(text, year=None):
    """Validate a rules file against its year's plan; return the RuleSet or raise."""
    if year is None:
        document = load_yaml(text)
        year = document.get("year") if isinstance(document, dict) else None
        if not isinstance(year, int) or isinstance(year, bool) or not (
                MIN_YEAR <= year <= MAX_YEAR):
            return parse_rules(text)  # reports the missing or bad year, and all else it can
    return parse_rules(text, vocabulary(year))


@lru_cache(maxsize=64)
def compiled(content):
    """The RuleSet of stored, already validated content; cached by content."""
    return parse_rules(content)


def save_version(text, source, user=None, year=None):
    """Store a valid rules file as the next version of its year (or return the identical one)."""
    ruleset = check(text, year)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    existing = db.session.scalar(select(RulesVersion).where(
        RulesVersion.year == ruleset.year, RulesVersion.sha256 == digest))
    if existing is not None:
        return existing
    number = (db.session.scalar(select(func.max(RulesVersion.number)).where(
        RulesVersion.year == ruleset.year)) or 0) + 1
    version = RulesVersion(year=ruleset.year, number=number, content=text, sha256=digest,
                           source=source[:200], created_by_id=getattr(user, "id", None),
                           created_label=actor_label(user))
    db.session.add(version)
    audit.record("rules.version", version, after={"year": version.year, "number": number,
                                                  "source": version.source}, actor=user)
    return version


def save_targets(targets, user, texts=None):
    """Store the targets typed in the form as the next rules version of their year: the file is
    written from them and validated as an upload is (RulesFileError if it fails)."""
    header = [f"Rules {targets.year}, written from the targets form (see rules/README.md)."]
    return save_version(editing.to_yaml(targets, texts, header), source="form", user=user,
                        year=targets.year)


def activate(version, reason, user=None):
    """Make `version` the rules of its year; the reason is mandatory. Validated again first."""
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("a reason is required to activate rules")
    check(version.content, version.year)
    previous = active_version(version.year)
    activation = RulesActivation(year=version.year, version=version, reason=reason,
                                 activated_by_id=getattr(user, "id", None),
                                 actor_label=actor_label(user))
    db.session.add(activation)
    data_version.bump()
    audit.record("rules.activate", version, reason=reason, actor=user,
                 before={"version": previous.number if previous else None},
                 after={"version": version.number})
    return activation


def active_version(year):
    """The rules version of the year's latest activation, or None."""
    return db.session.scalar(select(RulesVersion).join(RulesActivation)
                             .where(RulesActivation.year == year)
                             .order_by(RulesActivation.id.desc()).limit(1))


def activations(year):
    """The year's activations, latest first, with their versions."""
    return db.session.scalars(select(RulesActivation).where(RulesActivation.year == year)
                              .options(joinedload(RulesActivation.version))
                              .order_by(RulesActivation.id.desc())).all()


def versions(year):
    return db.session.scalars(select(RulesVersion).where(RulesVersion.year == year)
                              .order_by(RulesVersion.number.desc())).all()


def rules_years():
    return db.session.scalars(select(RulesVersion.year).distinct().order_by(
        RulesVersion.year.desc())).all()


def evaluate_year(year, as_of=None, version=None):
    """Statuses of the year's indicators at `as_of` (default today) under the active rules, or
    under `version` for a preview. Computed once per (year, rules version, date, data
    version) in each process: the readers of one page share one evaluation."""
    version = version or active_version(year)
    if version is None:
        raise NoActiveRules(f"no active rules for {year}: activate a rules file first "
                            f"(vsc rules activate rules/{year}.yaml --reason ...)")
    # The data version is read before the totals: a result is never older than its key.
    return evaluations()(version, as_of or today(), data_version.current())


def evaluations():
    """This app's cache of evaluations in this process (see evaluate_year)."""
    memo = current_app.extensions.get("vsc.evaluations")
    if memo is None:
        memo = current_app.extensions.setdefault("vsc.evaluations", _evaluation_cache())
    return memo


EVALUATIONS_KEPT = 64


def _evaluation_cache():
    # The condition makes readers of a result being computed wait for it instead of computing
    # it again; info=True gives cache_info() (hits, misses).
    return cached(LRUCache(EVALUATIONS_KEPT), condition=threading.Condition(), info=True,
                  key=lambda version, as_of, data: (version.year, version.id, as_of, data))(
        lambda version, as_of, data: evaluate_version(version, as_of))


def evaluate_version(version, as_of):
    """The evaluation itself, uncached: one aggregate over the daily totals, then the engine.
    Raises EvaluationFailed if the rules cannot be read or evaluated (database errors pass)."""
    ruleset = ruleset_of(version)
    totals = totals_by_type(ruleset.start, min(as_of, ruleset.end))
    try:
        return tuple(evaluate(ruleset, totals, as_of))
    except Exception as exc:
        current_app.logger.exception("rules version %s of %s: evaluation failed",
                                     version.number, version.year)
        raise EvaluationFailed(version) from exc


def ruleset_of(version):
    """The RuleSet of a stored version, or EvaluationFailed if it cannot be read any more."""
    try:
        return compiled(version.content)
    except Exception as exc:
        current_app.logger.exception("rules version %s of %s: cannot be read",
                                     version.number, version.year)
        raise EvaluationFailed(version) from exc


def rule_granularity(reader, rule, types=None):
    """The grain at which `reader` sees the figures of an indicator's rule (permissions decide)."""
    types = types if types is not None else types_by_code()
    return granularity(reader, [types[code] for code in rule.events if code in types])


def monthly_codes(reader, ruleset):
    """Codes of the indicators `reader` sees only by whole month."""
    types = types_by_code()
    return {rule.code for rule in ruleset.indicators
            if rule_granularity(reader, rule, types) is Granularity.MONTH}


def types_by_code():
    return {t.code: t for t in db.session.scalars(select(EventType))}


def shown_as_of(grain, as_of):
    """The date figures are evaluated at for a grain: the chosen date, or by month the last day
    of the last whole month up to it."""
    return months.cutoff(as_of) if grain is Granularity.MONTH else as_of


def evaluate_for(reader, year, as_of, version=None):
    """The statuses `reader` may see at `as_of`, those it sees by month evaluated at the month
    cut-off; and that cut-off date, or None when every figure shown is by day."""
    version = version or active_version(year)
    results = [r for r in evaluate_year(year, as_of, version)
               if may_see_indicator(reader, r.code)]
    monthly = monthly_codes(reader, ruleset_of(version)) & {r.code for r in results}
    if not monthly:
        return results, None
    cut = months.cutoff(as_of)
    by_month = {r.code: r for r in evaluate_year(year, cut, version)}
    return [by_month[r.code] if r.code in monthly else r for r in results], cut


def diff(old, new, old_name="active", new_name="new"):
    """A unified diff of two rules files, line by line."""
    return list(difflib.unified_diff((old or "").splitlines(), new.splitlines(),
                                     fromfile=old_name, tofile=new_name, lineterm=""))


def indicator_texts(year):
    """{code: Indicator} of a year's plan, for showing statuses with their words."""
    plan = plan_for_year(year)
    return {i.code: i for i in plan.indicators} if plan else {}
