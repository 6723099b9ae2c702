"""One service item's guide: every field in the order a villager asks about it.

Name and type first, then who may apply and the materials checklist (the guideline's
一次性告知), steps, how long, fees, where it is decided, visits, contacts, result,
legal basis and FAQ. Actions at the bottom (取号 / 申请代办 / 打印指南) appear only
when those features are installed.
"""

from __future__ import annotations

import logging

from kivy.properties import StringProperty
from kivy.utils import escape_markup

from kiosk.screens.base import KioskScreen, load_kv

log = logging.getLogger(__name__)
load_kv(__file__)

LEVELS = ("village", "township", "county")
REQUIREMENT_COLOURS = {"required": "B3261E", "optional": "474747", "deferrable": "156C2D"}
ACTIONS = ("take_number", "apply", "print")


def route_levels(accepted_at: str, decided_at: str) -> list[str]:
    """The levels a case passes through, e.g. village → township → county."""
    start, end = LEVELS.index(accepted_at), LEVELS.index(decided_at)
    return list(LEVELS[start:end + 1]) if end >= start else [accepted_at, decided_at]


def material_lines(app, material) -> tuple[str, str]:  # noqa: ANN001
    """(title, details) of one checklist row, as kv markup."""
    colour = REQUIREMENT_COLOURS[material.requirement]
    mark = app.tr(f"guide.material.{material.requirement}")
    counts = []
    if material.originals:
        counts.append(app.tr("guide.material.originals", count=material.originals))
    if material.copies:
        counts.append(app.tr("guide.material.copies", count=material.copies))
    title = f"□  [b]{escape_markup(material.name)}[/b]   [color={colour}][b]{escape_markup(mark)}[/b][/color]"
    details = " · ".join([*counts, app.tr(f"guide.material.source.{material.source}")])
    if material.notes:
        details += f"\n{material.notes}"
    return title, escape_markup(details)


def guide_slip(app, item):  # noqa: ANN001, ANN201
    from printer.slips import GuideSlip, NoticeMaterial

    fees = (app.tr("guide.fee_charged", standard=item.fees.standard, basis=item.fees.basis)
            if item.fees.charged else app.tr("guide.fee_free"))
    return GuideSlip(
        room_name=app.room_name,
        item_name=item.name,
        item_type_label=app.tr(f"guide.type.{item.item_type}"),
        materials=[NoticeMaterial(m.name, m.originals, m.copies, m.requirement, False) for m in item.materials],
        steps=[s.name for s in item.steps],
        promised_days=item.promised_limit.days,
        fees=f"{fees} {app.tr('guide.proxy_free')}",
        office=item.office,
        location=item.location,
        consult_phone=item.consult_phone,
    )


def guide_rows(app, item) -> list[dict]:  # noqa: ANN001
    """The guide page as rows for RowsBox (kind + label properties), in reading order."""
    from kivy.metrics import sp

    from kiosk.screens.guide_list import item_summary

    tr = app.tr
    rows: list[dict] = []

    def heading(key: str, **fmt: object) -> None:
        rows.append({"kind": "section", "text": tr(key, **fmt)})

    def body(text: str, markup: bool = False, bold: bool = False) -> None:
        rows.append({"kind": "body", "text": text, "markup": markup, "bold": bold})

    rows.append({"kind": "title", "text": item.name + (f"（{item.sub_item}）" if item.sub_item else "")})
    body(item_summary(app, item), bold=True)

    heading("guide.section.type")
    body(tr("guide.type_line", type=tr(f"guide.type.{item.item_type}"), hint=tr(f"guide.type_hint.{item.item_type}")))
    heading("guide.section.applicants")
    body(item.applicants)
    if item.conditions:
        heading("guide.section.conditions")
        body(item.conditions)

    heading("guide.section.materials", count=len(item.materials))
    if not item.materials:
        body(tr("guide.no_materials"))
    small = int(sp(20) * app.text_scale)
    for material in item.materials:
        title, details = material_lines(app, material)
        body(f"{title}\n[size={small}]{details}[/size]", markup=True)

    heading("guide.section.steps")
    for number, step in enumerate(item.steps, start=1):
        line = tr("guide.step", number=number, name=step.name)
        if step.actor and step.time:
            line += tr("guide.step_actor", actor=step.actor, time=step.time)
        elif step.actor:
            line += tr("guide.step_actor_only", actor=step.actor)
        body(line)

    heading("guide.section.time")
    days = item.promised_limit.days
    body(tr("guide.promised", days=days) if days else tr("guide.promised_now"), bold=True)
    body(tr("guide.statutory", days=item.statutory_limit.days))

    heading("guide.section.fees")
    if item.fees.charged:
        body(tr("guide.fee_charged", standard=item.fees.standard, basis=item.fees.basis))
    else:
        body(tr("guide.fee_free"))
    body(tr("guide.proxy_free"), bold=True)

    heading("guide.section.where")
    body(tr("guide.accepted_at", level=tr(f"guide.level.{item.accepted_at}")))
    body(tr("guide.decided_at", level=tr(f"guide.level.{item.decided_at}")))
    body(tr("guide.office", office=item.office))
    route = " → ".join(tr(f"guide.level.{lv}") for lv in route_levels(item.accepted_at, item.decided_at))
    body(tr("guide.route", route=route))

    heading("guide.section.visits")
    body(tr("guide.visits", count=item.visits) if item.visits else tr("guide.visits_zero"))
    body(tr("guide.online_yes") if item.online else tr("guide.online_no"))

    contacts = [("guide.location", item.location), ("guide.hours", item.hours),
                ("guide.consult_phone", item.consult_phone), ("guide.complaint_phone", item.complaint_phone)]
    if any(value for _key, value in contacts):
        heading("guide.section.contact")
        for key, value in contacts:
            if value:
                body(tr(key, value=value))

    heading("guide.section.result")
    body(tr("guide.result", name=item.result.name, type=item.result.type))

    if item.legal_basis:
        heading("guide.section.legal")
        for basis in item.legal_basis:
            body("《" + basis.name + "》" + " ".join(p for p in (basis.number, basis.article) if p))

    if item.faq:
        heading("guide.section.faq")
        for faq in item.faq:
            body(tr("guide.faq_q", question=faq.question), bold=True)
            body(tr("guide.faq_a", answer=faq.answer))

    body(tr("guide.code", code=item.code, version=item.version))
    if app.catalogue is not None and app.catalogue.sample:
        body(tr("guide.sample_note"))
    return rows


