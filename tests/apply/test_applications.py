from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bianmin.config import Config
from bianmin.domain.calendar import WorkingCalendar
from bianmin.domain.wire import ApplicationRecord
from bianmin.local import applications as apps
from bianmin.local import outbox
from bianmin.local.application_draft import ApplicationDraft
from bianmin.store import LocalStore
from printer.application_slips import notice_slip, receipt_slip
from tests.apply.fixtures import FORM, HUKOU, ID_CARD, PHOTO, sample_item

CONSENT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture()
def store(tmp_path):
    return LocalStore(tmp_path / "k.sqlite3")


def create(store, item=None, **kw):
    values = dict(name="王秀英", phone="13800138000", id_number="11010519491231002X",
                  materials_brought=[ID_CARD, HUKOU], consent_at=CONSENT, village_code="150121101001")
    values.update(kw)
    return apps.create_application(store, item or sample_item(), **values)


def test_create_commits_record_and_outbox_row_together(store):
    a = create(store)
    assert a.status == "submitted"
    assert len(a.short_code) == 9 and len(a.token) >= 22
    assert a.id_number == "11010519491231002X"
    assert a.materials_brought == [ID_CARD, HUKOU]
    assert a.materials_missing == [PHOTO]  # 容缺后补 listed, optional form never
    conn = store.connect()
    rows = conn.execute("SELECT kind, uuid FROM outbox").fetchall()
    assert [(r["kind"], r["uuid"]) for r in rows] == [("application", a.uuid)]
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_missing_required_material_means_awaiting_materials(store):
    a = create(store, materials_brought=[ID_CARD, FORM])
    assert a.status == "awaiting_materials"
    assert a.materials_missing == [HUKOU, PHOTO]
    assert a.materials_brought == [ID_CARD, FORM]


def test_id_number_only_kept_when_item_needs_it(store):
    a = create(store, item=sample_item(needs_id=False), id_number="11010519491231002X")
    assert a.id_number is None


def test_invalid_input_saves_nothing(store):
    with pytest.raises(apps.ApplicationInvalid) as exc:
        create(store, name="  ", phone="1380013800", id_number="110105194912310021")
    assert exc.value.errors == {"name": "apply.name_empty", "phone": "phone.mobile_length", "id_number": "id.checksum"}
    apps.ensure_schema(store)
    assert store.connect().execute("SELECT COUNT(*) FROM applications").fetchone()[0] == 0
    assert outbox.pending_count(store) == 0


def test_promised_date_skips_weekends_and_configured_holidays(store):
    cal = WorkingCalendar.of(holidays=["2026-03-04"])
    monday = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 in UTC+8, a Monday
    a = create(store, calendar=cal, now=monday)
    # 5 working days from Tue 3 Mar, skipping Wed 4 (holiday) and the weekend -> Tue 10 Mar
    assert a.promised_date == date(2026, 3, 10)
    assert apps.promise_text(a.promised_days, a.promised_date) == "材料齐全受理后 5 个工作日内办结（预计 3月10日）"
    assert "5 working days" in apps.promise_text(5, date(2026, 3, 10), "en")


def test_serializer_produces_a_valid_wire_record(store):
    a = create(store)
    serializer = outbox.serializer_for("application")
    assert serializer is apps.serialize
    data = serializer(store.connect(), a.uuid)
    record = ApplicationRecord.model_validate(data)
    assert str(record.uuid) == a.uuid
    assert record.applicant_name == "王秀英" and record.phone == "13800138000"
    assert record.id_number == "11010519491231002X"
    assert record.village_code == "150121101001"
    assert serializer(store.connect(), "no-such") is None


def test_correction_updates_and_remarks_dirty(store):
    a = create(store)
    store.connect().execute("DELETE FROM outbox")  # pretend a previous upload attempt is gone…
    with pytest.raises(apps.NotCorrectable):  # …so it counts as uploaded: no more kiosk edits
        apps.correct_application(store, a.uuid, name="王秀瑛")
    b = create(store)
    with pytest.raises(apps.ApplicationInvalid):
        apps.correct_application(store, b.uuid, phone="12345")
    fixed = apps.correct_application(store, b.uuid, name="王秀瑛", phone="13900139000")
    assert (fixed.applicant_name, fixed.phone) == ("王秀瑛", "13900139000")
    assert fixed.updated_at > b.updated_at
    assert fixed.short_code == b.short_code and fixed.token == b.token
    data = apps.serialize(store.connect(), b.uuid)
    assert data["applicant_name"] == "王秀瑛"
    assert outbox.pending_count(store) == 1


def test_todays_list_and_print_jobs(store):
    a = create(store)
    b = create(store, name="巴特尔")
    old = create(store, name="乌云", now=datetime(2025, 1, 6, 3, 0, tzinfo=UTC))
    today = [x.uuid for x in apps.todays_applications(store)]
    assert set(today) == {a.uuid, b.uuid} and old.uuid not in today
    apps.record_print_job(store, a.uuid, receipt_job="job-1", notice_job="job-2")
    again = apps.get_application(store, a.uuid)
    assert (again.receipt_job, again.notice_job) == ("job-1", "job-2")


def test_receipt_slip_carries_tracking_url_and_no_id_number(store):
    cfg = Config()
    a = create(store)
    slip = receipt_slip(a, cfg)
    assert slip.tracking_url == f"{cfg.kiosk.public_base_url}/t/{a.token}"
    assert slip.short_code == a.short_code
    assert "11010519491231002X" not in repr(slip)


def test_notice_slip_lists_every_material_with_counts_and_missing(store):
    slip = notice_slip(sample_item(), {ID_CARD}, Config())
    by_name = {m.name: m for m in slip.materials}
    assert by_name[HUKOU].missing and by_name[PHOTO].missing
    assert not by_name[ID_CARD].missing and not by_name[FORM].missing
    assert (by_name[ID_CARD].originals, by_name[ID_CARD].copies) == (1, 1)
    assert slip.where_to_go == "巴彦苏木便民服务大厅"


def test_draft_keeps_typed_text_on_errors_and_clears(store):
    d = ApplicationDraft()
    d.start(sample_item())
    d.toggle_material(ID_CARD)
    d.name, d.phone, d.id_number = "王秀英", "1380013800", "110105194913310021"
    assert not d.validate_who()
    assert d.errors == {"phone": "phone.mobile_length", "id_number": "id.birth_date"}
    assert d.phone == "1380013800" and d.id_number == "110105194913310021"
    d.set_field("phone", "13800138000")
    assert "phone" not in d.errors
    d.id_number = "11010519491231002x"  # lowercase x accepted
    assert d.validate_who()
    with pytest.raises(ValueError):
        d.submit(store, WorkingCalendar(), "150121101001")  # no consent yet
    d.give_consent()
    saved = d.submit(store, WorkingCalendar(), "150121101001")
    assert d.submit(store, WorkingCalendar(), "150121101001") is saved  # double tap registers once
    assert saved.status == "awaiting_materials" and saved.id_number == "11010519491231002X"
    d.start(sample_item())  # a new visitor, same item: starts afresh after a save
    assert d.name == "" and d.brought == set() and d.saved is None
    d.name = "x"
    d.clear()
    assert (d.item, d.name, d.phone, d.id_number, d.consent) == (None, "", "", "", False)
