"""Catalogue schema rules, and that validation reports every problem at once."""

from __future__ import annotations

import pytest

from bianmin.domain.catalogue import CatalogueInvalid, collect_problems, parse_catalogue
from tests.domain.catalogue_factory import raw_catalogue, raw_item


def test_a_valid_item_passes():
    catalogue = parse_catalogue(raw_catalogue(raw_item()))
    assert catalogue.items[0].promised_limit.days == 10


def test_promised_longer_than_statutory_is_rejected_with_code():
    problems = collect_problems(raw_catalogue(raw_item("BAD0000001", promised_limit={"days": 30})))
    assert len(problems) == 1
    assert problems[0].startswith("BAD0000001")
    assert "承诺时限" in problems[0]


def test_promised_equal_to_statutory_is_allowed():
    assert collect_problems(raw_catalogue(raw_item(promised_limit={"days": 20}))) == []


def test_duplicate_codes_are_reported():
    problems = collect_problems(raw_catalogue(raw_item("DUP0000001"), raw_item("DUP0000001", name="另一个")))
    assert any("DUP0000001" in p and "重复" in p for p in problems)
    with pytest.raises(CatalogueInvalid):
        parse_catalogue(raw_catalogue(raw_item("DUP0000001"), raw_item("DUP0000001")))


def test_unknown_topic_is_rejected():
    problems = collect_problems(raw_catalogue(raw_item("TOP0000001", topics=["外星事务"])))
    assert len(problems) == 1 and "外星事务" in problems[0] and problems[0].startswith("TOP0000001")


def test_material_without_any_paper_is_rejected():
    problems = collect_problems(raw_catalogue(raw_item("MAT0000001", materials=[{"name": "照片", "originals": 0, "copies": 0}])))
    assert problems and "MAT0000001 materials.0" in problems[0]


def test_charged_fee_needs_standard_and_basis():
    problems = collect_problems(raw_catalogue(raw_item("FEE0000001", fees={"charged": True, "standard": "20元"})))
    assert problems and problems[0].startswith("FEE0000001 fees")


def test_every_problem_is_listed_at_once_with_item_code_and_field():
    raw = raw_catalogue(
        raw_item("ERR0000001", promised_limit={"days": 99}),
        raw_item("ERR0000002", item_type="magic"),
        raw_item("ERR0000003", steps=[]),
        raw_item("ERR0000004"),  # fine
        raw_item("bad code", office=""),
    )
    raw["version"] = 0
    problems = collect_problems(raw)
    assert any(p.startswith("ERR0000001") for p in problems)
    assert any(p.startswith("ERR0000002 item_type") for p in problems)
    assert any(p.startswith("ERR0000003 steps") for p in problems)
    assert any(p.startswith("bad code code") for p in problems)
    assert any(p.startswith("bad code office") for p in problems)
    assert any(p.startswith("(catalogue) version") for p in problems)
    assert not any(p.startswith("ERR0000004") for p in problems)
    with pytest.raises(CatalogueInvalid) as info:
        parse_catalogue(raw)
    assert info.value.problems == problems


def test_top_level_must_be_a_mapping_with_items():
    assert collect_problems(["not", "a", "catalogue"])
    assert any("items" in p for p in collect_problems({"version": 1, "published": "2026-01-01"}))
