"""One bad rules version cannot take the app down: when evaluating the active rules fails (here
injected: the engine raises), the pages say which version and show the plan, the rules pages and
the rollback stay usable, and the alert run says so, exits non-zero and sends nothing."""

from datetime import date

import pytest
from sqlalchemy import func, select

from helpers import RULES_2023, login, make_event
from vscapp.alerts.models import Alert, OutboxMessage
from vscapp.extensions import db
from vscapp.targets import services

MESSAGE = "Version 2 of the 2023 rules cannot be evaluated, so no status can be shown."
CODE = "S1.SD1.OD2.I1"


@pytest.fixture
def broken_version(rules_2023, monkeypatch, make_user):
    """Version 2 of the 2023 rules, active, whose every evaluation fails in the engine;
    version 1 (the shipped rules) still evaluates."""
    make_event("individual_consultation", make_user("officer"), on=date(2023, 3, 7))
    text = RULES_2023.read_text(encoding="utf-8") + "\n# version 2: the engine fails on it\n"
    version = services.save_version(text, "broken.yaml")
    services.activate(version, "A version the engine cannot evaluate")
    db.session.commit()
    bad = services.compiled(version.content)
    engine = services.evaluate

    def failing(ruleset, totals, as_of):
        if ruleset is bad:
            raise RuntimeError("the engine fell over")
        return engine(ruleset, totals, as_of)

    monkeypatch.setattr(services, "evaluate", failing)
    return version


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["coordinator", "officer", "liaison"])
def test_every_role_reads_which_version_fails_and_the_plan(client, broken_version, make_user,
                                                           role):
    login(client, make_user(role))
    home = page(client, "/?as_of=2023-06-30")
    assert MESSAGE in home and "Plan 2023" in home and 'href="/plans/2023"' in home
    assert MESSAGE in page(client, "/targets/2023?as_of=2023-06-30")
    indicator = page(client, f"/targets/2023/{CODE}", 503)
    assert MESSAGE in indicator and 'href="/plans/2023"' in indicator
    assert page(client, "/plans/2023").count("S1.SD1") > 0
    rollback = 'href="/rules/2023"'
    if role == "coordinator":
        assert rollback in home
        assert MESSAGE in page(client, "/report/2023?as_of=2023-06-30", 503)
    else:
        assert rollback not in home
        assert "Tell the coordinator" in home


def test_the_coordinator_rolls_back_in_the_interface(client, broken_version, rules_2023,
                                                     make_user):
    login(client, make_user("coordinator"))
    assert "Rules" in page(client, "/rules/")
    assert "version 2" in page(client, "/rules/2023").lower()
    broken = page(client, f"/rules/2023/versions/{broken_version.id}")
    assert "This version cannot be evaluated" in broken
    earlier = page(client, f"/rules/2023/versions/{rules_2023.id}?as_of=2023-06-30")
    assert MESSAGE in earlier  # the active one fails; this one is previewed
    assert f'data-code="{CODE}"' in earlier
    response = client.post(f"/rules/2023/versions/{rules_2023.id}/activate",
                           data={"reason": "Back to the version that works"})
    assert response.status_code == 302
    home = page(client, "/?as_of=2023-06-30")
    assert MESSAGE not in home and f'data-code="{CODE}"' in home
    assert MESSAGE not in page(client, f"/targets/2023/{CODE}?as_of=2023-06-30")


def test_the_alert_run_says_so_exits_non_zero_and_sends_nothing(runner, broken_version,
                                                                smtp):
    result = runner.invoke(args=["alerts", "run", "--as-of", "2023-06-30"])
    assert result.exit_code != 0
    assert "version 2 of the 2023 rules cannot be evaluated" in result.output
    assert "no message sent" in result.output
    assert smtp.messages == []
    assert db.session.scalar(select(func.count(Alert.id))) == 0
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_vsc_evaluate_says_which_version_fails(runner, broken_version):
    result = runner.invoke(args=["evaluate", "--year", "2023", "--as-of", "2023-06-30"])
    assert result.exit_code == 1
    assert "version 2 of the 2023 rules cannot be evaluated" in result.output
