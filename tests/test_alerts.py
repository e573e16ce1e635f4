"""Alert e-mails: once per change, nothing lost when SMTP is down, the right people in their
language, weekly digests, the alerts page and the account settings."""

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from helpers import login, make_event
from vscapp.alerts import services
from vscapp.alerts.models import Alert, IndicatorState, OutboxMessage
from vscapp.extensions import db

MONTH_ENDS = [date(2023, m + 1, 1) - timedelta(days=1) for m in range(1, 12)] + [
    date(2023, 12, 31)]
COORD, LIAISON = "coordinator@demo.vsc", "liaison@demo.vsc"
OFF = "buiten doel"  # the demo accounts read Dutch

# On the demo data, walking through 2023 month by month, these are the e-mails, once each.
EXPECTED_2023 = [
    (COORD, "S1.SD3.OD2.I1", OFF), (COORD, "S1.SD3.OD3.I2", OFF), (COORD, "S1.SD4.OD2.I1", OFF),
    (COORD, "S1.SD4.OD3.I1", OFF), (LIAISON, "S1.SD4.OD2.I1", OFF),
]


def run(runner, as_of):
    return runner.invoke(args=["alerts", "run", "--as-of", as_of.isoformat()])


def received(inbox):
    """(recipient, indicator code, status words) of each message, sorted."""
    return sorted((m["To"], m["Subject"].split()[1], m["Subject"].split(":")[0].split(" ", 2)[2])
                  for m in inbox.messages)


def test_moving_through_2023_sends_each_alert_once(runner, demo_2023, smtp):
    for day in MONTH_ENDS:
        for _ in range(2):  # twice a day, as a careless cron would: nothing more is sent
            result = run(runner, day)
            assert result.exit_code == 0, result.output
    assert received(smtp) == EXPECTED_2023
    raised = dict(db.session.execute(select(Alert.code, Alert.as_of)).all())
    assert raised == {"S1.SD4.OD3.I1": date(2023, 3, 31), "S1.SD4.OD2.I1": date(2023, 9, 30),
                      "S1.SD3.OD2.I1": date(2023, 12, 31), "S1.SD3.OD3.I2": date(2023, 12, 31)}


def test_coming_back_on_track_tells_the_same_people(runner, rules_2023, smtp, make_user):
    coordinator = make_user("coordinator", email="coord@molenbeek.brussels")
    liaison = make_user("liaison", email="liaison@molenbeek.brussels")
    make_user("officer", email="officer@molenbeek.brussels")  # the rules do not name officers
    assert run(runner, date(2023, 6, 30)).exit_code == 0
    police = [m for m in smtp.messages if "S1.SD4.OD2.I1" in m["Subject"]]
    assert sorted(m["To"] for m in police) == [coordinator.email, liaison.email]
    assert all("off target" in m["Subject"] for m in police)
    for day in (1, 2, 3):
        make_event("police_contact", liaison, on=date(2023, 6, day))
    smtp.messages.clear()
    assert run(runner, date(2023, 7, 1)).exit_code == 0
    back = [m for m in smtp.messages if "S1.SD4.OD2.I1" in m["Subject"]]
    assert sorted(m["To"] for m in back) == [coordinator.email, liaison.email]
    assert all(" met: " in m["Subject"] for m in back)
    (alert,) = db.session.scalars(select(Alert).where(Alert.code == "S1.SD4.OD2.I1",
                                                      Alert.status == "off_target")).all()
    assert alert.resolved_by_id is not None


def test_two_runs_at_the_same_time_send_each_alert_once(demo_2023, smtp, database_url):
    env = {**os.environ, "VSC_ENV": "testing", "VSC_TEST_DATABASE_URL": database_url,
           "VSC_SMTP_HOST": "127.0.0.1", "VSC_SMTP_PORT": str(smtp.port)}
    db.session.remove()
    for day in (date(2023, 3, 31), date(2023, 9, 30), date(2023, 12, 31)):
        command = [sys.executable, "-c", "from vscapp.cli import main; main()", "alerts", "run",
                   "--as-of", day.isoformat()]
        runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE) for _ in range(2)]
        for process in runs:
            _, errors = process.communicate(timeout=300)  # a busy machine is slow to start them
            assert process.returncode == 0, errors.decode()
    assert received(smtp) == EXPECTED_2023


