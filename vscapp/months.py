"""Whole calendar months: the grain at which readers who may not read a type's records see
its figures. No Flask here: plain date arithmetic, whatever the source of the daily figures."""

import calendar
from datetime import timedelta


def month_end(day):
    """The last day of `day`'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def cutoff(day):
    """The last day of the last whole month up to `day`: `day` itself when it ends a month,
    else the last day of the month before."""
    return day if day == month_end(day) else day.replace(day=1) - timedelta(days=1)


def month_ends(start, end):
    """Every month's last day from `start` to `end`, both included."""
    ends, day = [], month_end(start)
    while day <= end:
        ends.append(day)
        day = month_end(day + timedelta(days=1))
    return ends


def by_month(daily):
    """{date: amount} summed into {last day of its month: amount}."""
    totals = {}
    for day, amount in daily.items():
        totals[month_end(day)] = totals.get(month_end(day), 0) + amount
    return totals


def next_month(day):
    """The first day of the month after `day`'s."""
    return month_end(day) + timedelta(days=1)
