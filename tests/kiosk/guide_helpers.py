"""Helpers for the guide UI tests: find items and rows on the real screens."""

from __future__ import annotations

from kivy.uix.widget import Widget

from tests.kiosk.harness import find


def dibao_items(app) -> list:  # noqa: ANN001
    """Catalogue items a villager means by 低保 (name or keywords)."""
    return [i for i in app.catalogue.items if "低保" in i.name or "最低生活保障" in i.name or "低保" in i.keywords]


def rows(screen: Widget) -> list[Widget]:
    """Visible list rows (each carries the item code it opens)."""
    return [w for w in find(screen, lambda w: hasattr(w, "item_code") and w.__class__.__name__ == "ListRow")
            if w.get_root_window() is not None]


def row_codes(screen: Widget) -> list[str]:
    return [w.item_code for w in rows(screen)]


def texts(screen: Widget) -> str:
    """All label text on a screen, joined (markup included)."""
    return "\n".join(str(getattr(w, "text", "")) for w in screen.walk(restrict=True))
