"""Service items for application tests (until the sample catalogue is merged, and to stay
independent of its wording)."""

from __future__ import annotations

from bianmin.domain.catalogue import Material, Result, ServiceItem, Step, TimeLimit

ID_CARD = "居民身份证"
HUKOU = "户口簿"
PHOTO = "近期免冠照片"
FORM = "申请表"


def sample_item(needs_id: bool = True, days: int = 5, code: str = "150121TEST0001") -> ServiceItem:
    return ServiceItem(
        code=code,
        name="城乡居民基本养老保险参保登记",
        item_type="proxy",
        topics=["社会保障"],
        decided_at="township",
        office="巴彦苏木便民服务大厅",
        applicants="年满16周岁的城乡居民",
        materials=[
            Material(name=ID_CARD, requirement="required", originals=1, copies=1),
            Material(name=HUKOU, requirement="required", originals=1, copies=1),
            Material(name=PHOTO, requirement="deferrable", originals=2, copies=0),
            Material(name=FORM, requirement="optional", originals=1, copies=0),
        ],
        steps=[Step(name="村代办员受理"), Step(name="苏木审核")],
        statutory_limit=TimeLimit(days=20),
        promised_limit=TimeLimit(days=days),
        result=Result(name="参保登记"),
        consult_phone="0471-5550001",
        needs_id_number=needs_id,
    )
