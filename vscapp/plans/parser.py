"""Reads a yearly plan document (markdown converted from the ministry's PDF, NL or FR).

The conversion is messy: heading levels and bold markup vary, `$\\geq$` stands for `>=`, tables
are tab-separated with rows that continue the objective above, stray numbers stand alone.
`parse_plan(text)` returns a ParsedPlan or raises PlanFormatError listing every line it could not
understand and what it expected there. No input makes it raise anything else: control
characters, numbers and texts beyond what the plan's tables store, and dates that do not exist
are errors on their line; every pattern runs in linear time on a line of any length.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from vscapp.documents import MAX_TARGET, MAX_YEAR, MIN_YEAR, DocumentError, Message, check_text
from vscapp.documents import decode as decode_text
from vscapp.plans.models import IndicatorKind
from vscapp.vocabulary import CONTENT_LANGUAGES, N_

MAX_BYTES = 512 * 1024
MAX_NUMBER = 999  # of a sector, objective: codes such as S999.SD999.OD999.I1 stay short
MAX_NAME = 120  # a municipality's or a pole's name, as the database stores it

# One template per kind of error, filled in with values: errors are documents.Message, English
# as strings, in the reader's language on a page.
TOO_LARGE = N_("the document is larger than %(max)s KiB")
AT_COLUMN = N_("column %(column)s: %(message)s")
NUMBER_RANGE = N_("%(what)s %(value)s: expected a number from 1 to %(max)s")
YEAR_RANGE = N_("the year %(year)s is outside %(min)s to %(max)s")
NO_SUCH_DATE = N_("the date %(date)s does not exist")
NAME_TOO_LONG = N_("%(what)s longer than %(max)s characters")
TARGET_TOO_LARGE = N_("indicator %(text)s: a target of at least %(target)s is more than %(max)s")
ACTIVITY_SECTOR = Message(N_("activity sector"))
GENERAL_OBJECTIVE = Message(N_("general objective"))
STRATEGIC_OBJECTIVE = Message(N_("strategic objective"))
OPERATIONAL_OBJECTIVE = Message(N_("operational objective"))


class PlanFormatError(ValueError):
    """The document is not a plan this parser understands; `errors` are (line, message)."""

    def __init__(self, errors):
        self.errors = sorted(errors)
        super().__init__("\n".join(f"line {line}: {message}" for line, message in self.errors))


@dataclass
class ParsedIndicator:
    line: int
    text: str
    kind: IndicatorKind
    target: int | None


@dataclass
class ParsedResult:
    line: int
    text: str
    indicators: list[ParsedIndicator] = field(default_factory=list)


@dataclass
class ParsedOperational:
    line: int
    number: int
    text: str
    results: list[ParsedResult] = field(default_factory=list)


@dataclass
class ParsedStrategic:
    line: int
    number: int
    domain: str = ""
    pole: str | None = None
    objectives: list[ParsedOperational] = field(default_factory=list)


@dataclass
class ParsedGeneral:
    line: int
    number: int
    text: str = ""
    strategics: list[ParsedStrategic] = field(default_factory=list)


@dataclass
class ParsedSector:
    line: int
    number: int
    title: str = ""
    generals: list[ParsedGeneral] = field(default_factory=list)


@dataclass
class ParsedPlan:
    language: str
    year: int | None = None
    municipality: str | None = None
    decree: str | None = None
    decree_date: date | None = None
    sectors: list[ParsedSector] = field(default_factory=list)


MONTHS = {
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
}

VOCABULARY = {
    "nl": {
        "title": r"PROJECTPLAN\s+(\d{4})",
        "municipality": r"STAD\s*/\s*GEMEENTE\s+(.+)$",
        "decree": r"^KB\s+van\b",
        "sector": r"^Activiteitssector\s+(\d+)\s*:?\s*(.*)$",
        "general": r"^Algemene doelstelling\s+(\d+)\s*-\s*Activiteitssector\s+(\d+)\s*:?\s*(.*)$",
        "strategic": r"^(?:\d+\s*(?:\.\s*)?)?Strategische doelstelling\s+(\d+)\s*-\s*Domein\s*:?"
        r"\s*(.*)$",
        "header": r"^Operationele doelstellingen?\b",
        "yes_no": r"Ja\s*/\s*Nee",
        "at_least": r"(?:>\s*(?:/\s*)?=|=\s*>|≥)\s*(?:tot\s+)?(\d+)\s*(?:/|per)\s*jaar",
        "names": Message(N_("%(headings)s, or a table of %(table)s"),
                         headings="'Activiteitssector', 'Algemene doelstelling', "
                         "'Strategische doelstelling', 'POLE'",
                         table="'Operationele doelstellingen'"),
        "target": Message(N_("%(yes_no)s or %(at_least)s"), yes_no="'Ja/Nee'",
                          at_least="'>/=tot N/jaar'"),
    },
    "fr": {
        "title": r"PLAN\s+DE\s+PROJET\s+(\d{4})",
        "municipality": r"VILLE\s*/\s*COMMUNE\s+(?:DE\s+|D['’]\s*)?(.+)$",
        "decree": r"^AR\s+du\b",
        "sector": r"^Secteur\s+d['’]\s*activit[ée]s?\s+(\d+)\s*:?\s*(.*)$",
        "general": r"^Objectif\s+g[ée]n[ée]ral\s+(\d+)\s*-\s*Secteur\s+d['’]\s*activit[ée]s?\s+"
        r"(\d+)\s*:?\s*(.*)$",
        "strategic": r"^(?:\d+\s*(?:\.\s*)?)?Objectif\s+strat[ée]gique\s+(\d+)\s*-\s*Domaine\s*:?"
        r"\s*(.*)$",
        "header": r"^Objectifs?\s+op[ée]rationnels?\b",
        "yes_no": r"Oui\s*/\s*Non",
        "at_least": r"(?:>\s*(?:/\s*)?=|=\s*>|≥)\s*(?:[àa]\s+)?(\d+)\s*(?:/|par)\s*an(?:née)?",
        "names": Message(N_("%(headings)s, or a table of %(table)s"), headings="'Secteur "
                         "d'activité', 'Objectif général', 'Objectif stratégique', 'POLE'",
                         table="'Objectifs opérationnels'"),
        "target": Message(N_("%(yes_no)s or %(at_least)s"), yes_no="'Oui/Non'",
                          at_least="'>/= à N/an'"),
    },
}

POLE = re.compile(r"^P[OÔ]LE\s+(\S.*)$", re.IGNORECASE)
STRAY_NUMBER = re.compile(r"^\d+\s*[.)]?$")
NUMBERED = re.compile(r"^(\d+)\s*[.)]\s*(.*)$")
BULLET = re.compile(r"^[-•–*]\s*")


def clean(line):
    """One line without its markdown: headings, bold, HTML tags, links, TeX symbols."""
    line = line.replace("$\\geq$", "≥").replace("\\geq", "≥").replace("&gt;", ">")
    line = re.sub(r"</?[a-zA-Z][^<>]*>", "", line)
    line = re.sub(r"\[([^\[\]]*)\]\([^()]*\)", r"\1", line)
    line = re.sub(r"^\s*#+\s*", "", line)
    line = line.replace("**", "").replace("__", "")
    return line.strip().strip("*_").strip()


def detect_language(lines):
    """'nl' or 'fr', from which vocabulary's sector heading the document uses."""
    for language in CONTENT_LANGUAGES:
        pattern = re.compile(VOCABULARY[language]["sector"], re.IGNORECASE)
        if any(pattern.match(clean(line)) for line in lines):
            return language
    raise PlanFormatError([(1, Message(
        "no activity sector found: expected a heading %(nl)s (Dutch) or %(fr)s (French)",
        nl="'Activiteitssector 1'", fr="'Secteur d'activité 1'"))])


