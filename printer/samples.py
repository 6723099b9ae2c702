"""Realistic sample slips for the installer's test print, the benchmarks and the tests."""

from __future__ import annotations

from datetime import date, datetime

from bianmin.config import RoomConfig
from bianmin.domain.tracking import check_symbol, tracking_url
from printer.slips import GuideSlip, NoticeMaterial, NoticeSlip, ReceiptSlip, Slip, TicketSlip

SAMPLE_BASE_URL = "http://127.0.0.1:8000"
SAMPLE_TOKEN = "q7Zp3mW9xK2vR8tL5nH1cA"  # 22 URL-safe characters, as new_token() makes
SAMPLE_CODE_BODY = "7KQ2M9XD"
SAMPLE_CODE = SAMPLE_CODE_BODY + check_symbol(SAMPLE_CODE_BODY)
SAMPLE_TIME = datetime(2026, 11, 25, 9, 32)

MATERIALS = [
    NoticeMaterial("居民身份证", originals=1, copies=1, requirement="required", missing=False),
    NoticeMaterial("户口簿", originals=1, copies=1, requirement="required", missing=False),
    NoticeMaterial("近期免冠一寸照片", originals=2, copies=0, requirement="required", missing=True),
    NoticeMaterial("残疾人证", originals=0, copies=1, requirement="optional", missing=False),
    NoticeMaterial("家庭经济状况核对授权书", originals=1, copies=0, requirement="deferrable", missing=True),
]


def sample_url(base_url: str = SAMPLE_BASE_URL) -> str:
    """A tracking URL of the real shape (the installer passes the kiosk's public_base_url)."""
    return tracking_url(base_url, SAMPLE_TOKEN)


def sample_ticket(room: RoomConfig | None = None) -> TicketSlip:
    room = room or RoomConfig()
    return TicketSlip(room_name=room.name, line_label="社保民政", number_text="B012", people_ahead=3,
                      estimated_wait_minutes=15, issued_at=SAMPLE_TIME, window="2")


def sample_receipt(room: RoomConfig | None = None, base_url: str = SAMPLE_BASE_URL) -> ReceiptSlip:
    room = room or RoomConfig()
    return ReceiptSlip(
        room_name=room.name,
        item_name="城乡居民基本养老保险待遇领取资格认证",
        short_code=SAMPLE_CODE,
        tracking_url=sample_url(base_url),
        applicant_name="王秀英",
        phone="13847123456",
        materials_handed_in=["居民身份证（原件1份、复印件1份）", "户口簿（复印件1份）"],
        materials_missing=["近期免冠一寸照片（2张）"],
        promised_days=5,
        promised_date=date(2026, 12, 2),
        registered_at=SAMPLE_TIME,
        agent_on_duty="其其格",
        complaint_phone=room.complaint_phone,
    )


def sample_notice(room: RoomConfig | None = None, base_url: str = SAMPLE_BASE_URL) -> NoticeSlip:
    room = room or RoomConfig()
    return NoticeSlip(
        room_name=room.name,
        item_name="最低生活保障申请",
        materials=MATERIALS,
        where_to_go=f"{room.township}便民服务中心民政窗口（{room.township}政府一楼，周一至周五办公）",
        consult_phone="0471-3312345",
        issued_at=SAMPLE_TIME,
        tracking_url=sample_url(base_url),
    )


def sample_guide(room: RoomConfig | None = None) -> GuideSlip:
    room = room or RoomConfig()
    return GuideSlip(
        room_name=room.name,
        item_name="最低生活保障申请",
        item_type_label="代办件（村代办，乡镇审核）",
        materials=MATERIALS,
        steps=["村民提出申请，代办员登记并核对材料", "村委会入户调查、民主评议并公示7天",
               "代办员将材料报送苏木乡镇审核", "旗县民政局审批，结果在村务公开栏公示"],
        promised_days=20,
        fees="不收费",
        office=f"{room.township}人民政府",
        location=room.address,
        consult_phone="0471-3312345",
    )


SAMPLES = {"ticket": sample_ticket, "receipt": sample_receipt, "notice": sample_notice, "guide": sample_guide}


def sample(kind: str, room: RoomConfig | None = None, base_url: str = SAMPLE_BASE_URL) -> Slip:
    if kind in ("receipt", "notice"):
        return SAMPLES[kind](room, base_url)
    return SAMPLES[kind](room)
