"""The indicator chart: values on its y axis, a legend that names every line, and its values
as a table (the text alternative), at the grain the reader may see."""

import re
from datetime import date

import pytest

from helpers import make_event
from vscapp.targets.progress import y_ticks
from vscapp.vocabulary import Role

CONSULTATIONS = "S1.SD1.OD2.I1"


@pytest.fixture
def consultations(rules_2023, make_user):
    officer = make_user(Role.OFFICER)
    for day in (date(2023, 2, 14), date(2023, 3, 7), date(2023, 3, 15)):
        make_event("individual_consultation", officer, on=day)
    return officer


def indicator_page(client, as_of="2023-04-10"):
    response = client.get(f"/targets/2023/{CONSULTATIONS}?as_of={as_of}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize(("y_max", "ticks"), [
    (1, [0, 1]), (5, [0, 1, 2, 3, 4, 5]), (6, [0, 2, 4, 6]), (19, [0, 5, 10, 15]),
    (250, [0, 50, 100, 150, 200, 250]), (1234, [0, 500, 1000])])
def test_y_axis_values_are_round_and_few(y_max, ticks):
    assert y_ticks(y_max) == ticks


def test_the_chart_has_y_values_a_full_legend_and_its_values_as_a_table(client, as_role,
                                                                       consultations):
    as_role(Role.OFFICER)
    html = indicator_page(client)
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    y_values = re.findall(r'class="axis y-value"[^>]*>([^<]+)</text>', svg)
    assert y_values[0] == "0" and len(y_values) >= 2
    target = re.search(r'class="axis target-label">[^<]*?(\d+)</text>', svg).group(1)
    caption = re.search(r"<figcaption>(.*?)</figcaption>", html, re.S).group(1)
    assert f"({target})" in caption and "evaluation date" in caption
    assert "Apr 10, 2023" in caption
    table = re.search(r'<table class="data" id="chart-values">(.*?)</table>', html, re.S).group(1)
    rows = re.findall(r"<tr><td>([^<]+)</td><td class=\"num\">(\d+)</td>", table)
    assert rows == [("Jan 31, 2023", "0"), ("Feb 28, 2023", "1"), ("Mar 31, 2023", "3"),
                    ("Apr 10, 2023", "3")]


def test_the_liaisons_table_stops_at_the_month_cut_off(client, as_role, consultations):
    as_role(Role.LIAISON)
    html = indicator_page(client, "2023-03-20")
    table = re.search(r'<table class="data" id="chart-values">(.*?)</table>', html, re.S).group(1)
    assert re.findall(r"<tr><td>([^<]+)</td><td class=\"num\">(\d+)</td>", table) == [
        ("Jan 31, 2023", "0"), ("Feb 28, 2023", "1")]
