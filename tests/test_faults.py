"""A `vsc` command killed with SIGKILL half-way leaves nothing half-written, and the next run
does the whole work (for the alerts: every message sent exactly once).

Each command runs in its own process, as an operator or a timer runs it; a wrapper around one
function of the app sends the process SIGKILL from inside, at a chosen point of its transaction
(after what came before was flushed to the database), so the kill lands where it must, every
time, unlike a timer.
"""

import os
import signal
import subprocess
import sys
from datetime import date, timedelta

from sqlalchemy import func, select, update

from helpers import PLAN_2023_NL, RULES_2023
from vscapp.alerts.models import Alert, OutboxMessage
from vscapp.audit.models import AuditEntry
from vscapp.events.models import DailyTotal, Event
from vscapp.extensions import db
from vscapp.plans.models import Indicator, Plan, PlanNode
from vscapp.targets.models import RulesActivation, RulesVersion

# Runs `vsc ARGS...` after wrapping MODULE.NAME: at its CALL-th call the session is flushed and
# the process kills itself, before the call ("before") or once it returned ("after").
KILLER = """
import importlib, os, signal, sys
module_name, name, call, when, *args = sys.argv[1:]
module = importlib.import_module(module_name)
owner, _, attr = name.rpartition(".")
owner = getattr(module, owner) if owner else module
original = getattr(owner, attr)
calls = []

def die():
    from vscapp.extensions import db
    db.session.flush()
    os.kill(os.getpid(), signal.SIGKILL)

def wrapper(*a, **k):
    calls.append(1)
    if len(calls) == int(call) and when == "before":
        die()
    result = original(*a, **k)
    if len(calls) == int(call):
        die()
    return result

setattr(owner, attr, wrapper)
sys.argv = ["vsc", *args]
from vscapp.cli import main
main()
"""


def command_env(database_url, **extra):
    return {**os.environ, "VSC_ENV": "testing", "VSC_TEST_DATABASE_URL": database_url, **extra}


def killed(database_url, target, call, *args, when="after", **env):
    """Run `vsc ARGS`, killed at the CALL-th call of TARGET ("module:attribute")."""
    module, name = target.split(":")
    db.session.remove()  # the test's own connection holds nothing while the command runs
    done = subprocess.run([sys.executable, "-c", KILLER, module, name, str(call), when, *args],
                          env=command_env(database_url, **env), capture_output=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()


def vsc(database_url, *args, **env):
    db.session.remove()
    done = subprocess.run([sys.executable, "-c", "from vscapp.cli import main; main()", *args],
                          env=command_env(database_url, **env), capture_output=True, timeout=120)
    return done


def count(model):
    db.session.remove()
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_plan_import_killed_half_way_leaves_no_plan(app, database_url):
    # Killed after the tenth row of the tree was written: plan, nodes and indicators flushed.
    killed(database_url, "vscapp.plans.services:_set", 10, "plan", "import", str(PLAN_2023_NL))
    assert (count(Plan), count(PlanNode), count(Indicator), count(AuditEntry)) == (0, 0, 0, 0)
    done = vsc(database_url, "plan", "import", str(PLAN_2023_NL))
    assert done.returncode == 0, done.stderr.decode()
    assert count(Plan) == 1 and count(Indicator) == 13


def test_a_csv_import_killed_between_batches_records_nothing(app, database_url, tmp_path,
                                                             make_user):
    officer = make_user("officer")
    register = tmp_path / "register.csv"
    register.write_text("date,type,quantity\n" + "".join(
        f"2023-01-{day:02},individual_consultation,2\n" for day in range(1, 31)))
    # The first batch of 1,000... here of 30 rows, so: killed after record_events returned.
    killed(database_url, "vscapp.events.services:record_events", 1,
           "events", "import", str(register), "--as", officer.email)
    assert (count(Event), count(DailyTotal)) == (0, 0)
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.action == "event.create")) == 0
    done = vsc(database_url, "events", "import", str(register), "--as", officer.email)
    assert done.returncode == 0, done.stderr.decode()
    assert count(Event) == 30
    assert db.session.scalar(select(func.sum(DailyTotal.quantity))) == 60


def test_a_rules_activation_killed_half_way_changes_nothing(rules_2023, database_url, tmp_path):
    changed = tmp_path / "2023.yaml"
    changed.write_text(RULES_2023.read_text("utf-8").replace("target: 10", "target: 12", 1))
    before = (count(RulesVersion), count(RulesActivation), count(AuditEntry))
    # Killed once the new version, its activation and the data version bump were flushed.
    killed(database_url, "vscapp.targets.services:data_version.bump", 1,
           "rules", "activate", str(changed), "--reason", "Nieuwe drempel")
    assert (count(RulesVersion), count(RulesActivation), count(AuditEntry)) == before
    done = vsc(database_url, "rules", "activate", str(changed), "--reason", "Nieuwe drempel")
    assert done.returncode == 0, done.stderr.decode()
    assert (count(RulesVersion), count(RulesActivation)) == (before[0] + 1, before[1] + 1)


def test_an_alerts_run_killed_between_claim_and_send_sends_each_message_once(
        demo_2023, smtp, database_url):
    smtp_env = {"VSC_SMTP_HOST": "127.0.0.1", "VSC_SMTP_PORT": str(smtp.port)}
    day = date(2023, 9, 30).isoformat()
    # The alert and its two messages are committed, the first message is claimed, then the
    # process dies before sending it.
    killed(database_url, "vscapp.mail:Mailer.send", 1, "alerts", "run", "--as-of", day,
           when="before", **smtp_env)
    assert smtp.messages == []
    assert count(Alert) == 1
    claimed, waiting = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
    assert claimed.claimed_at is not None and claimed.sent_at is None
    assert waiting.claimed_at is None
    claimed_to, waiting_to = claimed.user.email, waiting.user.email
    # A run straight after sends the other one and leaves a claim that may be in flight...
    done = vsc(database_url, "alerts", "run", "--as-of", day, **smtp_env)
    assert done.returncode == 0, done.stderr.decode()
    assert [m["To"] for m in smtp.messages] == [waiting_to]
    # ...and one after the claim went stale (15 minutes: here, aged by hand) sends it.
    db.session.execute(update(OutboxMessage).where(OutboxMessage.sent_at.is_(None))
                       .values(claimed_at=OutboxMessage.claimed_at - timedelta(minutes=16)))
    db.session.commit()
    for _ in range(2):
        done = vsc(database_url, "alerts", "run", "--as-of", day, **smtp_env)
        assert done.returncode == 0, done.stderr.decode()
    assert [m["To"] for m in smtp.messages] == [waiting_to, claimed_to]
    assert count(Alert) == 1
    db.session.remove()
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.sent_at.is_(None))) == 0
