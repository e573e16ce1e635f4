"""Reading and validating a yearly rules file (YAML) into a RuleSet.

Nothing reaches the engine unless it passes here: every error is reported with its place
(line and column, and the key path), and the vocabulary (indicator codes, event types,
accounts) comes from the caller, so a file is checked against the plan it is for.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

import yaml

from vscapp.documents import MAX_TARGET, MAX_YEAR, MIN_YEAR, DocumentError, Message, check_text
from vscapp.documents import decode as decode_text
from vscapp.vocabulary import ALERT_STATUSES, N_, Role

MAX_BYTES = 256 * 1024
MAX_DEPTH = 8
MAX_INDICATORS = 500
MAX_YAML_EVENTS = 25_000  # values, keys, list and mapping starts and ends: 500 indicators
# with every key set need about 22,000
# Each distinct bands setting compiles to its own group of rules; durable-rules hangs at about
# 500 groups in one ruleset, so a file keeps to a few dozen.
MAX_BAND_SETTINGS = 50
MAX_NUMBER_CHARS = 30  # a YAML number longer than this is no target, share or year
MAX_TEXT = 1000  # decree, note
MAX_CODE = 40  # as the database stores indicator and activity type codes
INDICATOR_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
EVENT_CODE = re.compile(r"[a-z][a-z0-9_]*")
MEASURES = ("count", "sum", "milestone")
PACES = ("even", "due", "quarterly")
SUM_FIELDS = ("participants", "quantity")
ROLES = tuple(Role)
DEFAULT_BANDS = {"on_track": 0.9, "at_risk": 0.6}
TOP_KEYS = {"year", "decree", "period", "bands", "alerts", "indicators"}
INDICATOR_KEYS = {"measure", "events", "field", "target", "pace", "due", "quarters", "bands",
                  "alerts", "note"}


@dataclass(frozen=True)
class Bands:
    on_track: float
    at_risk: float


@dataclass(frozen=True)
class IndicatorRule:
    code: str
    measure: str
    events: tuple[str, ...]
    target: int
    pace: str
    field: str | None = None
    due: date | None = None
    quarters: tuple[float, ...] | None = None
    bands: Bands = Bands(**DEFAULT_BANDS)
    alerts: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def recipients(self, status):
        return dict(self.alerts).get(status, ())


@dataclass(frozen=True)
class RuleSet:
    year: int
    decree: str
    start: date
    end: date
    indicators: tuple[IndicatorRule, ...]


@dataclass(frozen=True)
class RuleError:
    line: int | None
    column: int | None
    path: str
    message: str

    def text(self):
        """The error with its place, as a documents.Message (English as a string)."""
        if self.line and self.path:
            return Message("line %(line)s, column %(column)s (%(path)s): %(message)s",
                           line=self.line, column=self.column, path=self.path,
                           message=self.message)
        if self.line:
            return Message("line %(line)s, column %(column)s: %(message)s", line=self.line,
                           column=self.column, message=self.message)
        if self.path:
            return Message("file (%(path)s): %(message)s", path=self.path, message=self.message)
        return Message("file: %(message)s", message=self.message)

    def __str__(self):
        return str(self.text())

    def __html__(self):
        """On a page: in the reader's language."""
        return self.text().__html__()

    def translated(self):
        return self.text().translated()


@dataclass
class Vocabulary:
    """What a rules file may name: the plan's indicators (code -> kind), event types, accounts."""

    indicators: dict[str, str] = field(default_factory=dict)
    event_types: set[str] = field(default_factory=set)
    accounts: set[str] = field(default_factory=set)
    year: int | None = None


class RulesFileError(ValueError):
    def __init__(self, errors):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


# One template per kind of error, filled in with values: errors are documents.Message, English
# as strings, in the reader's language on a page.
NO_SUCH_DATE = N_("not a date that exists: %(value)s")
NUMBER_TOO_LONG = N_("a number of more than %(max)s characters")
UNREADABLE_VALUE = N_("cannot read %(value)s as %(tag)s")
TARGET_RANGE = N_("expected a whole number from 1 to %(max)s")
TEXT_TOO_LONG = N_("longer than %(max)s characters")
BAD_INDICATOR_CODE = N_("expected an indicator code such as %(example)s (at most %(max)s "
                        "letters, digits, '.', '-' or '_')")
