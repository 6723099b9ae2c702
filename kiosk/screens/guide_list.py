"""A list of service items: one item type, one topic, or search results; paged with big rows.

Paging (not free scrolling) because elderly villagers find two big buttons easier
than a fling gesture; large-text mode shows fewer rows per page.
"""

from __future__ import annotations

from kivy.properties import NumericProperty, StringProperty
from kivy.utils import escape_markup

from kiosk.screens.base import KioskScreen, load_kv

load_kv(__file__)

ROWS_PER_PAGE = 5
ROWS_PER_PAGE_LARGE = 4
SEARCH_LIMIT = 200


def item_summary(app, item) -> str:  # noqa: ANN001
    """The second line of a row: type · promised days · free/charged."""
    days = item.promised_limit.days
    time_text = app.tr("guide.row_days", days=days) if days else app.tr("guide.row_on_the_spot")
    fee = app.tr("guide.charged") if item.fees.charged else app.tr("guide.free")
    return f"{app.tr(f'guide.type.{item.item_type}')} · {time_text} · {fee}"


class GuideListScreen(KioskScreen):
    item_type = StringProperty("")
    topic = StringProperty("")
    query = StringProperty("")
    page = NumericProperty(0)
    pages = NumericProperty(1)
    title = StringProperty("")

    def on_kv_post(self, _base: object) -> None:
        self.app.bind(catalogue_version=self.invalidate, lang=self.invalidate, large_text=self.invalidate)

    def set_params(self, item_type: str = "", topic: str = "", query: str = "", **_: object) -> None:
        self.item_type, self.topic, self.query = item_type, topic, query
        self.page = 0
        self._stale = False
        self.refresh()

    def clear_inputs(self) -> None:
        self.item_type = self.topic = self.query = ""
        self.page = 0
        self.ids.rows.clear_widgets()

    def rows_per_page(self) -> int:
        return ROWS_PER_PAGE_LARGE if self.app.large_text else ROWS_PER_PAGE

    def items(self) -> list:
        app = self.app
        items = app.catalogue_items()
        if not items:
            return []
        if self.query:
            return [hit.item for hit in app.search.search(self.query, SEARCH_LIMIT)] if app.search else []
        if self.item_type:
            return [i for i in items if i.item_type == self.item_type]
        if self.topic:
            return [i for i in items if self.topic in i.topics]
        return items

    def make_title(self) -> str:
        app = self.app
        if self.query:
            return app.tr("guide.list_search", query=self.query)
        if self.item_type:
            return app.tr("guide.list_type", type=app.tr(f"guide.type.{self.item_type}"))
        if self.topic:
            return app.tr(f"topic.{self.topic}")
        return app.tr("guide.title")

    def page_items(self) -> list:
        per = self.rows_per_page()
        return self.items()[self.page * per:(self.page + 1) * per]

    def turn(self, delta: int) -> None:
        self.page = max(0, min(self.pages - 1, self.page + delta))
        self.refresh()

    def refresh(self) -> None:
        from kivy.metrics import sp

        from kiosk.widgets import ListRow

        app = self.app
        self.title = self.make_title()
        items = self.items()
        per = self.rows_per_page()
        self.pages = max(1, -(-len(items) // per))
        self.page = min(self.page, self.pages - 1)
        rows = self.ids.rows
        rows.clear_widgets()
        if not app.catalogue_ready:
            self.ids.status.text = app.tr("guide.loading")
        elif not app.catalogue_items():
            self.ids.status.text = app.tr("guide.no_catalogue")
        elif not items:
            self.ids.status.text = app.tr("guide.list_empty")
        else:
            self.ids.status.text = ""
        small = int(sp(20) * app.text_scale)
        for item in items[self.page * per:(self.page + 1) * per]:
            row = ListRow()
            row.item_code = item.code
            row.text = (f"[b]{escape_markup(item.name)}[/b]\n"
                        f"[size={small}]{escape_markup(item_summary(app, item))}[/size]")
            row.bind(on_release=lambda _r, code=item.code: app.go("guide_detail", item_code=code))
            rows.add_widget(row)
        self.refresh_read_aloud()

    def read_aloud_text(self) -> str:
        names = [item.name for item in self.page_items()]
        if not names:
            return ""
        sep = "、" if self.app.lang == "zh_CN" else ", "
        return self.app.tr("guide.read_list", title=self.title, count=len(self.items()), names=sep.join(names))
