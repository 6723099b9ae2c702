"""Kiosk ratings and complaints: committed locally, queued, valid on the wire."""

from __future__ import annotations

import pytest

from bianmin.domain.wire import ComplaintRecord, RatingRecord
from bianmin.local import feedback, outbox
from bianmin.store import LocalStore

VILLAGE = "150121101001"
APP_UUID = "6f1c2b9e-8d4a-4c1e-9b7a-0a1b2c3d4e5f"


@pytest.fixture()
def store(tmp_path):
    return LocalStore(tmp_path / "kiosk.sqlite3")


def _outbox(store):
    return {(r["kind"], r["uuid"]) for r in store.connect().execute("SELECT kind, uuid FROM outbox")}


def test_good_rating_is_saved_and_queued(store):
    uid = feedback.save_rating(store, VILLAGE, feedback.RatingInput(level=5, reasons=["slow"]))
    assert ("rating", uid) in _outbox(store)
    wire = outbox.serializer_for("rating")(store.connect(), uid)
    record = RatingRecord.model_validate(wire)
    assert record.level == 5 and record.stage == "general" and record.reasons == []  # reasons only for 差评


def test_bad_rating_needs_a_reason(store):
    with pytest.raises(feedback.FeedbackError) as err:
        feedback.save_rating(store, VILLAGE, feedback.RatingInput(level=2))
    assert err.value.key == "rating.error.reason_required"
    assert _outbox(store) == set()
    uid = feedback.save_rating(store, VILLAGE, feedback.RatingInput(level=1, text="等了两个小时"))
    assert RatingRecord.model_validate(outbox.serializer_for("rating")(store.connect(), uid)).text == "等了两个小时"


def test_unknown_reasons_are_dropped_and_text_limited(store):
    uid = feedback.save_rating(store, VILLAGE, feedback.RatingInput(level=2, reasons=["slow", "hacked", "slow"]))
    assert RatingRecord.model_validate(outbox.serializer_for("rating")(store.connect(), uid)).reasons == ["slow"]
    with pytest.raises(feedback.FeedbackError) as err:
        feedback.save_rating(store, VILLAGE, feedback.RatingInput(level=1, text="慢" * 501))
    assert err.value.key == "rating.error.too_long"


def test_one_rating_per_application(store):
    data = feedback.RatingInput(level=4, application_uuid=APP_UUID)
    uid = feedback.save_rating(store, VILLAGE, data)
    assert feedback.already_rated(store, APP_UUID)
    record = RatingRecord.model_validate(outbox.serializer_for("rating")(store.connect(), uid))
    assert record.stage == "completion" and str(record.application_uuid) == APP_UUID
    with pytest.raises(feedback.FeedbackError) as err:
        feedback.save_rating(store, VILLAGE, data)
    assert err.value.key == "rating.error.already_rated"


def test_complaint_is_saved_and_serialised(store):
    uid = feedback.save_complaint(store, VILLAGE, feedback.ComplaintInput("delay", " 拖了一个月\x00 ", "13800138000"))
    assert ("complaint", uid) in _outbox(store)
    record = ComplaintRecord.model_validate(outbox.serializer_for("complaint")(store.connect(), uid))
    assert record.text == "拖了一个月" and record.category == "delay" and record.contact == "13800138000"


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (feedback.ComplaintInput("nonsense", "x"), "complaint.error.category"),
        (feedback.ComplaintInput("fee", "   "), "complaint.error.text_required"),
        (feedback.ComplaintInput("fee", "x" * 1001), "complaint.error.too_long"),
    ],
)
def test_bad_complaints_are_refused_with_a_message(store, data, key):
    with pytest.raises(feedback.FeedbackError) as err:
        feedback.save_complaint(store, VILLAGE, data)
    assert err.value.key == key
