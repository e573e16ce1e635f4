"""`vsc events import FILE.csv`: all rows or none, and a report of every bad row."""

from sqlalchemy import func, select

from vscapp.audit.models import AuditEntry
from vscapp.events import importer
from vscapp.events.models import DailyTotal, Event
from vscapp.extensions import db


def run_import(runner, tmp_path, text, user):
    path = tmp_path / "register.csv"
    path.write_text(text, encoding="utf-8")
    return runner.invoke(args=["events", "import", str(path), "--as", user.email])


def count():
    return db.session.scalar(select(func.count(Event.id)))


def test_a_good_register_is_imported_whole(runner, tmp_path, make_user):
    officer = make_user("officer")
    text = ("date,type,quantity,participants,note,case_ref\n"
            "2023-01-10,individual_consultation,,,,RAD-1\n"
            "2023-02-14,awareness_session,1,23,Leerkrachten secundair,\n"
            "15/03/2023,project,2,,,\n")
    result = run_import(runner, tmp_path, text, officer)
    assert result.exit_code == 0, result.output
    assert "Imported 3 activities" in result.output
    events = db.session.scalars(select(Event).order_by(Event.occurred_on)).all()
    assert [(e.event_type.code, e.quantity, e.participants) for e in events] == [
        ("individual_consultation", 1, None), ("awareness_session", 1, 23), ("project", 2, None)]
    assert all(e.created_by_id == officer.id for e in events)
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.action == "event.create")) == 3


def test_semicolons_as_excel_writes_them_in_belgium(runner, tmp_path, make_user):
    text = "date;type;quantity\n2023-01-10;individual_consultation;4\n"
    result = run_import(runner, tmp_path, text, make_user("officer"))
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(Event.quantity)) == 4


def test_bad_rows_are_all_reported_and_nothing_is_stored(runner, tmp_path, make_user):
    text = ("date,type,quantity,participants,note\n"
            "2023-01-10,individual_consultation,1,,\n"
            "2023-13-01,individual_consultation,1,,\n"
            "2023-01-11,unknown_type,1,,\n"
            "2023-01-12,awareness_session,1,,\n"
            "2023-01-13,individual_consultation,0,,\n"
            "2023-01-14,individual_consultation,1,,Mail to a.b@example.be\n"
            "2023-01-15,threat_analysis,1,,\n")
    result = run_import(runner, tmp_path, text, make_user("officer"))
    assert result.exit_code == 1
    out = result.output
    assert "row 3, column date: Not a valid date value." in out
    assert "row 4, column type: Not a valid choice." in out
    assert "row 5, column participants: Give the number of participants" in out
    assert "row 6, column quantity: Number must be between 1 and 1000." in out
    assert "row 7, column note: This looks like an e-mail address" in out
    assert "row 8, column type: officer0@example.test may not record this type" in out
    assert "row 2," not in out
    assert "6 error(s); nothing was imported" in out
    assert count() == 0


def test_header_problems_are_reported(runner, tmp_path, make_user):
    result = run_import(runner, tmp_path, "when,kind,name\n2023-01-01,x,Jan\n",
                        make_user("officer"))
    assert result.exit_code == 1
    assert "row 1, column when: unknown column" in result.output
    assert "row 1, column name: unknown column" in result.output
    assert "row 1, column date: required column is missing" in result.output
    assert count() == 0


def test_an_empty_register_is_refused(runner, tmp_path, make_user):
    result = run_import(runner, tmp_path, "date,type\n", make_user("officer"))
    assert result.exit_code == 1
    assert "the file has no rows" in result.output


def test_an_unknown_account_is_refused(runner, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("date,type\n2023-01-01,project\n", encoding="utf-8")
    result = runner.invoke(args=["events", "import", str(path), "--as", "nobody@x.test"])
    assert result.exit_code == 1
    assert "no active account nobody@x.test" in result.output


def test_a_register_is_recorded_in_batches_with_its_totals(runner, tmp_path, make_user,
                                                           monkeypatch):
    monkeypatch.setattr(importer, "BATCH", 2)  # five rows: three batches
    rows = "".join(f"2023-03-0{day},individual_consultation,{day},,\n" for day in range(1, 6))
    result = run_import(runner, tmp_path, "\ufeffdate,type,quantity,participants,note\n" + rows,
                        make_user("officer"))
    assert result.exit_code == 0, result.output
    assert "Imported 5 activities" in result.output
    assert db.session.scalars(select(Event.quantity).order_by(Event.occurred_on)).all() == [
        1, 2, 3, 4, 5]
    assert db.session.scalar(select(func.sum(DailyTotal.quantity))) == 15
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.action == "event.create")) == 5


def test_a_register_above_the_row_limit_is_refused_whole(runner, tmp_path, make_user,
                                                         monkeypatch):
    monkeypatch.setattr(importer, "MAX_ROWS", 3)
    rows = "".join(f"2023-03-0{day},project\n" for day in range(1, 5))
    officer = make_user("officer")
    result = run_import(runner, tmp_path, "date,type\n" + rows, officer)
    assert result.exit_code == 1
    assert "row 5, column -: more than 3 rows: split the file and import each part" in (
        result.output)
    assert count() == 0
    three = run_import(runner, tmp_path, "date,type\n" + rows.rsplit("2023-03-04", 1)[0],
                       officer)
    assert three.exit_code == 0, three.output
    assert count() == 3


def test_a_long_list_of_errors_is_cut_and_counted(runner, tmp_path, make_user, monkeypatch):
    monkeypatch.setattr(importer, "MAX_LISTED", 4)
    rows = "".join(f"2023-13-{day:02},project\n" for day in range(1, 11))
    result = run_import(runner, tmp_path, "date,type\n" + rows, make_user("officer"))
    assert result.exit_code == 1
    assert result.output.count("column date: Not a valid date value.") == 4
    assert "... and 6 more" in result.output
    assert "10 error(s); nothing was imported" in result.output
    assert count() == 0


def test_a_file_that_is_not_utf8_is_refused(runner, tmp_path, make_user):
    path = tmp_path / "latin1.csv"
    path.write_bytes("date,type,note\n2023-01-10,project,café\n".encode("latin-1"))
    result = runner.invoke(args=["events", "import", str(path), "--as",
                                 make_user("officer").email])
    assert result.exit_code == 1
    assert "not UTF-8 text" in result.output
    assert count() == 0


def test_a_control_character_in_a_note_is_refused_at_its_cell(runner, tmp_path, make_user):
    result = run_import(runner, tmp_path, "date,type,note\n2023-01-10,project,ok\x07\n",
                        make_user("officer"))
    assert result.exit_code == 1
    assert "row 2, column note: The text holds an invisible control character" in result.output
    assert count() == 0
