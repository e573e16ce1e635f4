"""Importing a parsed plan into the database (in place, by code) and exporting it."""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from vscapp.audit import services as audit
from vscapp.extensions import db
from vscapp.i18n import text_in
from vscapp.models import utcnow
from vscapp.plans.models import Indicator, NodeKind, Plan, PlanNode
from vscapp.vocabulary import CONTENT_LANGUAGE_LABELS, CONTENT_LANGUAGES

MAX_LISTED_CODES = 10


class PlanMismatchError(ValueError):
    """A document that does not have the structure (codes, kinds, targets) of the plan already
    imported in another language; `messages` say what differs, in the reader's language."""

    def __init__(self, messages):
        self.messages = messages
        super().__init__("\n".join(str(m) for m in messages))


@dataclass
class ImportReport:
    year: int
    language: str
    created: list[str] = field(default_factory=list)
    updated: dict[str, dict] = field(default_factory=dict)
    retired: list[str] = field(default_factory=list)

    @property
    def changed(self):
        return bool(self.created or self.updated or self.retired)

    def summary(self):
        if not self.changed:
            return f"Plan {self.year} ({self.language}): already up to date, nothing changed."
        return (f"Plan {self.year} ({self.language}): {len(self.created)} created, "
                f"{len(self.updated)} updated, {len(self.retired)} retired.")


@dataclass
class PlanChanges:
    """A parsed plan against the plan of an earlier year: indicators by code."""

    added: list = field(default_factory=list)  # (code, text, target)
    removed: list = field(default_factory=list)  # (code, text, target)
    retargeted: list = field(default_factory=list)  # (code, text, old target, new target)


def indicator_rows(parsed):
    """{code: (text, kind, target)} of a parsed plan's indicators."""
    return {code: (text, extra["kind"], extra["target"])
            for kind, code, _, _, text, extra in flatten(parsed) if kind == "indicator"}


def changes_since(parsed, plan, lang):
    """What the parsed plan adds, removes and retargets against `plan` (None: all added)."""
    new = indicator_rows(parsed)
    old = {i.code: (text_in(i, "text", lang), i.kind, i.target)
           for i in (live_indicators(plan) if plan else [])}
    changes = PlanChanges()
    for code, (text, kind, target) in new.items():
        if code not in old:
            changes.added.append((code, text, _plan_target(kind, target)))
        elif (old[code][1], old[code][2]) != (kind, target):
            changes.retargeted.append((code, text, _plan_target(*old[code][1:]),
                                       _plan_target(kind, target)))
    changes.removed = [(code, text, _plan_target(kind, target))
                       for code, (text, kind, target) in old.items() if code not in new]
    return changes


def _plan_target(kind, target):
    """A target as the plan has it: True for yes/no, else the number."""
    return True if kind == "yes_no" else target


def previous_plan(year):
    """The plan of the latest year before `year`, or None."""
    return db.session.scalar(select(Plan).where(Plan.year < year).order_by(Plan.year.desc())
                             .limit(1))


def flatten(parsed):
    """The parsed tree as ordered (kind, code, parent code, number, text, extra) rows."""
    for sector in parsed.sectors:
        s = f"S{sector.number}"
        yield NodeKind.SECTOR, s, None, sector.number, sector.title, {}
        for general in sector.generals:
            g = f"{s}.G{general.number}"
            yield NodeKind.GENERAL, g, s, general.number, general.text, {}
            for strategic in general.strategics:
                sd = f"{s}.SD{strategic.number}"
                yield NodeKind.STRATEGIC, sd, g, strategic.number, strategic.domain, {
                    "pole": strategic.pole}
                yield from _flatten_objectives(sd, strategic.objectives)


def _flatten_objectives(sd, objectives):
    for objective in objectives:
        od = f"{sd}.OD{objective.number}"
        yield NodeKind.OPERATIONAL, od, sd, objective.number, objective.text, {}
        indicator_number = 0
        for r, result in enumerate(objective.results, start=1):
            rc = f"{od}.R{r}"
            yield NodeKind.RESULT, rc, od, r, result.text, {}
            for indicator in result.indicators:
                indicator_number += 1
                yield "indicator", f"{od}.I{indicator_number}", rc, indicator_number, \
                    indicator.text, {"kind": indicator.kind.value, "target": indicator.target}