def paragraphs(lines):
    """Blocks of non-blank lines as (first line number, [(number, raw line)])."""
    block = []
    for number, raw in enumerate(lines, start=1):
        if raw.strip():
            block.append((number, raw))
        elif block:
            yield block
            block = []
    if block:
        yield block


def decode(raw):
    """The text of a plan document read as bytes; PlanFormatError where it is not UTF-8."""
    try:
        return decode_text(raw)
    except DocumentError as exc:
        raise PlanFormatError([(exc.line, Message(AT_COLUMN, column=exc.column,
                                                  message=exc.message))]) from None


def parse_plan(text):
    """Parse a plan document; raise PlanFormatError naming every line it cannot read."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise PlanFormatError([(1, Message(TOO_LARGE, max=MAX_BYTES // 1024))])
    try:
        check_text(text)
    except DocumentError as exc:
        raise PlanFormatError([(exc.line, Message(AT_COLUMN, column=exc.column,
                                                  message=exc.message))]) from None
    lines = text.splitlines()
    return _Parser(detect_language(lines)).parse(lines)


class _Parser:
    def __init__(self, language):
        self.language = language
        self.words = {
            key: re.compile(value, re.IGNORECASE) if key not in ("names", "target") else value
            for key, value in VOCABULARY[language].items()
        }
        self.plan = ParsedPlan(language=language)
        self.errors = []
        self.sector = self.general = self.strategic = None
        self.awaiting = None  # the object whose text the next paragraph gives
        self.in_table = False
        self.year_refused = False

    def parse(self, lines):
        for block in paragraphs(lines):
            self.paragraph(block)
        self.finish()
        if self.errors:
            raise PlanFormatError(self.errors)
        return self.plan

    def error(self, line, message):
        self.errors.append((line, message))

    def number(self, line, digits, what, maximum=MAX_NUMBER):
        """The number in `digits` if it is 1 to `maximum`; else an error, and None."""
        value = int(digits) if len(digits.lstrip("0")) <= len(str(maximum)) else None
        if value is None or not 1 <= value <= maximum:
            self.error(line, Message(NUMBER_RANGE, what=what, value=_cut(digits, 20),
                                     max=maximum))
            return None
        return value

    def paragraph(self, block):
        first_number, first_raw = block[0]
        first = clean(first_raw)
        rest = " ".join(clean(raw) for _, raw in block[1:]).strip()
        if self.in_table and "\t" in first_raw:
            return self.table_rows(block)
        self.in_table = False
        if self.heading(first_number, first, rest):
            return
        if self.words["header"].match(first) and "\t" in first_raw:
            return self.table(block)
        text = " ".join(clean(raw) for _, raw in block).strip()
        if self.awaiting is not None:
            self.give_text(self.awaiting, text)
            return
        if self.sector is None or STRAY_NUMBER.match(text):
            return self.preamble(first_number, text)
        self.error(first_number, Message("unexpected text %(text)s: expected %(names)s",
                                         text=_quote(text), names=self.words["names"]))

    def heading(self, line, first, rest):
        for kind in ("sector", "general", "strategic"):
            match = self.words[kind].match(first)
            if match:
                getattr(self, f"open_{kind}")(line, match, rest)
                return True
        match = POLE.match(first)
        if match:
            self.open_pole(line, match.group(1))
            return True
        return False

    def preamble(self, line, text):
        """Title, municipality and decree; anything else before the first sector is ignored."""
        title = self.words["title"].search(text)
        if title and self.plan.year is None and not self.year_refused:
            year = int(title.group(1))
            if MIN_YEAR <= year <= MAX_YEAR:
                self.plan.year = year
            else:
                self.year_refused = True
                self.error(line, Message(YEAR_RANGE, year=title.group(1), min=MIN_YEAR,
                                         max=MAX_YEAR))
        if (match := self.words["municipality"].search(text)) and self.plan.municipality is None:
            municipality = re.sub(r"-\s+", "-", match.group(1)).strip()
            if len(municipality) > MAX_NAME:
                self.error(line, Message(NAME_TOO_LONG, what=Message(
                    N_("the municipality's name")), max=MAX_NAME))
            else:
                self.plan.municipality = municipality
        if self.words["decree"].match(text) and self.plan.decree is None:
            self.plan.decree = text
            self.plan.decree_date = self.find_date(line, text)

    def find_date(self, line, text):
        months = "|".join(MONTHS[self.language])
        match = re.search(rf"(\d{{1,2}})(?:er|e)?\s+({months})\s+(\d{{4}})", text, re.IGNORECASE)
        if not match:
            return None
        month = MONTHS[self.language].index(match.group(2).lower()) + 1
        try:
            return date(int(match.group(3)), month, int(match.group(1)))
        except ValueError:
            self.error(line, Message(NO_SUCH_DATE, date=match.group(0)))
            return None

    def give_text(self, target, text):
        if isinstance(target, ParsedSector):
            target.title = text
        elif isinstance(target, ParsedGeneral):
            target.text = text
        else:
            target.domain = text
        self.awaiting = None

    def labelled(self, obj, same_line, rest):
        text = " ".join(part for part in (same_line.strip(" :"), rest) if part)
        if text:
            self.give_text(obj, text)
        else:
            self.awaiting = obj

    def open_sector(self, line, match, rest):
        number = self.number(line, match.group(1), ACTIVITY_SECTOR)
        if number is None:
            return
        if any(s.number == number for s in self.plan.sectors):
            self.error(line, Message("activity sector %(number)s appears twice", number=number))
        self.sector = ParsedSector(line, number)
        self.general = self.strategic = None
        self.plan.sectors.append(self.sector)
        self.labelled(self.sector, match.group(2), rest)

    def open_general(self, line, match, rest):
        number = self.number(line, match.group(1), GENERAL_OBJECTIVE)
        sector_number = self.number(line, match.group(2), ACTIVITY_SECTOR)
        if number is None or sector_number is None:
            return
        if self.sector is None:
            self.error(line, Message("general objective names sector %(named)s but follows no "
                                     "sector heading", named=sector_number))
            return
        if self.sector.number != sector_number:
            self.error(line, Message("general objective names sector %(named)s but follows "
                                     "sector %(sector)s", named=sector_number,
                                     sector=self.sector.number))
            return
        self.general = ParsedGeneral(line, number)
        self.strategic = None
        self.sector.generals.append(self.general)
        self.labelled(self.general, match.group(3), rest)

    def open_strategic(self, line, match, rest):
        if self.general is None:
            self.error(line, Message("strategic objective before any general objective heading"))
            return
        number = self.number(line, match.group(1), STRATEGIC_OBJECTIVE)
        if number is None:
            return
        siblings = [s for g in self.sector.generals for s in g.strategics]
        if any(s.number == number for s in siblings):
            self.error(line, Message("strategic objective %(number)s appears twice in sector "
                                     "%(sector)s", number=number, sector=self.sector.number))
        self.strategic = ParsedStrategic(line, number)
        self.general.strategics.append(self.strategic)
        self.labelled(self.strategic, match.group(2), rest)

    def open_pole(self, line, name):
        if self.strategic is None:
            self.error(line, Message("POLE %(name)s before any strategic objective heading",
                                     name=_quote(name)))
        elif len(name.strip()) > MAX_NAME:
            self.error(line, Message(NAME_TOO_LONG, what=Message(N_("the pole's name")),
                                     max=MAX_NAME))
        else:
            self.strategic.pole = name.strip()

    def table(self, block):
        if self.strategic is None:
            self.error(block[0][0], Message("table of operational objectives before any "
                                            "strategic objective heading"))
            return
        self.in_table = True
        self.table_rows(block[1:])

    def table_rows(self, block):
        for line, raw in block:
            self.row(line, [clean(cell) for cell in raw.split("\t")])

    def row(self, line, cells):
        if len(cells) > 3 and any(cells[3:]):
            self.error(line, Message("%(n)s columns: expected 3 (objective, expected result, "
                                     "indicator) separated by tabs", n=len(cells)))
            return
        objective, result, indicator = (cells + ["", "", ""])[:3]
        if objective and not self.row_objective(line, objective, bool(result or indicator)):
            return
        objectives = self.strategic.objectives
        if (result or indicator) and not objectives:
            self.error(line, Message("expected result or indicator with no operational "
                                     "objective above it"))
            return
        if result:
            objectives[-1].results.append(ParsedResult(line, BULLET.sub("", result)))
        if indicator:
            self.row_indicator(line, objectives[-1], BULLET.sub("", indicator))

    def row_objective(self, line, cell, has_more):
        """A numbered objective opens a new one; an unnumbered cell continues the one above."""
        match = NUMBERED.match(cell)
        objectives = self.strategic.objectives
        if match:
            text = match.group(2).strip()
            if not text and not has_more:
                return False  # an empty numbered row, as in sector 2 before it is filled in
            number = self.number(line, match.group(1), OPERATIONAL_OBJECTIVE)
            if number is None:
                return False
            if any(o.number == number for o in objectives):
                self.error(line, Message("operational objective %(number)s appears twice in "
                                         "strategic objective %(strategic)s", number=number,
                                         strategic=self.strategic.number))
                return False
            objectives.append(ParsedOperational(line, number, text))
            return True
        if objectives and not has_more:
            objectives[-1].text = f"{objectives[-1].text} {cell}".strip()
            return False
        self.error(line, Message("operational objective %(text)s: expected it to start with its "
                                 "number, as in %(example)s", text=_quote(cell),
                                 example="'1. ...'"))
        return False

    def row_indicator(self, line, objective, text):
        if not objective.results:
            objective.results.append(ParsedResult(line, ""))
        parsed = self.indicator(line, text)
        if parsed:
            objective.results[-1].indicators.append(parsed)

    def indicator(self, line, text):
        # The look-behind starts [:\s]* only at the start of a run of separators, and
        # \s*(?:\.\s*)?$ cannot split a run of spaces two ways: no quadratic backtracking.
        yes_no = re.search(rf"(?<![:\s])[:\s]*{self.words['yes_no'].pattern}\s*(?:\.\s*)?$",
                           text, re.I)
        if yes_no:
            return ParsedIndicator(line, text[: yes_no.start()].strip(), IndicatorKind.YES_NO, None)
        at_least = re.search(
            rf"(?<![:\s])[:\s]*{self.words['at_least'].pattern}\s*(?:\.\s*)?$", text, re.I)
        if at_least:
            digits = at_least.group(1)
            target = int(digits) if len(digits.lstrip("0")) <= len(str(MAX_TARGET)) else None
            if target is not None and target < 1:
                self.error(line, Message("indicator %(text)s: a target of at least %(target)s "
                                         "asks for nothing; expected 1 or more",
                                         text=_quote(text), target=target))
                return None
            if target is None or target > MAX_TARGET:
                self.error(line, Message(TARGET_TOO_LARGE, text=_quote(text),
                                         target=_cut(digits, 20), max=f"{MAX_TARGET:,}"))
                return None
            return ParsedIndicator(line, text[: at_least.start()].strip(), IndicatorKind.AT_LEAST,
                                   target)
        self.error(line, Message("indicator %(text)s has no target: expected %(target)s at its "
                                 "end", text=_quote(text), target=self.words["target"]))
        return None

    def finish(self):
        if self.plan.year is None:
            self.error(1, Message("no year found: expected a title such as %(title)s",
                                  title="'PROJECTPLAN 2023'" if self.language == "nl" else
                                  "'PLAN DE PROJET 2023'"))
        for sector in self.plan.sectors:
            for general in sector.generals:
                if not general.text:
                    self.error(general.line, Message("general objective without its text"))
                for strategic in general.strategics:
                    if not strategic.domain:
                        self.error(strategic.line,
                                   Message("strategic objective without its domain text"))


def _cut(text, limit):
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quote(text, limit=60):
    return repr(_cut(text, limit))