BAD_EVENT_CODE = N_("%(value)s: expected an activity type code such as %(example)s")
TOO_MANY_BANDS = N_("more than %(max)s different bands settings")
TOO_MANY_VALUES = N_("more than %(max)s YAML values and brackets: the file is too large")
EXPECTED_DATE = N_("expected a date as YYYY-MM-DD")
EXPECTED_ONE_OF = N_("expected one of %(choices)s")
MISSING_KEY = N_("missing key %(key)s")


class _Marked(dict):
    """A mapping that remembers where it and each of its keys stand in the file."""

    mark = None
    key_marks: dict  # where each key stands
    value_marks: dict  # where each key's value starts


class _Loader(yaml.SafeLoader):
    """Safe YAML that refuses duplicate keys and keeps the position of every mapping key.

    A value its constructor cannot make (a date that does not exist, a number too long to
    read, a tag applied to the wrong kind of node) is a located error, never a traceback.
    """

    def construct_object(self, node, deep=False):
        if (node.tag in (INT_TAG, FLOAT_TAG) and isinstance(node, yaml.ScalarNode)
                and len(node.value) > MAX_NUMBER_CHARS):
            raise _UnreadableValue(None, None, Message(NUMBER_TOO_LONG, max=MAX_NUMBER_CHARS),
                                   node.start_mark)
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError,
                OverflowError) as exc:
            if isinstance(exc, yaml.YAMLError):
                raise
            value = _short(node.value) if isinstance(node, yaml.ScalarNode) else "this"
            message = (Message(NO_SUCH_DATE, value=value) if node.tag == TIMESTAMP_TAG else
                       Message(UNREADABLE_VALUE, value=value, tag=_short(node.tag)))
            raise _UnreadableValue(None, None, message, node.start_mark) from None


class _UnreadableValue(yaml.constructor.ConstructorError):
    """Well-formed YAML whose value cannot be made (reported without "YAML syntax")."""


INT_TAG, FLOAT_TAG = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


