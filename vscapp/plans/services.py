"""Importing a parsed plan into the database (in place, by code) and exporting it."""

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from vscapp.audit import services as audit
from vscapp.extensions import db
from vscapp.i18n import text_in
from vscapp.models import utcnow
from vscapp.plans.models import Indicator, NodeKind, Plan, PlanNode


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


def import_plan(parsed, source=None):
    """Create or update the plan of `parsed.year` in place; return what changed.

    Rows are matched by code, so events, rules and comments tied to an unchanged indicator stay
    tied to it. Rows that the document no longer has are retired, never deleted. The caller
    commits: one transaction for the whole import.
    """
    report = ImportReport(parsed.year, parsed.language)
    plan = plan_for_year(parsed.year)
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


def latest_plan():
    return db.session.scalar(select(Plan).order_by(Plan.year.desc()).limit(1))


def plan_years():
    return db.session.scalars(select(Plan.year).order_by(Plan.year.desc())).all()
