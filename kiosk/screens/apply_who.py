"""Application wizard, step 2: name (pinyin keyboard), phone and ID (number pad), note.

Every keystroke goes straight into the draft, so back/forward and validation errors
never lose text; each field shows in plain Chinese what is wrong with it.
"""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from kiosk.pinyin_keyboard import NumberPad, PinyinKeyboard
from kiosk.screens.apply_common import FieldBox, draft
from kiosk.screens.base import KioskScreen, load_kv

load_kv(__file__)

FIELDS = ("name", "phone", "id_number", "note")
LABELS = {"name": "apply.field_name", "phone": "apply.field_phone", "id_number": "apply.field_id", "note": "apply.field_note"}
MAX_LENGTH = {"name": 40, "phone": 12, "id_number": 18, "note": 100}


class ApplyWhoScreen(KioskScreen):
    active_field = StringProperty("")
    needs_id = BooleanProperty(False)
    summary_error = StringProperty("")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.pinyin = PinyinKeyboard()
        self.numpad = NumberPad()
        self.pinyin.bind(on_change=self._typed, on_confirm=self._confirmed)
        self.numpad.bind(on_change=self._typed, on_confirm=self._confirmed)
        self.fields: dict[str, FieldBox] = {}

    def on_pre_enter(self, *args: object) -> None:
        super().on_pre_enter(*args)
        self.needs_id = draft.needs_id
        self._build_fields()
        first_error = next((f for f in self.visible_fields() if f in draft.errors), None)
        self.focus(first_error or ("name" if not draft.name else self.active_field or "name"))

    def visible_fields(self) -> list[str]:
        return [f for f in FIELDS if f != "id_number" or draft.needs_id]

    def _build_fields(self) -> None:
        box = self.ids.fields
        box.clear_widgets()
        self.fields = {}
        for name in self.visible_fields():
            field = FieldBox(field=name, label=self.app.tr(LABELS[name]), hint=self.app.tr("apply.tap_to_type"))
            if name == "id_number":
                field.help_text = self.app.tr("apply.id_help")
            field.bind(on_release=lambda f: self.focus(f.field))
            self.fields[name] = field
            box.add_widget(field)
        self._show_values()

    def _show_values(self) -> None:
        for name, field in self.fields.items():
            field.value = getattr(draft, name)
            field.error = self.app.tr(draft.errors[name]) if name in draft.errors else ""
            field.active = name == self.active_field
            field.pending = self.pinyin.preedit.replace(" ", "") if field.active and self._uses_pinyin(name) else ""

    @staticmethod
    def _uses_pinyin(name: str) -> bool:
        return name in ("name", "note")

    def focus(self, name: str) -> None:
        """Make a field the one the keyboard types into (pending pinyin is committed first)."""
        if name not in self.visible_fields():
            name = "name"
        if self.active_field and self.active_field != name and self._uses_pinyin(self.active_field):
            self._commit_pending()
        self.active_field = name
        area = self.ids.keyboard_area
        area.clear_widgets()
        if self._uses_pinyin(name):
            keyboard = self.pinyin
            keyboard.max_length = MAX_LENGTH[name]
        else:
            keyboard = self.numpad
            keyboard.allow_x = name == "id_number"
            keyboard.max_length = MAX_LENGTH[name]
        self._loading = True
        keyboard.set_text(getattr(draft, name))
        self._loading = False
        area.add_widget(keyboard)
        self._show_values()

    def _commit_pending(self) -> None:
        if self.pinyin.composer.letters and self.pinyin.candidates:
            self.pinyin.choose(self.pinyin.candidates[0])

    def _typed(self, keyboard) -> None:  # noqa: ANN001
        if getattr(self, "_loading", False) or not self.active_field:
            return
        draft.set_field(self.active_field, keyboard.text)
        self.summary_error = ""
        self._show_values()

    def _confirmed(self, _keyboard) -> None:  # noqa: ANN001
        order = self.visible_fields()
        index = order.index(self.active_field) if self.active_field in order else -1
        if index + 1 < len(order):
            self.focus(order[index + 1])

    def next_step(self) -> None:
        if self.active_field and self._uses_pinyin(self.active_field):
            self._commit_pending()
        if draft.validate_who():
            self.summary_error = ""
            self.app.go("apply_consent")
        else:
            self.summary_error = "apply.fix_errors"
            first = next((f for f in self.visible_fields() if f in draft.errors), self.active_field)
            self.focus(first)

    def clear_inputs(self) -> None:
        draft.clear()
        self.pinyin.reset()
        self.numpad.reset()
        self.active_field = ""
        self.summary_error = ""
        for field in self.fields.values():
            field.value = field.pending = field.error = ""

    def read_aloud_text(self) -> str:
        return self.app.tr("apply.step_who")