def _construct_mapping(loader, node):
    if not isinstance(node, yaml.MappingNode):
        raise yaml.constructor.ConstructorError(None, None, Message("expected a mapping"),
                                                node.start_mark)
    mapping = _Marked()
    mapping.mark, mapping.key_marks, mapping.value_marks = node.start_mark, {}, {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | date):
            raise yaml.constructor.ConstructorError(None, None, Message(
                "a key must be a plain word"), key_node.start_mark)
        key = str(key)
        if key in mapping:
            raise yaml.constructor.ConstructorError(None, None, Message(
                "duplicate key %(key)s", key=repr(key)), key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_marks[key] = key_node.start_mark
        mapping.value_marks[key] = value_node.start_mark
    return mapping


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def load_yaml(text):
    """The document as Python values with marks; raise RulesFileError on unsafe or bad YAML."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise RulesFileError([RuleError(None, None, "", Message(
            "the file is larger than %(max)s KiB", max=MAX_BYTES // 1024))])
    try:
        check_text(text)
    except DocumentError as exc:
        raise RulesFileError([RuleError(exc.line, exc.column, "", exc.message)]) from None
    try:
        depth = 0
        for count, event in enumerate(yaml.parse(text, Loader=yaml.SafeLoader)):
            if count > MAX_YAML_EVENTS:  # PyYAML reads some 25,000 a second: keep it short
                raise _at(event.start_mark, "", Message(TOO_MANY_VALUES,
                                                        max=f"{MAX_YAML_EVENTS:,}"))
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise _at(event.start_mark, "", Message(
                    "anchors and aliases (& and *) are not allowed"))
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _at(event.start_mark, "", Message(
                        "nested deeper than %(max)s levels", max=MAX_DEPTH))
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        return yaml.load(text, Loader=_Loader)  # noqa: S506 (_Loader is a SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or exc.context or Message("invalid YAML")
        if not isinstance(exc, _UnreadableValue):
            # PyYAML's own words stay English: they name YAML's syntax.
            message = Message("YAML syntax: %(problem)s", problem=message)
        raise _at(mark, "", message) from None
    except yaml.YAMLError as exc:  # not located by PyYAML itself (check_text refuses most)
        raise RulesFileError([RuleError(None, None, "", Message("YAML: %(problem)s",
                                                                problem=str(exc)))]) from None


def decode(raw):
    """The text of an uploaded rules file (bytes); RulesFileError where it is not UTF-8."""
    try:
        return decode_text(raw)
    except DocumentError as exc:
        raise RulesFileError([RuleError(exc.line, exc.column, "", exc.message)]) from None


def _at(mark, path, message):
    line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
    return RulesFileError([RuleError(line, column, path, message)])


def parse_rules(text, vocabulary=None):
    """Validate a rules file and return its RuleSet; raise RulesFileError listing every error."""
    document = load_yaml(text)
    checker = _Checker(vocabulary or Vocabulary())
    ruleset = checker.document(document)
    if checker.errors:
        raise RulesFileError(checker.errors)
    return ruleset


class _Checker:
    def __init__(self, vocabulary):
        self.vocabulary = vocabulary
        self.errors = []

    def error(self, mapping, key, path, message, at_key=False):
        """Record an error at a key's value (or at the key itself, for an unknown key)."""
        mark = None
        if isinstance(mapping, _Marked):
            marks = mapping.key_marks if at_key else mapping.value_marks
            mark = marks.get(key, mapping.mark) if key is not None else mapping.mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        self.errors.append(RuleError(line, column, path, message))

    def keys(self, mapping, allowed, required, path):
        for key in mapping:
            if key not in allowed:
                self.error(mapping, key, _join(path, key),
                           Message("unknown key; expected one of %(keys)s",
                                   keys=", ".join(sorted(allowed))), at_key=True)
        for key in required:
            if key not in mapping:
                self.error(mapping, None, path, Message(MISSING_KEY, key=repr(key)))

    def document(self, doc):
        if not isinstance(doc, dict):
            self.errors.append(RuleError(1, 1, "", Message(
                "expected a mapping with year, decree, period and indicators")))
            return None
        self.keys(doc, TOP_KEYS, ("year", "decree", "period", "indicators"), "")
        year = self.year(doc)
        decree = doc.get("decree")
        if "decree" in doc and (not isinstance(decree, str) or not decree.strip()):
            self.error(doc, "decree", "decree", Message("expected the decree's reference as text"))
        elif "decree" in doc and len(decree) > MAX_TEXT:
            self.error(doc, "decree", "decree", Message(TEXT_TOO_LONG, max=MAX_TEXT))
        start, end = self.period(doc, year)
        bands = self.bands(doc, "bands", "bands", Bands(**DEFAULT_BANDS))
        alerts = self.alerts(doc, "alerts", "alerts", ())
        indicators = self.indicators(doc, year, start, end, bands, alerts)
        if self.errors:
            return None
        return RuleSet(year, decree.strip(), start, end, tuple(indicators))

    def year(self, doc):
        year = doc.get("year")
        if "year" not in doc:
            return None
        if not _is_int(year) or not MIN_YEAR <= year <= MAX_YEAR:
            self.error(doc, "year", "year", Message("expected a year such as %(example)s",
                                                    example=2023))
            return None
        expected = self.vocabulary.year
        if expected is not None and year != expected:
            self.error(doc, "year", "year", Message("this file is for %(year)s, not for "
                                                    "%(expected)s", year=year, expected=expected))
        return year

    def period(self, doc, year):
        period = doc.get("period")
        if "period" not in doc:
            return None, None
        if not isinstance(period, dict):
            self.error(doc, "period", "period", Message("expected start: and end: dates"))
            return None, None
        self.keys(period, {"start", "end"}, ("start", "end"), "period")
        start, end = period.get("start"), period.get("end")
        for key, value in (("start", start), ("end", end)):
            if key in period and not _is_date(value):
                self.error(period, key, f"period.{key}", Message(EXPECTED_DATE))
            elif key in period and year and value.year != year:
                self.error(period, key, f"period.{key}", Message(
                    "%(date)s is outside %(year)s", date=value, year=year))
        if _is_date(start) and _is_date(end) and start >= end:
            self.error(period, "end", "period.end", Message(
                "the period must end after it starts"))
        if _is_date(start) and _is_date(end):
            return start, end
        return None, None

    def bands(self, mapping, key, path, default):
        if key not in mapping:
            return default
        bands = mapping[key]
        if not isinstance(bands, dict):
            self.error(mapping, key, path, Message("expected on_track: and at_risk: shares"))
            return default
        self.keys(bands, {"on_track", "at_risk"}, ("on_track", "at_risk"), path)
        values = {}
        for name in ("on_track", "at_risk"):
            value = bands.get(name)
            # Shares go to the engine rounded to 4 decimals: check what it would get.
            share = round(float(value), 4) if _is_number(value) else None
            if name in bands and (share is None or not 0 < share <= 1):
                self.error(bands, name, f"{path}.{name}", Message(
                    "expected a share of the expected pace, above 0 and at most 1"))
            elif name in bands:
                values[name] = share
        if len(values) == 2 and values["at_risk"] >= values["on_track"]:
            self.error(bands, "at_risk", f"{path}.at_risk",
                       Message("bands out of order: at_risk must be below on_track"))
        return Bands(**values) if len(values) == 2 else default

    def alerts(self, mapping, key, path, default):
        if key not in mapping:
            return default
        alerts = mapping[key]
        if not isinstance(alerts, dict):
            self.error(mapping, key, path, Message("expected at_risk: and/or off_target: lists"))
            return default
        self.keys(alerts, set(ALERT_STATUSES), (), path)
        result = []
        for status in ALERT_STATUSES:
            if status not in alerts:
                continue
            recipients = alerts[status]
            if not isinstance(recipients, list):
                self.error(alerts, status, f"{path}.{status}", Message(
                    "expected a list of roles or e-mail addresses"))
                continue
            for recipient in recipients:
                self.recipient(alerts, status, f"{path}.{status}", recipient)
            if len(set(map(str, recipients))) != len(recipients):
                self.error(alerts, status, f"{path}.{status}", Message(
                    "a recipient appears twice"))
            result.append((status, tuple(str(r) for r in recipients)))
        return tuple(result)

    def recipient(self, alerts, status, path, recipient):
        if recipient in ROLES:
            return
        if isinstance(recipient, str) and "@" in recipient:
            accounts = self.vocabulary.accounts
            if accounts and recipient.lower() not in accounts:
                self.error(alerts, status, path, Message("no active account %(address)s",
                                                         address=_cut(recipient)))
            return
        self.error(alerts, status, path, Message(
            "%(value)s: expected a role (%(roles)s) or an account's e-mail address",
            value=_short(recipient), roles=", ".join(ROLES)))

    def indicators(self, doc, year, start, end, bands, alerts):
        indicators = doc.get("indicators")
        if "indicators" not in doc:
            return []
        if not isinstance(indicators, dict) or not indicators:
            self.error(doc, "indicators", "indicators", Message(
                "expected a mapping of indicator codes"))
            return []
        if len(indicators) > MAX_INDICATORS:
            self.error(doc, "indicators", "indicators", Message(
                "more than %(max)s indicators", max=MAX_INDICATORS))
            return []
        known = self.vocabulary.indicators
        rules = []
        for code, spec in indicators.items():
            path = f"indicators.{_cut(code)}"
            if len(code) > MAX_CODE or not INDICATOR_CODE.fullmatch(code):
                self.error(indicators, code, path, Message(
                    BAD_INDICATOR_CODE, example="S1.SD1.OD2.I1", max=MAX_CODE), at_key=True)
            elif known and code not in known:
                self.error(indicators, code, path, Message(
                    "no indicator %(code)s in the plan of %(year)s", code=code, year=year))
            if not isinstance(spec, dict):
                self.error(indicators, code, path, Message(
                    "expected measure:, events:, target:, pace:"))
                continue
            rule = _IndicatorChecker(self, code, spec, path, (start, end), known.get(code)).check(
                bands, alerts)
            if rule:
                rules.append(rule)
        if len({rule.bands for rule in rules}) > MAX_BAND_SETTINGS:
            self.error(doc, "indicators", "indicators", Message(TOO_MANY_BANDS,
                                                                max=MAX_BAND_SETTINGS))
        return rules


class _IndicatorChecker:
    def __init__(self, checker, code, spec, path, period, plan_kind):
        self.checker, self.code, self.spec, self.path = checker, code, spec, path
        self.start, self.end = period
        self.plan_kind = plan_kind

    def error(self, key, message):
        self.checker.error(self.spec, key, _join(self.path, key), message)

    def check(self, bands, alerts):
        spec = self.spec
        self.checker.keys(spec, INDICATOR_KEYS, ("measure", "events"), self.path)
        measure = spec.get("measure")
        if "measure" in spec and measure not in MEASURES:
            self.error("measure", Message(EXPECTED_ONE_OF, choices=", ".join(MEASURES)))
            return None
        events = self.events()
        target = self.target(measure)
        field_name = self.field(measure)
        pace, due, quarters = self.pace(measure)
        own_bands = self.checker.bands(spec, "bands", _join(self.path, "bands"), bands)
        own_alerts = self.checker.alerts(spec, "alerts", _join(self.path, "alerts"), alerts)
        note = spec.get("note")
        if "note" in spec and not isinstance(note, str):
            self.error("note", Message("expected a note as text"))
        elif "note" in spec and len(note) > MAX_TEXT:
            self.error("note", Message(TEXT_TOO_LONG, max=MAX_TEXT))
        if None in (measure, events, target, pace):
            return None
        return IndicatorRule(self.code, measure, events, target, pace, field_name, due, quarters,
                             own_bands, own_alerts)

    def events(self):
        events = self.spec.get("events")
        if "events" not in self.spec:
            return None
        if isinstance(events, str):
            events = [events]
        if not isinstance(events, list) or not events or not all(isinstance(e, str)
                                                                 for e in events):
            self.error("events", Message("expected a list of activity type codes"))
            return None
        known = self.checker.vocabulary.event_types
        for event in events:
            if len(event) > MAX_CODE or not EVENT_CODE.fullmatch(event):
                self.error("events", Message(BAD_EVENT_CODE, value=_short(event),
                                             example="awareness_session"))
            elif known and event not in known:
                self.error("events", Message("no activity type %(code)s", code=repr(event)))
        if len(set(events)) != len(events):
            self.error("events", Message("an activity type appears twice"))
        return tuple(events)

    def target(self, measure):
        target = self.spec.get("target")
        if measure == "milestone":
            if "target" in self.spec and target is not True:
                self.error("target", Message(
                    "a milestone's target is yes (true), or leave it out"))
            if self.plan_kind == "at_least":
                self.error("measure", Message("the plan counts this indicator (at least N): use "
                                              "count or sum"))
            return 1
        if "target" not in self.spec:
            self.error(None, Message(MISSING_KEY, key="'target'"))
            return None
        if not _is_int(target) or target < 1:
            self.error("target", Message("expected a whole number of at least 1"))
            return None
        if target > MAX_TARGET:
            self.error("target", Message(TARGET_RANGE, max=f"{MAX_TARGET:,}"))
            return None
        if self.plan_kind == "yes_no":
            self.error("measure", Message(
                "the plan asks yes or no for this indicator: use milestone"))
        return target

    def field(self, measure):
        value = self.spec.get("field")
        if measure == "sum":
            if value not in SUM_FIELDS:
                self.error("field" if "field" in self.spec else None,
                           Message("a sum needs field: one of %(choices)s",
                                   choices=", ".join(SUM_FIELDS)))
            return value
        if "field" in self.spec:
            self.error("field", Message("only a sum takes a field"))
        return None

    def pace(self, measure):
        spec = self.spec
        pace = spec.get("pace", "due" if measure == "milestone" else "even")
        if pace not in PACES:
            self.error("pace", Message(EXPECTED_ONE_OF, choices=", ".join(PACES)))
            return None, None, None
        if measure == "milestone" and pace != "due":
            self.error("pace", Message("a milestone is reached by a date: use pace: due"))
        due = self.due(pace)
        quarters = self.quarters(pace)
        return pace, due, quarters

    def due(self, pace):
        spec = self.spec
        if pace != "due":
            if "due" in spec:
                self.error("due", Message("only pace: due takes a due date"))
            return None
        due = spec.get("due", self.end)
        if not _is_date(due):
            self.error("due", Message(EXPECTED_DATE))
            return None
        if self.start and self.end and not self.start <= due <= self.end:
            self.error("due", Message("%(date)s is outside the period %(start)s to %(end)s",
                                      date=due, start=self.start, end=self.end))
        return due

    def quarters(self, pace):
        spec = self.spec
        if pace != "quarterly":
            if "quarters" in spec:
                self.error("quarters", Message("only pace: quarterly takes quarters"))
            return None
        quarters = spec.get("quarters")
        if not isinstance(quarters, list) or len(quarters) != 4 or not all(
                _is_number(q) and 0 <= round(float(q), 4) <= 1 for q in quarters):
            self.error("quarters" if "quarters" in spec else None,
                       Message("expected quarters: four shares from 0 to 1, as %(example)s",
                               example="[0.25, 0.5, 0.75, 1]"))
            return None
        quarters = [round(float(q), 4) for q in quarters]
        if any(b < a for a, b in zip(quarters, quarters[1:], strict=False)) or quarters[-1] != 1:
            self.error("quarters", Message("the shares must grow quarter by quarter and end at 1"))
            return None
        return tuple(quarters)


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value):
    """A finite int or float of a sane size (no bool, no NaN or infinity, no huge int)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return abs(value) <= MAX_TARGET if isinstance(value, int) else abs(value) < float("inf")


def _is_date(value):
    """A calendar date; a timestamp (a datetime, which is also a date) is not one."""
    return isinstance(value, date) and not isinstance(value, datetime)


def _cut(text, limit=60):
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _short(value):
    """A value for a message: its repr, cut short."""
    return _cut(repr(value))


def _join(path, key):
    return f"{path}.{key}" if key is not None and path else (key or path)