def test_an_smtp_outage_loses_nothing_and_sends_once(runner, demo_2023, smtp):
    smtp.stop()
    result = run(runner, date(2023, 9, 30))
    assert result.exit_code == 1
    assert "cannot reach the SMTP server" in result.output
    assert "stay in the outbox" in result.output
    pending = db.session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.sent_at.is_(None)))
    assert pending == 2  # police contacts, to the coordinator and the liaison
    smtp.start()
    assert run(runner, date(2023, 9, 30)).exit_code == 0
    assert run(runner, date(2023, 9, 30)).exit_code == 0
    assert received(smtp) == [(COORD, "S1.SD4.OD2.I1", OFF), (LIAISON, "S1.SD4.OD2.I1", OFF)]


def test_a_refused_message_stays_pending_and_others_go(runner, demo_2023, smtp):
    smtp.refuse.add(LIAISON)
    result = run(runner, date(2023, 9, 30))
    assert result.exit_code == 1
    assert "refused" in result.output
    assert [m["To"] for m in smtp.messages] == [COORD]
    refused = db.session.scalar(select(OutboxMessage).where(OutboxMessage.sent_at.is_(None)))
    assert refused.attempts == 1 and "mailbox unavailable" in refused.last_error
    smtp.refuse.clear()
    assert run(runner, date(2023, 9, 30)).exit_code == 0
    assert received(smtp) == [(COORD, "S1.SD4.OD2.I1", OFF), (LIAISON, "S1.SD4.OD2.I1", OFF)]


def test_the_message_in_the_recipients_language_with_numbers_and_no_record_details(
        runner, rules_2023, smtp, make_user):
    make_user("coordinator", email="coord-fr@molenbeek.brussels", language="fr")
    make_user("coordinator", email="coord-nl@molenbeek.brussels", language="nl")
    officer = make_user("officer")
    make_event("project", officer, on=date(2023, 2, 1), note="Atelier confidentiel",
               case_ref="RAD-2023-077")
    assert run(runner, date(2023, 3, 31)).exit_code == 0
    by_recipient = {m["To"]: m for m in smtp.messages if "S1.SD4.OD3.I1" in m["Subject"]}
    french, dutch = by_recipient["coord-fr@molenbeek.brussels"], by_recipient[
        "coord-nl@molenbeek.brussels"]
    assert french["Subject"] == "[vscapp] S1.SD4.OD3.I1 hors objectif : Aantal opgezette projecten"
    assert dutch["Subject"] == "[vscapp] S1.SD4.OD3.I1 buiten doel: Aantal opgezette projecten"
    text = french.get_body(("plain",)).get_content()
    html = french.get_body(("html",)).get_content()
    assert "Valeur : 1 ; attendu à ce jour : 2 ; cible : 10" in text
    assert "Encore nécessaire : 9 d'ici le 31 déc. 2023." in text  # dates in words, never ISO
    assert "https://vsc.example/targets/2023/S1.SD4.OD3.I1?as_of=2023-03-31" in text
    assert 'href="https://vsc.example/targets/2023/S1.SD4.OD3.I1?as_of=2023-03-31"' in html
    assert "Waarde: 1; nu verwacht: 2; streefcijfer: 10" in dutch.get_body(("plain",)).get_content()
    for message in smtp.messages:
        raw = message.as_string()
        assert "confidentiel" not in raw and "RAD-2023-077" not in raw


def test_a_weekly_digest_gathers_the_alerts(runner, demo_2023, smtp, make_user, app):
    from vscapp.users.services import user_by_email

    user_by_email(COORD).alert_delivery = "digest"
    db.session.commit()
    thursday = datetime(2026, 11, 26, 8, tzinfo=UTC)
    services.run(date(2023, 3, 31), now=thursday)
    services.run(date(2023, 9, 30), now=thursday)
    assert [m["To"] for m in smtp.messages] == [LIAISON]  # the coordinator waits for the digest
    services.send_pending(services.RunReport(2023), now=thursday + timedelta(days=1))
    assert len(smtp.messages) == 1
    services.send_pending(services.RunReport(2023), now=thursday + timedelta(days=4))  # Monday
    digest = smtp.messages[-1]
    assert digest["To"] == COORD
    assert digest["Subject"] == "[vscapp] wekelijks overzicht: 2 wijziging(en) bij indicatoren"
    body = digest.get_body(("plain",)).get_content()
    assert "S1.SD4.OD2.I1" in body and "S1.SD4.OD3.I1" in body
    services.send_pending(services.RunReport(2023), now=thursday + timedelta(days=11))
    assert len(smtp.messages) == 2


