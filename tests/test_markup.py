"""The markup that assistive technology reads: field ARIA, required marks, ids, the menu."""

import re

from vscapp.vocabulary import Role


def test_sign_in_fields_have_no_none_attribute_and_autocomplete(client):
    html = client.get("/login").get_data(as_text=True)
    assert '="None"' not in html
    assert "aria-invalid" not in html
    assert re.search(r'<input[^>]*autocomplete="username"[^>]*id="email"', html)
    assert re.search(r'<input[^>]*autocomplete="current-password"[^>]*id="password"', html)
    assert html.count("(required)") == 2
    assert '<a class="skip" href="#content">' in html and '<main id="content"' in html


def test_errors_are_tied_to_their_field(client):
    html = client.post("/login", data={"email": "", "password": ""}).get_data(as_text=True)
    field = re.search(r'<input[^>]*id="email"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field and 'aria-describedby="email-error-1"' in field
    assert re.search(r'<p class="error" id="email-error-1">', html)


def test_every_id_is_unique_on_a_page_of_several_forms(client, as_role, rules_2023):
    from helpers import make_event

    user = as_role(Role.COORDINATOR)
    make_event("project", user)
    for path in ("/events/1", "/report/2023", "/alerts/"):
        ids = re.findall(r'\sid="([^"]+)"', client.get(path).get_data(as_text=True))
        assert len(ids) == len(set(ids)), path


def test_the_menu_marks_the_current_page(client, as_role):
    as_role(Role.COORDINATOR)
    html = client.get("/events/").get_data(as_text=True)
    current = re.findall(r'<a href="([^"]+)" aria-current="page">', html)
    assert current == ["/events/", "/events/"]  # the wide menu and the phone's disclosure
    assert '<details class="menu-phone">' in html