def import_plan(parsed, source=None, restructure=False):
    """Create or update the plan of `parsed.year` in place; return what changed.

    Rows are matched by code, so events, rules and comments tied to an unchanged indicator stay
    tied to it. Rows that the document no longer has are retired, never deleted. The caller
    commits: one transaction for the whole import.

    A plan holds one structure in two languages: once it has texts in the other language, a
    document must have exactly its codes, kinds and targets (PlanMismatchError says what
    differs), so importing the French document of a Dutch plan only adds the French texts.
    `restructure` accepts a changed structure anyway (a corrected plan): rows it adds have no
    text in the other language until that document is imported too.
    """
    report = ImportReport(parsed.year, parsed.language)
    plan = plan_for_year(parsed.year)
    if plan is not None and not restructure:
        check_same_structure(plan, parsed)
    if plan is None:
        plan = Plan(year=parsed.year)
        db.session.add(plan)
        db.session.flush()
        report.created.append(f"plan {plan.year}")
    lang = parsed.language
    _set(plan, {f"decree_{lang}": parsed.decree, f"municipality_{lang}": parsed.municipality,
                "decree_date": parsed.decree_date}, report, f"plan {plan.year}")
    _upsert_tree(plan, list(flatten(parsed)), lang, report)
    if report.changed:
        plan.updated_at = utcnow()
        audit.record("plan.import", plan, after={
            "language": lang, "source": source, "created": report.created,
            "updated": report.updated, "retired": report.retired})
    return report


def other_languages(plan, lang):
    """The languages other than `lang` the plan has texts in (its own, or any live row's)."""
    found = []
    for other in CONTENT_LANGUAGES:
        if other == lang:
            continue
        if getattr(plan, f"decree_{other}") or getattr(plan, f"municipality_{other}") or any(
                getattr(row, f"text_{other}") for row in (*plan.nodes, *plan.indicators)
                if row.retired_at is None):
            found.append(other)
    return found


def structure_of_plan(plan):
    """{code: (kind, indicator kind, target)} of the plan's live rows."""
    shape = {n.code: (n.kind, None, None) for n in plan.nodes if n.retired_at is None}
    shape.update({i.code: ("indicator", i.kind, i.target) for i in plan.indicators
                  if i.retired_at is None})
    return shape


def structure_of_document(parsed):
    return {code: (kind, extra.get("kind"), extra.get("target"))
            for kind, code, _parent, _number, _text, extra in flatten(parsed)}


def check_same_structure(plan, parsed):
    """Raise PlanMismatchError if the plan has texts in another language and `parsed` does
    not have its structure."""
    others = other_languages(plan, parsed.language)
    if not others:
        return
    have, get = structure_of_plan(plan), structure_of_document(parsed)
    missing = [code for code in have if code not in get]
    extra = [code for code in get if code not in have]
    messages = []
    if missing:
        messages.append(_l("Not in the document: %(codes)s.", codes=_codes(missing)))
    if extra:
        messages.append(_l("Not in the plan: %(codes)s.", codes=_codes(extra)))
    for code, (kind, indicator_kind, target) in get.items():
        if code not in have or have[code] == (kind, indicator_kind, target):
            continue
        if kind != have[code][0]:
            messages.append(_l("%(code)s is of another kind in the document.", code=code))
        else:
            messages.append(_l("%(code)s: the target is %(plan)s in the plan and %(document)s in "
                               "the document.", code=code, plan=_target(*have[code][1:]),
                               document=_target(indicator_kind, target)))
    if messages:
        raise PlanMismatchError([_l(
            "The document is in %(language)s and does not have the structure of the plan "
            "%(year)s already imported in %(other)s: nothing was imported.",
            language=_l_language(parsed.language), year=plan.year,
            other=_l_language(others[0])), *messages])


def _l_language(lang):
    return _l(CONTENT_LANGUAGE_LABELS[lang])


def _codes(codes):
    shown = ", ".join(codes[:MAX_LISTED_CODES])
    if len(codes) > MAX_LISTED_CODES:
        return _l("%(codes)s and %(n)s more", codes=shown, n=len(codes) - MAX_LISTED_CODES)
    return shown


def _target(indicator_kind, target):
    return _l("yes") if indicator_kind == "yes_no" else _l("at least %(n)s", n=target)


