"""`bianmin catalog …`: exit codes and output county staff rely on."""

from __future__ import annotations

import json

import yaml

from bianmin import paths
from bianmin.cli import main
from tests.domain.catalogue_factory import raw_catalogue, raw_item


def write_yaml(path, data):
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_validate_shipped_catalogue_ok(capsys):
    assert main(["catalog", "validate", str(paths.CATALOGUE_FILE)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK: ") and "instant" in out and "remote" in out and "SAMPLE" in out


def test_validate_lists_every_problem_and_exits_1(tmp_path, capsys):
    bad = write_yaml(tmp_path / "bad.yaml", raw_catalogue(
        raw_item("BAD0000001", promised_limit={"days": 50}),
        raw_item("BAD0000002", topics=["不存在"]),
        raw_item("BAD0000002", name="重复"),
    ))
    assert main(["catalog", "validate", str(bad)]) == 1
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("  - ")]
    assert len(lines) == 3
    assert any("BAD0000001 (item)" in line or "BAD0000001" in line and "承诺" in line for line in lines)
    assert any("BAD0000002" in line and "不存在" in line for line in lines)
    assert any("BAD0000002" in line and "重复" in line for line in lines)


def test_validate_missing_and_malformed_files(tmp_path, capsys):
    assert main(["catalog", "validate", str(tmp_path / "nope.yaml")]) == 1
    broken = tmp_path / "broken.yaml"
    broken.write_text("items: [unclosed", encoding="utf-8")
    assert main(["catalog", "validate", str(broken)]) == 1
    err = capsys.readouterr().err
    assert "找不到文件" in err and "YAML" in err


def test_search_one_item_per_line(capsys):
    assert main(["catalog", "search", "sfz", "--catalog", str(paths.CATALOGUE_FILE)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines
    code, name, item_type = lines[0].split("\t")
    assert "身份证" in name and item_type == "proxy" and code.startswith("150000")


def test_search_json(capsys):
    assert main(["catalog", "search", "低保", "--json", "--catalog", str(paths.CATALOGUE_FILE)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["name"] and {"code", "name", "item_type", "score", "matched"} <= set(rows[0])
    assert any(r["name"] == "最低生活保障申请" for r in rows[:3])


def test_search_uses_active_catalogue_by_default(capsys):
    assert main(["catalog", "search", "dibao"]) == 0
    assert "最低生活保障申请" in capsys.readouterr().out


def test_search_without_match_says_so(capsys):
    assert main(["catalog", "search", "火星移民", "--catalog", str(paths.CATALOGUE_FILE)]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and "没有找到" in captured.err


def test_export_then_import_round_trips(tmp_path, capsys):
    from bianmin.domain.catalogue import load_catalogue

    xlsx = tmp_path / "catalogue.xlsx"
    out = tmp_path / "back.yaml"
    assert main(["catalog", "export", "--xlsx", str(xlsx)]) == 0
    assert main(["catalog", "import", str(xlsx), "--out", str(out)]) == 0
    assert load_catalogue(out) == load_catalogue(paths.CATALOGUE_FILE)
    capsys.readouterr()
    assert main(["catalog", "import", str(xlsx)]) == 0  # no --out: YAML on standard output
    printed = yaml.safe_load(capsys.readouterr().out)
    assert len(printed["items"]) == len(load_catalogue(paths.CATALOGUE_FILE).items)


def test_import_of_a_non_workbook_fails_cleanly(tmp_path, capsys):
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")
    assert main(["catalog", "import", str(fake)]) == 1
    assert "xlsx" in capsys.readouterr().err


def test_validate_accepts_an_exported_workbook(tmp_path, capsys):
    xlsx = tmp_path / "c.xlsx"
    assert main(["catalog", "export", "--xlsx", str(xlsx)]) == 0
    assert main(["catalog", "validate", str(xlsx)]) == 0
    assert "OK: " in capsys.readouterr().out
