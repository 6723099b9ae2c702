"""The Excel mapping county staff edit: round trip, Chinese headers, every problem reported."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from bianmin.domain.catalogue import CatalogueInvalid, parse_catalogue
from bianmin.domain.catalogue_xlsx import export_xlsx, import_xlsx
from tests.domain.catalogue_factory import raw_catalogue, raw_item


@pytest.fixture
def small():
    raw = raw_catalogue(
        raw_item("XL00000001", "最低生活保障申请", keywords=["低保", "db"], topics=["民政救助", "社会保障"],
                 materials=[{"name": "居民身份证", "originals": 1, "copies": 1},
                            {"name": "户口簿", "requirement": "deferrable", "copies": 1, "source": "other",
                             "notes": "户主页", "form": "forms/a.pdf"}],
                 steps=[{"name": "受理", "actor": "代办员", "time": "即时"}, {"name": "审批", "actor": "苏木乡镇", "time": "15日"}],
                 legal_basis=[{"name": "社会救助暂行办法", "number": "国务院令第649号", "article": "第九条"}],
                 faq=[{"question": "多久？", "answer": "25个工作日"}],
                 fees={"charged": True, "standard": "20元", "basis": "某文件"}, needs_id_number=True,
                 consult_phone="04701234567", effective_date="2026-03-01"),
        raw_item("00000000XX", "居住证明", item_type="instant", decided_at="village", topics=["证明开具"],
                 statutory_limit={"days": 1}, promised_limit={"days": 0}, materials=[]),
    )
    raw.update(title="测试目录", sample=True, note="示例")
    return parse_catalogue(raw)


def test_round_trip_is_exact(tmp_path, small):
    path = tmp_path / "c.xlsx"
    export_xlsx(small, path)
    assert import_xlsx(path) == small


def test_sheets_and_headers_are_in_chinese(tmp_path, small):
    path = tmp_path / "c.xlsx"
    export_xlsx(small, path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["目录信息", "事项", "申请材料", "办理流程", "设定依据", "常见问题"]
    header = [c.value for c in wb["事项"][1]]
    assert header[:3] == ["事项编码", "事项名称", "子项名称"]
    assert "承诺办结时限（工作日）" in header
    row = {h: c.value for h, c in zip(header, wb["事项"][2], strict=True)}
    assert row["事项类型"] == "代办" and row["决定层级"] == "苏木乡镇" and row["是否收费"] == "是"
    assert row["检索关键词"] == "低保、db" and row["咨询电话"] == "04701234567"
    assert wb["事项"]["A3"].value == "00000000XX"  # kept as text, leading zeros intact
    material = [c.value for c in wb["申请材料"][3]]
    assert material[:4] == ["XL00000001", 2, "户口簿", "容缺后补"]


def test_staff_edits_are_read_back(tmp_path, small):
    path = tmp_path / "c.xlsx"
    export_xlsx(small, path)
    wb = load_workbook(path)
    ws = wb["事项"]
    header = [c.value for c in ws[1]]
    col = {h: i + 1 for i, h in enumerate(header)}
    ws.cell(row=2, column=col["事项类型"], value="proxy")  # the code works as well as the label
    ws.cell(row=2, column=col["承诺办结时限（工作日）"], value=8)
    ws.cell(row=2, column=col["检索关键词"], value="低保，吃低保")  # full-width comma tolerated
    steps = wb["办理流程"]
    steps.cell(row=2, column=2, value=3)  # move 受理 after 审批 by 序号
    wb.save(path)
    item = import_xlsx(path).items[0]
    assert item.promised_limit.days == 8
    assert item.keywords == ["低保", "吃低保"]
    assert [s.name for s in item.steps] == ["审批", "受理"]


def test_every_problem_in_a_workbook_is_reported(tmp_path, small):
    path = tmp_path / "c.xlsx"
    export_xlsx(small, path)
    wb = load_workbook(path)
    ws = wb["事项"]
    header = [c.value for c in ws[1]]
    col = {h: i + 1 for i, h in enumerate(header)}
    ws.cell(row=2, column=col["事项类型"], value="随便办")
    ws.cell(row=2, column=col["版本"], value="二")
    ws.cell(row=3, column=col["是否网办"], value="也许")
    wb["申请材料"].cell(row=2, column=1, value="NOSUCHCODE")
    wb.save(path)
    with pytest.raises(CatalogueInvalid) as info:
        import_xlsx(path)
    text = "\n".join(info.value.problems)
    assert len(info.value.problems) == 4, text
    assert "第2行 事项类型" in text and "随便办" in text
    assert "第2行 版本" in text and "第3行 是否网办" in text and "NOSUCHCODE" in text


def test_schema_problems_name_the_item_code(tmp_path, small):
    path = tmp_path / "c.xlsx"
    export_xlsx(small, path)
    wb = load_workbook(path)
    ws = wb["事项"]
    header = [c.value for c in ws[1]]
    ws.cell(row=3, column=header.index("承诺办结时限（工作日）") + 1, value=5)
    wb.save(path)
    with pytest.raises(CatalogueInvalid) as info:
        import_xlsx(path)
    assert any(p.startswith("00000000XX") and "承诺时限" in p for p in info.value.problems)


def test_missing_sheet_is_reported(tmp_path, small):
    path = tmp_path / "c.xlsx"
    export_xlsx(small, path)
    wb = load_workbook(path)
    del wb["办理流程"]
    wb.save(path)
    with pytest.raises(CatalogueInvalid) as info:
        import_xlsx(path)
    assert "办理流程" in info.value.problems[0]
