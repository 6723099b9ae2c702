"""One contract for wire and storage (issue 13 §1).

- Every wire record's fields are walked against the columns of its server model: a
  string may not be longer than its column, an integer may not leave its column's range,
  text must refuse control characters, datetimes must be bounded.
- A property test pushes generated records through the real API to the database (SQLite
  and PostgreSQL): whatever the schema accepts is stored; anything else is a 422 naming
  the field — never a 500.
"""

from __future__ import annotations

import typing
import uuid as uuidlib
from datetime import UTC, datetime, timedelta

import annotated_types
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from sqlalchemy import BigInteger, Integer, String, Text, select

from bianmin.domain import wire
from bianmin.domain.fields import INT32_MAX, INT64_MAX
from bianmin.domain.tracking import new_short_code, new_token
from server.models import Application, Complaint, QueueTicket, Rating
from tests.server.helpers import (
    application_record,
    complaint_record,
    queue_ticket_record,
    rating_record,
)

PUSH = "/api/v1/sync/push"
PAIRS = [(wire.ApplicationRecord, Application), (wire.QueueTicketRecord, QueueTicket),
         (wire.RatingRecord, Rating), (wire.ComplaintRecord, Complaint)]
# Wire fields stored under another column name, or not stored as a column of their own.
RENAMED = {"id_number": "id_number_enc"}
NOT_COLUMNS = {"kind", "village_code"}


def _max_length(field) -> int | None:  # noqa: ANN001
    lengths = [m.max_length for m in field.metadata if isinstance(m, annotated_types.MaxLen)]
    return min(lengths) if lengths else None


def _bounds(field) -> tuple[int | None, int | None]:  # noqa: ANN001
    lo = [m.ge for m in field.metadata if isinstance(m, annotated_types.Ge)]
    hi = [m.le for m in field.metadata if isinstance(m, annotated_types.Le)]
    return (max(lo) if lo else None), (min(hi) if hi else None)


def _base_type(annotation: object) -> object:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, getattr(__import__("types"), "UnionType", None)) and args:
        return args[0]
    return annotation


@pytest.mark.parametrize(("record", "model"), PAIRS, ids=[p[1].__name__ for p in PAIRS])
def test_no_wire_field_admits_what_its_column_cannot_hold(record: type[BaseModel], model: type) -> None:
    columns = model.__table__.columns
    problems = []
    for name, field in record.model_fields.items():
        if name in NOT_COLUMNS:
            continue
        column = columns[RENAMED.get(name, name)]
        kind = column.type
        base = _base_type(field.annotation)
        if isinstance(kind, String) and not isinstance(kind, Text) and kind.length is not None \
                and base is str:
            limit = _max_length(field)
            if limit is None or limit > kind.length:
                problems.append(f"{name}: wire allows {limit} characters, column {kind.length}")
        if isinstance(kind, Integer) and base is int:
            lo, hi = _bounds(field)
            top = INT64_MAX if isinstance(kind, BigInteger) else INT32_MAX
            if lo is None or hi is None or hi > top or lo < -top - 1:
                problems.append(f"{name}: wire range [{lo}, {hi}] exceeds the column's")
    assert problems == []


def _accepts(record_type: type[BaseModel], **values: object) -> bool:
    try:
        record_type.model_validate(values)
    except Exception:
        return False
    return True


@pytest.mark.parametrize("record", [p[0] for p in PAIRS], ids=[p[1].__name__ for p in PAIRS])
def test_every_text_field_refuses_nul_and_every_datetime_is_bounded(record: type[BaseModel]) -> None:
    make = {wire.ApplicationRecord: application_record, wire.QueueTicketRecord: queue_ticket_record,
            wire.RatingRecord: rating_record, wire.ComplaintRecord: complaint_record}[record]
    sample = make("150121101001")
    assert _accepts(record, **sample)
    for name, field in record.model_fields.items():
        base = _base_type(field.annotation)
        if base is str and name not in ("kind",):
            assert not _accepts(record, **dict(sample, **{name: "1\x00"})), name
        if base is datetime:
            assert not _accepts(record, **dict(sample, **{name: "0001-01-01T00:00:00+14:00"})), name


# ----- property test against the real database -------------------------------------------

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)
WEIRD_INT = st.one_of(st.integers(-5, 1000), st.sampled_from([0, 2**31 - 1, 2**31, 2**63 - 1, 2**63, -(2**63) - 1]))
STAMP = st.one_of(
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30),
                 timezones=st.sampled_from([UTC, None])).map(lambda d: d.isoformat()),
    st.sampled_from(["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00"]),
)


@st.composite
def records(draw, village_code: str) -> dict:  # noqa: ANN001
    kind = draw(st.sampled_from(["application", "queue_ticket", "rating", "complaint"]))
    stamp = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    if kind == "application":
        base = application_record(village_code, token=new_token(), short_code=new_short_code(),
                                  consent_at=stamp, created_at=stamp, updated_at=stamp)
        mutable = {"item_code": TEXT, "item_name": TEXT, "applicant_name": TEXT, "note": TEXT,
                   "item_version": WEIRD_INT, "promised_days": WEIRD_INT, "created_at": STAMP,
                   "materials_missing": st.lists(TEXT, max_size=3)}
    elif kind == "queue_ticket":
        base = queue_ticket_record(village_code, issued_at=stamp, updated_at=stamp)
        mutable = {"window": TEXT, "item_code": TEXT, "number": WEIRD_INT, "issued_at": STAMP,
                   "called_at": STAMP}
    elif kind == "rating":
        base = rating_record(village_code, created_at=stamp, updated_at=stamp)
        mutable = {"text": TEXT, "level": WEIRD_INT, "reasons": st.lists(TEXT, max_size=3), "created_at": STAMP}
    else:
        base = complaint_record(village_code, created_at=stamp, updated_at=stamp)
        mutable = {"category": TEXT, "text": TEXT, "about_staff": TEXT, "contact": TEXT, "created_at": STAMP}
    changed = draw(st.dictionaries(st.sampled_from(sorted(mutable)), st.none(), max_size=3))
    for name in changed:
        base[name] = draw(mutable[name])
    base["uuid"] = str(uuidlib.uuid4())
    return base


_MODELS = {"application": Application, "queue_ticket": QueueTicket, "rating": Rating, "complaint": Complaint}
_WIRE = {"application": wire.ApplicationRecord, "queue_ticket": wire.QueueTicketRecord,
         "rating": wire.RatingRecord, "complaint": wire.ComplaintRecord}


def test_generated_records_are_stored_or_refused_by_name_never_500(client, sessions, kiosk):
    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(st.data())
    def check(data) -> None:  # noqa: ANN001
        record = data.draw(records(kiosk.village_code))
        r = client.post(PUSH, json={"records": [record]}, headers=kiosk.headers)
        assert r.status_code in (200, 422), (r.status_code, r.text, record)
        accepted = _accepts(_WIRE[record["kind"]], **record)
        model = _MODELS[record["kind"]]
        with sessions() as s:
            stored = s.execute(select(model.id).where(model.uuid == record["uuid"])).first() is not None
        if r.status_code == 200:
            assert r.json()["results"][0]["result"] == "created", r.text
            assert accepted and stored
        else:
            assert not accepted and not stored
            assert all(e["field"].startswith("records[0]") for e in r.json()["errors"]), r.text

    check()