def _upsert_tree(plan, rows, lang, report):
    nodes = {n.code: n for n in db.session.scalars(select(PlanNode).where(PlanNode.plan == plan))}
    indicators = {i.code: i for i in db.session.scalars(
        select(Indicator).where(Indicator.plan == plan))}
    seen = set()
    for position, (kind, code, parent_code, number, text, extra) in enumerate(rows):
        seen.add(code)
        parent = nodes.get(parent_code)
        values = {"number": number, "position": position, f"text_{lang}": text or None,
                  "retired_at": None, **extra}
        if kind == "indicator":
            row = indicators.get(code) or _create(Indicator, indicators, code, plan, report)
            values["node"] = parent
        else:
            row = nodes.get(code) or _create(PlanNode, nodes, code, plan, report, kind=kind)
            values["parent_id"] = parent.id if parent else None
        _set(row, values, report, code)
        db.session.flush()
    for code, row in {**nodes, **indicators}.items():
        if code not in seen and row.retired_at is None:
            row.retired_at = utcnow()
            report.retired.append(code)


def _create(model, index, code, plan, report, **values):
    row = model(code=code, plan=plan, **values)
    db.session.add(row)
    index[code] = row
    report.created.append(code)
    return row


def _set(row, values, report, label):
    """Assign only what differs, noting old and new of existing rows in the report."""
    changes = {}
    for name, new in values.items():
        old = getattr(row, name)
        if old != new:
            setattr(row, name, new)
            if name != "position":  # order follows the document; a shift is not a change
                changes[name] = [_plain(old), _plain(new)]
    if changes and label not in report.created:
        report.updated[label] = changes


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, PlanNode):
        return value.code
    return value


def plan_for_year(year):
    return db.session.scalar(select(Plan).where(Plan.year == year))


def live_indicators(plan):
    """The plan's indicators that are not retired, in the plan's order."""
    return db.session.scalars(select(Indicator).where(
        Indicator.plan_id == plan.id, Indicator.retired_at.is_(None))
        .order_by(Indicator.position)).all()


def indicator_by_code(year, code):
    """The indicator of the year's plan with this code (retired or not), or None."""
    return db.session.scalar(select(Indicator).join(Plan).where(Plan.year == year,
                                                                Indicator.code == code))


def plan_with_tree(year):
    """The year's plan with every node's children and indicators loaded: four queries, however
    large the plan, for pages and exports that walk the whole tree."""
    nodes = selectinload(Plan.nodes)
    return db.session.scalar(select(Plan).where(Plan.year == year).options(
        nodes.selectinload(PlanNode.children), nodes.selectinload(PlanNode.indicators)))


def export_plan(plan, lang=None):
    """The plan as a JSON-ready tree: sectors down to indicators with kind and target."""
    lang = lang or (plan.languages or ["nl"])[0]

    def text(obj):
        return text_in(obj, "text", lang) or None

    def node(n):
        keys = {NodeKind.SECTOR: "title", NodeKind.STRATEGIC: "domain"}
        out = {"code": n.code, "number": n.number, keys.get(n.kind, "text"): text(n)}
        if n.kind == NodeKind.STRATEGIC:
            out["pole"] = n.pole
        if n.kind == NodeKind.RESULT:
            out["indicators"] = [indicator(i) for i in n.live_indicators()]
        else:
            out[CHILD_KEYS[n.kind]] = [node(c) for c in n.live_children()]
        return out

    def indicator(i):
        return {"code": i.code, "text": text(i), "kind": i.kind, "target": i.target_value}

    return {
        "year": plan.year,
        "language": lang,
        "municipality": getattr(plan, f"municipality_{lang}"),
        "decree": {"reference": getattr(plan, f"decree_{lang}"),
                   "date": plan.decree_date.isoformat() if plan.decree_date else None},
        "sectors": [node(n) for n in plan.roots()],
    }


CHILD_KEYS = {
    NodeKind.SECTOR: "general_objectives",
    NodeKind.GENERAL: "strategic_objectives",
    NodeKind.STRATEGIC: "operational_objectives",
    NodeKind.OPERATIONAL: "expected_results",
}


def missing_languages(plan):
    """[(language, number of texts, whether none is in it)] of the languages some of the plan's
    live texts lack (they exist in the other language only): what the plan page tells the
    coordinator to import."""
    rows = [r for r in (*plan.nodes, *plan.indicators) if r.retired_at is None]
    missing = []
    for lang in CONTENT_LANGUAGES:
        count = sum(1 for r in rows if not getattr(r, f"text_{lang}") and any(
            getattr(r, f"text_{other}") for other in CONTENT_LANGUAGES if other != lang))
        if count:
            missing.append((lang, count, not any(getattr(r, f"text_{lang}") for r in rows)))
    return missing


def latest_plan():
    return db.session.scalar(select(Plan).order_by(Plan.year.desc()).limit(1))


def plan_years():
    return db.session.scalars(select(Plan.year).order_by(Plan.year.desc())).all()
