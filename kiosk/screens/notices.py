"""公开公示: agents on duty (name, position, photo), the week's roster, the rules,
the fee statement, legal fees per item, supervision phones and the county's notices."""

from __future__ import annotations

from kivy.properties import BooleanProperty, ObjectProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.stacklayout import StackLayout

from bianmin.public_notice import PublicNotice, build_public_notice
from kiosk.screens.base import KioskScreen, load_kv

load_kv(__file__)



def _cached(store, name: str) -> dict | None:  # noqa: ANN001
    try:
        from server_client.status import cached_document

        return cached_document(store, name)
    except Exception:  # an unreadable cache shows the screen without a roster
        return None


class NoticesScreen(KioskScreen):
    notice = ObjectProperty(None, allownone=True)
    has_roster = BooleanProperty(False)

    def set_params(self, preview_roster: dict | None = None, **_params: object) -> None:
        self._preview = preview_roster

    def on_pre_enter(self, *args: object) -> None:
        super().on_pre_enter(*args)
        preview = getattr(self, "_preview", None)
        store = self.app.store

        def load() -> tuple:  # the cached documents are SQLite reads: off the UI thread
            roster = preview or _cached(store, "roster")
            notices = preview and preview.get("_notices") or _cached(store, "notices")
            return roster, notices

        self.load_in_background(load, self._show)

    def _show(self, documents: tuple) -> None:
        roster, notices = documents
        self.notice = build_public_notice(self.app.settings, roster, notices, self.app.catalogue)
        self.has_roster = self.notice.has_roster
        self.populate()

    def populate(self) -> None:
        from kiosk.widgets import BodyLabel, TitleLabel

        n: PublicNotice = self.notice
        tr = self.app.tr
        box = self.ids.sections
        box.clear_widgets()

        box.add_widget(TitleLabel(text=tr("notices.on_duty_today")))
        if not n.has_roster:
            box.add_widget(BodyLabel(text=tr("notices.no_roster")))
        elif not n.agents_on_duty:
            box.add_widget(BodyLabel(text=tr("notices.nobody_today")))
        else:
            row = AgentRow()
            for agent in n.agents_on_duty:
                row.add_widget(AgentCardWidget(agent=agent))
            box.add_widget(row)

        if n.week:
            box.add_widget(TitleLabel(text=tr("notices.week_roster")))
            for day in n.week:
                names = "；".join(f"{name} {hours}" for name, hours in day.entries) or tr("notices.no_duty")
                prefix = "▶ " if day.is_today else ""
                box.add_widget(BodyLabel(text=f"{prefix}{tr(f'weekday.{day.weekday}')}：{names}", bold=day.is_today))

        box.add_widget(TitleLabel(text=tr("notices.fees_title")))
        box.add_widget(BodyLabel(text=tr("notices.fee_statement"), bold=True))
        if n.charged_items:
            box.add_widget(BodyLabel(text=tr("notices.legal_fees")))
            for name, standard in n.charged_items:
                box.add_widget(BodyLabel(text=f"· {name}：{standard}"))

        box.add_widget(TitleLabel(text=tr("notices.rules_title")))
        for key in n.rule_keys:
            box.add_widget(BodyLabel(text=f"【{tr(f'notices.rule.{key}.title')}】{tr(f'notices.rule.{key}.body')}"))

        box.add_widget(TitleLabel(text=tr("notices.phones_title")))
        box.add_widget(BodyLabel(text=tr("notices.phones", complaint=n.complaint_phone, supervision=n.supervision_phone)))

        if n.notices:
            box.add_widget(TitleLabel(text=tr("notices.county_notices")))
            for title, body in n.notices:
                box.add_widget(BodyLabel(text=f"【{title}】{body}"))
        self.ids.scroller.scroll_y = 1

    def read_aloud_text(self) -> str:
        n = self.notice
        if n is None:
            return ""
        tr = self.app.tr
        parts = [tr("notices.fee_statement")]
        if n.agents_on_duty:
            parts.insert(0, tr("notices.read_on_duty", names="、".join(f"{a.position}{a.name}" for a in n.agents_on_duty)))
        parts.append(tr("notices.phones", complaint=n.complaint_phone, supervision=n.supervision_phone))
        return "。".join(parts)

    def clear_inputs(self) -> None:
        self._preview = None

class AgentRow(StackLayout):
    """Agent cards side by side, wrapping onto more rows in 大字 mode."""


class AgentCardWidget(BoxLayout):
    """Photo (or the surname in a circle when no photo was downloaded), name, position, hours."""

    agent = ObjectProperty(None)
