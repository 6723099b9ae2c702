"""Kiosk health (终端状态): every visible kiosk's last contact, records pending and in
quarantine (with the reasons), software and catalogue version — and the corrections
kiosks sent for applications the agents already work on (change requests).

The numbers come from each kiosk's own report (POST /api/v1/sync/health, kept on the
device row), so the page shows what the kiosk knows, including records the server has
never seen. A kiosk that has not reported for a day is flagged.
"""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter
from fastapi.responses import Response
from sqlalchemy import select

from server.console import deadlines
from server.console.scope import visible_villages
from server.console.web import CtxDep, now, page
from server.models import Application, Device
from server.models.console import AuditEntry

router = APIRouter()
STALE_AFTER = timedelta(hours=24)
CHANGE_REQUESTS_SHOWN = 100


def _local(moment):  # noqa: ANN001, ANN202
    return moment.astimezone(deadlines.LOCAL_TZ).strftime("%Y-%m-%d %H:%M") if moment else ""


@router.get("/kiosks")
def kiosks(ctx: CtxDep) -> Response:
    villages = visible_villages(ctx.db, ctx.user)
    by_id = {v.id: v for v in villages}
    devices = ctx.db.scalars(select(Device).where(Device.village_id.in_(list(by_id) or [-1]),
                                                  Device.revoked.is_(False))
                             .order_by(Device.village_id, Device.id)).all()
    current = now()
    rows = []
    for device in devices:
        health = device.health or {}
        rows.append({
            "id": device.id, "village": by_id[device.village_id].name, "name": device.name,
            "last_seen": _local(device.last_seen_at),
            "stale": device.last_seen_at is None or current - device.last_seen_at > STALE_AFTER,
            "reported": _local(device.health_at), "pending": health.get("pending"),
            "quarantined_total": health.get("quarantined_total", 0),
            "quarantined": health.get("quarantined", []),
            "software": health.get("software_version", ""), "catalogue": health.get("catalogue_version", ""),
        })
    codes = [v.code for v in villages]
    entries = ctx.db.scalars(select(AuditEntry).where(AuditEntry.action == "kiosk_change_request",
                                                      AuditEntry.village_code.in_(codes or ["-"]))
                             .order_by(AuditEntry.id.desc()).limit(CHANGE_REQUESTS_SHOWN)).all()
    app_ids = {int(e.target_id) for e in entries if e.target_id.isdigit()}
    known = set(ctx.db.scalars(select(Application.id).where(Application.id.in_(app_ids or {-1}))))
    requests = [{"at": _local(e.at), "kiosk": e.username, "application": int(e.target_id)
                 if e.target_id.isdigit() and int(e.target_id) in known else None, "note": e.note} for e in entries]
    return page(ctx, "kiosks.html", nav="kiosks", kiosks=rows, change_requests=requests)
