"""How much of a target is expected by a date: the pace of each indicator."""

from datetime import date


def expected_share(rule, start, end, as_of):
    """The share (0 to 1) of the target due by `as_of` under the rule's pace."""
    if as_of < start:
        return 0.0
    if rule.pace == "due":
        return 1.0 if as_of >= rule.due else 0.0
    if rule.pace == "quarterly":
        reached = [share for ends, share in zip(quarter_ends(start, end), rule.quarters,
                                                strict=True) if as_of >= ends]
        return reached[-1] if reached else 0.0
    elapsed = (min(as_of, end) - start).days + 1
    return elapsed / ((end - start).days + 1)


def quarter_ends(start, end):
    """The last day of each quarter of the period; the fourth is the period's end."""
    ends = [date(start.year, month, 30 if month in (6, 9) else 31) for month in (3, 6, 9)]
    return [*ends, end]


def days_left(end, as_of):
    return max(0, (end - as_of).days)
