"""办事指南 entry: browse by item type or by topic (tiles with counts), or go to search."""

from __future__ import annotations

from collections import Counter

from bianmin.domain.catalogue import ITEM_TYPES, TOPICS
from kiosk.screens.base import KioskScreen, load_kv

load_kv(__file__)


class GuideBrowseScreen(KioskScreen):
    def on_kv_post(self, _base: object) -> None:
        self._stale = True
        self.app.bind(catalogue_version=self.invalidate, lang=self.invalidate, text_scale=self.invalidate)

    def counts(self) -> tuple[Counter, Counter]:
        items = self.app.catalogue_items()
        by_type = Counter(item.item_type for item in items)
        by_topic = Counter(topic for item in items for topic in item.topics)
        return by_type, by_topic

    def refresh(self) -> None:
        from kiosk.widgets import TileButton, tile_text

        app = self.app
        types_grid, topics_grid = self.ids.types_grid, self.ids.topics_grid
        types_grid.clear_widgets()
        topics_grid.clear_widgets()
        has_items = bool(app.catalogue_items())
        self.ids.status.text = "" if has_items else (
            app.tr("guide.loading") if not app.catalogue_ready else app.tr("guide.no_catalogue"))
        self.ids.search_entry.disabled = not has_items
        if not has_items:
            self.refresh_read_aloud()
            return
        by_type, by_topic = self.counts()
        scale = app.text_scale
        for item_type in ITEM_TYPES:
            if not by_type[item_type]:
                continue
            tile = TileButton(tone="primary")
            tile.text = tile_text(
                app.tr(f"guide.type.{item_type}"),
                f"{app.tr(f'guide.type_hint.{item_type}')} · {app.tr('guide.count', count=by_type[item_type])}",
                scale,
            )
            tile.bind(on_release=lambda _b, t=item_type: app.go("guide_list", item_type=t))
            types_grid.add_widget(tile)
        # Topics in the catalogue schema's order, then any others the county added.
        topics = [t for t in TOPICS if by_topic[t]] + sorted(t for t in by_topic if t not in TOPICS)
        for topic in topics:
            tile = TileButton(tone="secondary")
            tile.text = tile_text(app.tr(f"topic.{topic}"), app.tr("guide.count", count=by_topic[topic]), scale)
            tile.bind(on_release=lambda _b, t=topic: app.go("guide_list", topic=t))
            topics_grid.add_widget(tile)
        self.refresh_read_aloud()

    def read_aloud_text(self) -> str:
        return self.app.tr("guide.read_browse") if self.app.catalogue_items() else ""
