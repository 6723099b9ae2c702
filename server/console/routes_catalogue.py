"""Catalogue management for county admins: edit an item, import/export, publish a version.

Every save publishes a new immutable `CatalogueVersion`; kiosks pick it up on their
next sync (ETag changes). Items are validated with the same pydantic schema the
kiosk and the CLI use, and every problem is shown at once.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import ValidationError

from bianmin.domain import catalogue_xlsx
from bianmin.domain.catalogue import Catalogue, CatalogueInvalid
from server.console import catalogue_import, catalogue_view, uploads
from server.console.audit import record
from server.console.scope import COUNTY_ADMIN, require_role
from server.console.web import Ctx, CtxDep, Refused, field, form_of, page, redirect
from server.models import CatalogueVersion

router = APIRouter()
UPLOAD_MAX_BYTES = uploads.CATALOGUE_MAX_BYTES


def _current(ctx: Ctx) -> tuple[CatalogueVersion | None, Catalogue | None]:
    row = catalogue_view.latest_version(ctx.db)
    if row is None:
        return None, None
    try:
        return row, Catalogue.model_validate(row.body)
    except ValidationError:
        return row, None


def publish(db, catalogue: Catalogue, note: str, by: str) -> CatalogueVersion:  # noqa: ANN001
    """Store `catalogue` as the next version through feat/server's publisher (sets the ETag)."""
    from sqlalchemy import func, select

    from server.services.content import publish_catalogue

    newest = db.scalar(select(func.max(CatalogueVersion.version))) or 0
    body = catalogue.model_copy(update={"version": newest + 1, "published": date.today()}).model_dump(mode="json")
    return publish_catalogue(db, body, note=note[:200], by=by[:80])


def _problems(exc: ValidationError) -> list[str]:
    return [f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()][:50]


def _page(ctx: Ctx, status: int = 200, error: str = "", problems: list[str] | None = None) -> Response:
    row, cat = _current(ctx)
    return page(ctx, "catalogue.html", status=status, nav="catalogue", version=row, items=cat.items if cat else [],
                error=error, problems=problems or [])


@router.get("/catalogue")
def catalogue_page(ctx: CtxDep) -> Response:
    require_role(ctx, COUNTY_ADMIN)
    return _page(ctx)


@router.get("/catalogue.xlsx")
def export(ctx: CtxDep) -> Response:
    """The current version in the CLI's workbook format (feat/catalogue's catalogue_xlsx)."""
    require_role(ctx, COUNTY_ADMIN)
    row, cat = _current(ctx)
    if cat is None:
        raise Refused(404, "console.catalogue.none")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "catalogue.xlsx"
        catalogue_xlsx.export_xlsx(cat, path)
        body = path.read_bytes()
    return Response(body, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="catalogue-v{row.version}.xlsx"',
                             "Cache-Control": "no-store"})


@router.post("/catalogue/import")
async def import_catalogue(ctx: CtxDep) -> Response:
    require_role(ctx, COUNTY_ADMIN)
    form = await form_of(ctx)
    upload = form.get("file")
    data = await upload.read(UPLOAD_MAX_BYTES + 1) if hasattr(upload, "read") else b""
    name = (getattr(upload, "filename", "") or "").lower()
    if not data:
        return _page(ctx, 400, ctx.t("console.catalogue.file_missing"))
    if len(data) > UPLOAD_MAX_BYTES:
        return _page(ctx, 413, ctx.t("console.catalogue.file_too_big", mb=UPLOAD_MAX_BYTES // uploads.MIB))
    try:
        cat = catalogue_import.parse_upload(name, data)
    except catalogue_import.TooLarge as exc:
        return _page(ctx, 413, ctx.t(exc.key, **exc.fmt))
    except CatalogueInvalid as exc:
        return _page(ctx, 400, ctx.t("console.catalogue.invalid"), exc.problems[:100])
    except Exception as exc:  # unreadable file of any kind: explain, never a 500
        return _page(ctx, 400, ctx.t("console.catalogue.unreadable", detail=str(exc)[:200]))
    row = publish(ctx.db, cat, field(form, "note", 200), ctx.user.username)
    record(ctx.db, ctx.user, "catalogue_published", "catalogue", str(row.version), note=f"import {len(cat.items)}")
    ctx.db.commit()
    return redirect("/catalogue", "published")


def _find(cat: Catalogue | None, code: str):  # noqa: ANN202
    item = next((i for i in cat.items if i.code == code), None) if cat else None
    if item is None:
        raise Refused(404, "console.catalogue.no_item")
    return item


def _item_form(item) -> dict:  # noqa: ANN001
    return {"name": item.name, "office": item.office, "statutory_days": item.statutory_limit.days,
            "promised_days": item.promised_limit.days, "conditions": item.conditions, "location": item.location}


@router.get("/catalogue/items/{code}")
def item_page(code: str, ctx: CtxDep) -> Response:
    require_role(ctx, COUNTY_ADMIN)
    _row, cat = _current(ctx)
    item = _find(cat, code[:40])
    return page(ctx, "catalogue_item.html", nav="catalogue", item=item, form=_item_form(item))


@router.post("/catalogue/items/{code}")
async def save_item(code: str, ctx: CtxDep) -> Response:
    require_role(ctx, COUNTY_ADMIN)
    form = await form_of(ctx)
    _row, cat = _current(ctx)
    item = _find(cat, code[:40])
    values = {k: field(form, k, 2000, multiline=k == "conditions")
              for k in ("name", "office", "statutory_days", "promised_days", "conditions", "location")}
    errors: list[str] = []
    days = {}
    for key in ("statutory_days", "promised_days"):
        if not (values[key].isascii() and values[key].isdigit()) or int(values[key]) > 365:
            errors.append(ctx.t("console.catalogue.bad_days", field=ctx.t("console.catalogue." + key)))
        else:
            days[key] = int(values[key])
    if not errors:
        try:
            data = item.model_dump()
            data.update(name=values["name"], office=values["office"], conditions=values["conditions"], location=values["location"],
                        statutory_limit={"days": days["statutory_days"]}, promised_limit={"days": days["promised_days"]},
                        version=item.version + 1)
            new_item = type(item).model_validate(data)
            new_cat = Catalogue.model_validate({**cat.model_dump(), "items": [new_item.model_dump() if i.code == item.code else i.model_dump() for i in cat.items]})
        except ValidationError as exc:
            errors += _problems(exc)
    if errors:
        form_values = {**_item_form(item), **values}
        return page(ctx, "catalogue_item.html", status=400, nav="catalogue", item=item, form=form_values, error="；".join(errors))
    row = publish(ctx.db, new_cat, field(form, "note", 200) or f"{item.code}", ctx.user.username)
    record(ctx.db, ctx.user, "catalogue_published", "catalogue", str(row.version), note=f"edit {item.code}")
    ctx.db.commit()
    return redirect("/catalogue", "published")