class GuideDetailScreen(KioskScreen):
    item_code = StringProperty("")
    title = StringProperty("")
    message = StringProperty("")

    def on_kv_post(self, _base: object) -> None:
        # kv ids are weak references: keep the optional buttons alive while out of the bar.
        self._action_buttons = {key: self.ids[f"{key}_button"].__self__ for key in ACTIONS}
        self.app.bind(catalogue_version=self.invalidate, lang=self.invalidate, text_scale=self.invalidate)

    @property
    def item(self):  # noqa: ANN201
        return self.app.catalogue_item(self.item_code) if self.item_code else None

    def set_params(self, item_code: str = "", scroll: float = 1.0, **_: object) -> None:
        self.item_code = item_code
        self.message = ""
        self._stale = False
        self.refresh()
        self.ids.scroller.scroll_y = scroll

    def clear_inputs(self) -> None:
        self.item_code = ""
        self.message = ""
        self.ids.content.rows = []

    # ----- content -----------------------------------------------------------------
    def refresh(self) -> None:
        app = self.app
        item = self.item
        self.title = item.name if item is not None else app.tr("guide.detail_title")
        self._sync_actions(item)
        if item is None:
            missing = app.tr("guide.loading") if not app.catalogue_ready else app.tr("guide.not_found")
            self.ids.content.rows = [{"kind": "body", "text": missing}] if self.item_code else []
        else:
            self.ids.content.rows = guide_rows(app, item)
        self.refresh_read_aloud()

    # ----- actions -----------------------------------------------------------------
    def _sync_actions(self, item) -> None:  # noqa: ANN001
        app = self.app
        wanted = {
            "take_number": item is not None and app.has_screen("queue_take"),
            "apply": item is not None and item.item_type != "public" and app.has_screen("apply_start"),
            "print": item is not None and app.printer is not None,
        }
        bar = self.ids.actions
        for key in ACTIONS:
            button = self._action_buttons[key]
            if button.parent is not None:
                bar.remove_widget(button)
        for key in ACTIONS:
            if wanted[key]:
                bar.add_widget(self._action_buttons[key])

    def take_number(self) -> None:
        self.app.go("queue_take", item_code=self.item_code)

    def apply(self) -> None:
        self.app.go("apply_start", item_code=self.item_code)

    def print_guide(self) -> None:
        """Queue the guide slip on the runtime's worker (the submit touches the disk)."""
        app, item = self.app, self.item
        printer = app.printer
        if printer is None or item is None:
            return
        slip = guide_slip(app, item)
        self.message = app.tr("guide.printing")

        def failed(_exc: BaseException) -> None:  # the printer must never take the screen down
            self.message = app.tr("guide.print_failed")

        app.runtime.run(lambda: printer.submit(slip), None, failed)

    def scroll_by(self, pages: float) -> None:
        """Move by a fraction of the visible height (the big ↑/↓ buttons)."""
        scroller = self.ids.scroller
        hidden = scroller.children[0].height - scroller.height
        if hidden <= 0:
            return
        step = pages * scroller.height * 0.8 / hidden
        scroller.scroll_y = max(0.0, min(1.0, scroller.scroll_y + step))

    # ----- read aloud ---------------------------------------------------------------
    def read_aloud_text(self) -> str:
        item, tr = self.item, self.app.tr
        if item is None:
            return ""
        days = item.promised_limit.days
        time_text = tr("guide.read_days", days=days) if days else tr("guide.read_now")
        fee = tr("guide.fee_free") if not item.fees.charged else tr(
            "guide.fee_charged", standard=item.fees.standard, basis=item.fees.basis)
        sep = "；" if self.app.lang == "zh_CN" else "; "
        materials = sep.join(
            tr("guide.read_material", name=m.name, originals=m.originals, copies=m.copies)
            for m in item.materials
        )
        key = "guide.read_detail" if materials else "guide.read_detail_none"
        return tr(key, name=item.name, materials=materials, time=time_text, fee=fee)
