"""GET /healthz: for the load balancer and monitoring, no sign-in, no data."""

import pytest

from fixtures.database import make_app
from helpers import free_port, login
from vscapp.extensions import db


def test_answers_ok_without_sign_in_while_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok\n"
    assert response.mimetype == "text/plain"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers  # no session started for the prober


def test_says_nothing_more_to_a_signed_in_user(client, make_user):
    login(client, make_user("coordinator"))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok\n"


@pytest.mark.parametrize("url", [
    "sqlite:////nonexistent-folder/vsc.db",  # the file cannot be opened
    "postgresql://postgres@127.0.0.1:{port}/vsc",  # nobody listens on that port
], ids=["sqlite", "postgresql"])
def test_answers_503_when_the_database_does_not(url, caplog):
    app = make_app(url.format(port=free_port()))
    with app.app_context():
        response = app.test_client().get("/healthz")
        db.engine.dispose()
    assert response.status_code == 503
    assert response.get_data(as_text=True) == "database unavailable\n"
    assert "health check: the database does not answer" in caplog.text
