"""Slips of a proxy application (回执, 一次性告知单), built from domain data.

The local store (bianmin.local.applications) commits the record and knows nothing of
printers; this module turns the committed record and the catalogue item into slips,
so a reprint always shows the corrected record.
"""

from __future__ import annotations

from datetime import datetime

from bianmin.config import Config
from bianmin.domain.catalogue import ServiceItem
from bianmin.domain.tracking import tracking_url
from bianmin.local.applications import Application
from printer.slips import NoticeMaterial, NoticeSlip, ReceiptSlip


def receipt_slip(application: Application, config: Config) -> ReceiptSlip:
    """The receipt (回执) from the committed record; the layout masks name and phone."""
    return ReceiptSlip(
        room_name=config.room.name,
        item_name=application.item_name,
        short_code=application.short_code,
        tracking_url=tracking_url(config.kiosk.public_base_url, application.token),
        applicant_name=application.applicant_name,
        phone=application.phone,
        materials_handed_in=list(application.materials_brought),
        materials_missing=list(application.materials_missing),
        promised_days=application.promised_days,
        promised_date=application.promised_date,
        registered_at=application.created_at.astimezone(),
        complaint_phone=config.room.complaint_phone,
    )


def notice_slip(item: ServiceItem, brought: list[str] | set[str], config: Config, url: str = "") -> NoticeSlip:
    """一次性告知单: every required (and 容缺后补) material with counts, and which are missing."""
    have = set(brought)
    materials = [
        NoticeMaterial(m.name, m.originals, m.copies, m.requirement, m.requirement != "optional" and m.name not in have)
        for m in item.materials
    ]
    where = "" if item.decided_at == "village" else item.office
    return NoticeSlip(
        room_name=config.room.name,
        item_name=item.name,
        materials=materials,
        where_to_go=where,
        consult_phone=item.consult_phone or config.room.complaint_phone,
        issued_at=datetime.now().astimezone(),
        tracking_url=url,
    )