def test_alerts_test_command(runner, smtp):
    result = runner.invoke(args=["alerts", "test", "someone@molenbeek.brussels"])
    assert result.exit_code == 0, result.output
    (message,) = smtp.messages
    assert message["To"] == "someone@molenbeek.brussels"
    assert message["Subject"] == "[vscapp] test message"
    smtp.stop()
    result = runner.invoke(args=["alerts", "test", "someone@molenbeek.brussels"])
    assert result.exit_code == 1
    assert "cannot reach the SMTP server" in result.output


def test_a_year_without_active_rules_is_told_once_and_not_evaluated(runner, plan_2023, smtp,
                                                                    make_user):
    coordinator = make_user("coordinator", email="coord@molenbeek.brussels", language="nl")
    make_user("coordinator", email="gone@molenbeek.brussels", active=False)
    make_user("officer", email="officer@molenbeek.brussels")
    result = run(runner, date(2023, 1, 1))
    assert result.exit_code == 0, result.output
    assert "no active rules for 2023 yet, nothing evaluated" in result.output
    (message,) = smtp.messages
    assert message["To"] == coordinator.email
    assert message["Subject"] == "[vscapp] 2023 heeft nog geen actieve regels"  # Dutch reader
    assert message.get_content().rstrip().endswith("/rules/2023")  # where to activate them
    for day in (2, 3):  # the next mornings: nothing more
        result = run(runner, date(2023, 1, day))
        assert result.exit_code == 0 and "nothing evaluated" in result.output
    assert len(smtp.messages) == 1
    assert db.session.scalar(select(func.count()).select_from(IndicatorState)) == 0


def test_the_no_rules_notice_waits_for_the_smtp_server(runner, plan_2023, smtp, make_user):
    make_user("coordinator", email="coord@molenbeek.brussels")
    smtp.stop()
    assert run(runner, date(2023, 1, 1)).exit_code == 1
    smtp.start()
    assert run(runner, date(2023, 1, 2)).exit_code == 0
    assert [m["To"] for m in smtp.messages] == ["coord@molenbeek.brussels"]


def test_alerts_page_acknowledge_with_a_comment(client, runner, demo_2023, smtp, make_user):
    assert run(runner, date(2023, 9, 30)).exit_code == 0
    officer = make_user("officer")
    login(client, officer)
    page = client.get("/alerts/").get_data(as_text=True)
    assert 'id="alert-' in page and "S1.SD4.OD2.I1" in page
    assert ">Acknowledge</button>" not in page
    alert = db.session.scalar(select(Alert).where(Alert.code == "S1.SD4.OD2.I1"))
    assert client.post(f"/alerts/{alert.id}/acknowledge",
                       data={"comment": "x"}).status_code == 403
    client.post("/logout")
    coordinator = make_user("coordinator")
    login(client, coordinator)
    client.post(f"/alerts/{alert.id}/acknowledge", data={"comment": ""})
    assert db.session.get(Alert, alert.id).acknowledged_at is None
    response = client.post(f"/alerts/{alert.id}/acknowledge",
                           data={"comment": "Meeting with the police planned on 5 October"})
    assert response.status_code == 302
    db.session.refresh(alert)
    assert alert.acknowledged_by_id == coordinator.id
    assert alert.comment == "Meeting with the police planned on 5 October"
    assert alert not in services.open_alerts()
    history = client.get("/alerts/").get_data(as_text=True)
    assert "Meeting with the police planned on 5 October" in history


