"""投诉箱 at the kiosk: a category, what happened (pinyin keyboard), an optional phone.

The complaint is committed locally (``bianmin.local.feedback``) and goes through
the outbox to the server, which routes it to the township supervisors of this
village — never to the agent complained about.
"""

from __future__ import annotations

import logging

from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from bianmin.local import feedback
from kiosk.screens.base import KioskScreen, load_kv

load_kv(__file__)

COMPLAINT_DAYS = 5
log = logging.getLogger(__name__)


class ComplainScreen(KioskScreen):
    category = StringProperty("")
    text = StringProperty("")
    contact = StringProperty("")
    message_key = StringProperty("")
    done = BooleanProperty(False)
    editing = StringProperty("text")  # which field the on-screen keyboard/pad types into
    keyboard_height = NumericProperty(0)

    def __init__(self, **kwargs):
        self.keyboard = None  # set before super(): on_kv_post runs inside it
        super().__init__(**kwargs)

    def on_kv_post(self, *_args: object) -> None:
        self._attach_keyboard()

    def _attach_keyboard(self) -> None:
        """The pinyin keyboard (from the applications work) types into ``text``."""
        if self.keyboard is not None:
            return
        try:
            from kiosk.pinyin_keyboard import PinyinKeyboard
        except ImportError:
            log.exception("no pinyin keyboard")
            return
        self.keyboard = PinyinKeyboard(max_length=feedback.MAX_COMPLAINT_TEXT, size_hint_y=None)
        self.keyboard.bind(minimum_height=self.keyboard.setter("height"))
        self.keyboard.bind(height=self.setter("keyboard_height"))
        self.keyboard.bind(text=lambda _k, value: setattr(self, "text", value))
        self.on_editing(self, self.editing)

    def on_editing(self, _inst: object, editing: str) -> None:
        """Only a shown keyboard is in the widget tree: a hidden one would still catch touches."""
        keyboard = self.keyboard
        if keyboard is None or "keyboard_box" not in self.ids:
            return
        show = editing == "text" and not self.done
        if show and keyboard.parent is None:
            self.ids.keyboard_box.add_widget(keyboard)
        elif not show and keyboard.parent is not None:
            keyboard.parent.remove_widget(keyboard)

    def on_done(self, _inst: object, _done: bool) -> None:
        self.on_editing(self, self.editing)

    def on_pre_enter(self, *args: object) -> None:
        super().on_pre_enter(*args)
        self._attach_keyboard()

    def set_params(self, **params: object) -> None:
        self._attach_keyboard()
        self.clear_inputs()
        self.app.request_sync()  # upload soon; the record is already safe on disk

    def clear_inputs(self) -> None:
        self.category = ""
        self.text = ""
        self.contact = ""
        self.message_key = ""
        self.done = False
        self.editing = "text"
        if self.keyboard is not None:
            self.keyboard.reset()

    def read_aloud_text(self) -> str:
        return self.app.tr("complaint.read_aloud")

    def choose(self, category: str) -> None:
        self.category = category
        self.message_key = ""

    def press_digit(self, digit: str) -> None:
        if len(self.contact) < 12:
            self.contact += digit

    def backspace_digit(self) -> None:
        self.contact = self.contact[:-1]

    def submit(self) -> None:
        data = feedback.ComplaintInput(category=self.category, text=self.text, contact=self.contact)
        try:
            feedback.save_complaint(self.app.store, self.app.settings.room.code, data)
        except feedback.FeedbackError as exc:
            self.message_key = exc.key
            return
        self.done = True
        self.text = ""
        self.contact = ""
        if self.keyboard is not None:
            self.keyboard.reset()
