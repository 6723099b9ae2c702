"""好差评 at the kiosk: five levels; 不满意/非常不满意 ask for a reason.

For one application (``application_uuid``, reached from 查询进度 after
completion) or for the room's service in general (from Home). The record is
committed locally by ``bianmin.local.feedback`` and leaves through the outbox.
"""

from __future__ import annotations

from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty

from bianmin.local import feedback
from kiosk.screens.base import KioskScreen, load_kv

load_kv(__file__)


class RateScreen(KioskScreen):
    level = NumericProperty(0)  # 0 = not chosen yet
    reasons = ListProperty([])
    text = StringProperty("")
    application_uuid = StringProperty("")
    item_name = StringProperty("")
    message_key = StringProperty("")
    done_key = StringProperty("")  # set after a successful save: the thanks text
    bad = BooleanProperty(False)  # a 差评 level is chosen: reasons are shown and required
    writing = BooleanProperty(False)  # the pinyin keyboard is open for the optional text
    keyboard_height = NumericProperty(0)

    def __init__(self, **kwargs):
        self.keyboard = None  # set before super(): on_kv_post runs inside it
        super().__init__(**kwargs)

    def on_kv_post(self, *_args: object) -> None:
        """The optional words are typed with the pinyin keyboard from the applications work."""
        try:
            from kiosk.pinyin_keyboard import PinyinKeyboard
        except ImportError:
            return
        self.keyboard = PinyinKeyboard(max_length=feedback.MAX_TEXT, size_hint_y=None)
        self.keyboard.bind(minimum_height=self.keyboard.setter("height"))
        self.keyboard.bind(height=self.setter("keyboard_height"))
        self.keyboard.bind(text=lambda _k, value: setattr(self, "text", value))

    def on_writing(self, _inst: object, writing: bool) -> None:
        """Only an open keyboard is in the widget tree: a hidden one would still catch touches."""
        box, keyboard = self.ids.keyboard_box, self.keyboard
        if keyboard is None:
            return
        if writing and keyboard.parent is None:
            box.add_widget(keyboard)
        elif not writing and keyboard.parent is not None:
            box.remove_widget(keyboard)

    def on_level(self, _inst: object, level: float) -> None:
        self.bad = feedback.is_bad(int(level))

    def set_params(self, **params: object) -> None:
        self.clear_inputs()
        self.application_uuid = str(params.get("application_uuid") or "")
        self.item_name = str(params.get("item_name") or "")

    def clear_inputs(self) -> None:
        self.level = 0
        self.reasons = []
        self.text = ""
        self.application_uuid = ""
        self.item_name = ""
        self.message_key = ""
        self.done_key = ""
        self.writing = False
        if self.keyboard is not None:
            self.keyboard.reset()

    def read_aloud_text(self) -> str:
        return self.app.tr("rate.read_aloud")

    def prompt(self) -> str:
        if self.application_uuid:
            return self.app.tr("rate.application_prompt", item=self.item_name)
        return self.app.tr("rate.general_prompt")

    def choose(self, level: int) -> None:
        self.level = level
        self.message_key = ""
        if not feedback.is_bad(level):
            self.reasons = []

    def toggle_reason(self, reason: str) -> None:
        self.reasons = [r for r in self.reasons if r != reason] if reason in self.reasons else [*self.reasons, reason]
        self.message_key = ""

    def needs_reason(self) -> bool:
        return feedback.is_bad(int(self.level))

    def submit(self) -> None:
        data = feedback.RatingInput(level=int(self.level), reasons=list(self.reasons), text=self.text,
                                    application_uuid=self.application_uuid or None)
        try:
            feedback.save_rating(self.app.store, self.app.settings.room.code, data)
        except feedback.FeedbackError as exc:
            self.message_key = exc.key
            return
        self.done_key = "rate.thanks_bad" if self.needs_reason() else "rate.thanks"
        self.app.request_sync()  # upload soon; the record is already safe on disk
