"""Sized imports and reachable upload limits (issue 14).

A 389 KB workbook unpacking to a million rows took 183 s of CPU and 650 MB; a 3 MB
photo got a raw JSON 413 because the routes' 3 and 5 MiB limits sat under the
server's global 2 MiB one. Each refusal is now a console page naming its limit.
"""

from __future__ import annotations

import io
import os
import zipfile

from PIL import Image
from sqlalchemy import select

from server.models import Agent
from tests.console.conftest import csrf_of, sign_in


def _valid_workbook(admin) -> bytes:  # noqa: ANN001
    exported = admin.get("/console/catalogue.xlsx")
    assert exported.status_code == 200
    return exported.content


def _with_sheet(workbook: bytes, sheet_xml: bytes, sheet: str = "xl/worksheets/sheet2.xml") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for entry in src.infolist():
            dst.writestr(entry.filename, sheet_xml if entry.filename == sheet else src.read(entry.filename))
    return out.getvalue()


def _sheet(rows: int, dimension: str | None = None, numbered: bool = True) -> bytes:
    head = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    if dimension:
        head += f'<dimension ref="{dimension}"/>'.encode()
    if numbered:
        body = "".join(f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>x{i}</t></is></c></row>' for i in range(1, rows + 1)).encode()
    else:  # row and cell references are optional: identical rows compress to almost nothing
        body = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * rows
    return head + b"<sheetData>" + body + b"</sheetData></worksheet>"


def _import(admin, content: bytes, name: str = "catalogue.xlsx"):  # noqa: ANN001, ANN202
    token = csrf_of(admin.get("/console/catalogue").text)
    return admin.post("/console/catalogue/import", data={"csrf": token},
                      files={"file": (name, content, "application/octet-stream")})


def _readable(response, *words: str) -> None:  # noqa: ANN001
    assert response.headers["content-type"].startswith("text/html"), response.text[:200]
    for word in words:
        assert word in response.text, (word, response.text[-1500:])


def test_a_million_row_workbook_is_refused_by_its_unpacked_size(client, world) -> None:  # noqa: ANN001
    admin = sign_in(client.app, world.users["admin"])
    bomb = _with_sheet(_valid_workbook(admin), _sheet(1_000_000, numbered=False))
    assert len(bomb) < 500_000  # small on the wire
    r = _import(admin, bomb)
    assert r.status_code == 413
    _readable(r, "解压后大小", "未导入")


def test_a_declared_dimension_past_the_row_limit_is_refused_before_reading(client, world) -> None:  # noqa: ANN001
    admin = sign_in(client.app, world.users["admin"])
    r = _import(admin, _with_sheet(_valid_workbook(admin), _sheet(3, dimension="A1:C900000")))
    assert r.status_code == 413
    _readable(r, "行数")


def test_rows_past_the_limit_are_refused_while_streaming(client, world) -> None:  # noqa: ANN001
    admin = sign_in(client.app, world.users["admin"])
    r = _import(admin, _with_sheet(_valid_workbook(admin), _sheet(12_000)))
    assert r.status_code == 413
    _readable(r, "行数", "10000")


def test_yaml_aliases_are_refused(client, world) -> None:  # noqa: ANN001
    admin = sign_in(client.app, world.users["admin"])
    laughs = b"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nitems: [*b, *b, *b]\n"
    r = _import(admin, laughs, "catalogue.yaml")
    assert r.status_code == 400
    _readable(r, "别名")


def _agent_and_token(client, sessions, world):  # noqa: ANN001, ANN202
    township = sign_in(client.app, world.users["township"])
    with sessions() as s:
        agent_id = s.scalar(select(Agent.id).where(Agent.village_id == world.a.id).order_by(Agent.id))
    return township, agent_id, csrf_of(township.get("/console/people").text)


def test_a_3_mb_phone_photo_is_accepted(client, sessions, world) -> None:  # noqa: ANN001
    township, agent_id, token = _agent_and_token(client, sessions, world)
    png = io.BytesIO()
    Image.frombytes("RGB", (1000, 1000), os.urandom(3_000_000)).save(png, "PNG")
    assert png.tell() > 3_000_000
    r = township.post(f"/console/people/{agent_id}/photo", data={"csrf": token},
                      files={"photo": ("phone.png", png.getvalue(), "image/png")})
    assert r.status_code == 303, r.text[:300]


def test_a_photo_over_the_limit_gets_a_console_page_not_json(client, sessions, world) -> None:  # noqa: ANN001
    township, agent_id, token = _agent_and_token(client, sessions, world)
    r = township.post(f"/console/people/{agent_id}/photo", data={"csrf": token},
                      files={"photo": ("huge.jpg", b"\xff" * (9 * 1024 * 1024), "image/jpeg")})
    assert r.status_code == 413
    _readable(r, "照片太大", "8 MB")
    assert '"detail"' not in r.text