def test_each_user_chooses_digest_or_immediate(client, as_role):
    user = as_role("liaison")
    response = client.post("/account", data={"language": "fr", "alert_delivery": "digest"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.language, user.alert_delivery) == ("fr", "digest")


POLICE = "S1.SD4.OD2.I1"
POLICE_NL = "Aantal contacten met de radicaliseringscel van de lokale politie"


def test_the_alerts_page_names_the_indicator_and_its_status_in_words(
        client, runner, rules_2023, smtp, make_user):
    assert run(runner, date(2023, 6, 30)).exit_code == 0
    login(client, make_user("coordinator", language="nl"))
    page = client.get("/alerts/").get_data(as_text=True)
    card = page.split('id="alert-', 1)[1].split("</article>")[0]
    assert POLICE_NL in page and f'<span class="code">{POLICE}</span>' in page
    assert "buiten doel" in page and "off_target" not in page.replace("status-off_target", "")
    assert card.index("<h3>") < card.index("buiten doel")


def test_the_menu_counts_the_open_alerts_the_reader_may_see(
        client, runner, rules_2023, smtp, make_user):
    assert run(runner, date(2023, 6, 30)).exit_code == 0
    open_now = len(services.open_alerts())
    assert open_now >= 2
    coordinator = make_user("coordinator")
    login(client, coordinator)
    home = client.get("/").get_data(as_text=True)
    assert f'id="open-alert-count">{open_now} open</span>' in home
    alert = db.session.scalar(select(Alert).where(Alert.code == POLICE))
    client.post(f"/alerts/{alert.id}/acknowledge", data={"comment": "Talked with the police"})
    home = client.get("/").get_data(as_text=True)
    assert f'id="open-alert-count">{open_now - 1} open</span>' in home
    client.post("/logout")
    officer = make_user("officer")
    login(client, officer)
    officer_sees = services.for_reader(services.open_alerts(), officer)
    assert f'id="open-alert-count">{len(officer_sees)} open</span>' in client.get(
        "/").get_data(as_text=True)


def activate_copy(version, note, pace=None):
    """A new rules version of 2023: the shipped one, with another pace for police contacts."""
    from vscapp.targets import services as targets

    text = version.content + f"\n# {note}\n"
    if pace is not None:
        text = text.replace("target: 3\n    pace: even\n    alerts:\n      off_target: "
                            "[coordinator, liaison]", f"target: 3\n    pace: {pace}\n"
                            "    alerts:\n      off_target: [coordinator, liaison]")
        assert pace in text
    new = targets.save_version(text, f"{note}.yaml")
    targets.activate(new, note)
    db.session.commit()
    return new


def test_an_alert_of_rules_no_longer_active_is_closed_as_superseded(
        client, runner, rules_2023, smtp, make_user):
    from vscapp.targets import services as targets

    make_user("coordinator", email="coord@molenbeek.brussels", language="nl")
    assert run(runner, date(2023, 6, 30)).exit_code == 0
    first = db.session.scalar(select(Alert).where(Alert.code == POLICE))
    sent = len(smtp.messages)
    second_version = activate_copy(rules_2023, "v2")
    result = run(runner, date(2023, 6, 30))
    assert "closed as superseded" in result.output
    db.session.refresh(first)
    assert first.superseded_at is not None and first not in services.open_alerts()
    again = db.session.scalar(select(Alert).where(Alert.code == POLICE,
                                                  Alert.rules_version_id == second_version.id))
    assert again in services.open_alerts()  # still off target under the new rules
    assert len(smtp.messages) == sent  # those told already are not told again
    targets.activate(rules_2023, "Back to the first version")  # a rollback
    db.session.commit()
    assert run(runner, date(2023, 6, 30)).exit_code == 0
    db.session.refresh(first), db.session.refresh(again)
    assert again.superseded_at is not None and first.superseded_at is None
    assert len(smtp.messages) == sent
    login(client, make_user("coordinator", language="nl"))
    page = client.get("/alerts/").get_data(as_text=True)
    assert "afgesloten: regelversie 2 is niet meer actief" in page


def test_rules_that_put_an_indicator_back_on_track_close_its_alert(
        runner, rules_2023, smtp, make_user):
    make_user("coordinator")
    assert run(runner, date(2023, 6, 30)).exit_code == 0
    activate_copy(rules_2023, "by-year-end", pace="due")
    assert run(runner, date(2023, 6, 30)).exit_code == 0
    assert POLICE not in {alert.code for alert in services.open_alerts()}
