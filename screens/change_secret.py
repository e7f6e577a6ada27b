"""Change your own PIN or password.

Shown right after sign-in when the secret was set by someone else (a new
account, an administrator's reset): `forced=True`, no way back but saving or
signing out. Also usable any time: push `ChangeSecretScreen(actor)`; Escape
goes back. Dismisses with the updated Actor when saved, None otherwise.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static
from textual.worker import Worker, WorkerState

from screens.base import SessionScreen
from seop_tui.services.accounts import AccountError, WrongSecret, change_own_secret, secret_kind, secret_rule
from seop_tui.services.context import Actor

FORCED_NOTE = "Your {word} was set by someone else. Choose your own before you go on."
SAVED = "Saved. Use your new {word} from now on."
NOT_THE_SAME = "The two new {word}s are not the same. Type them again."
FILL_ALL = "Fill in all three fields."
CHECKING = "Saving ..."
HINT = "Tab: next field    Enter: save"


class ChangeSecretScreen(SessionScreen):
    """Current secret, new secret twice, Save."""

    SECTION = "Change PIN or password"
    # Priority bindings act as each key arrives, so "1234<Enter>5678<Enter>" typed fast
    # (or arriving in one burst over SSH) still lands in the right fields (as on sign-in).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("enter", "enter", "Save", show=False, priority=True),
        Binding("tab", "next_field", show=False, priority=True),
        Binding("shift+tab", "previous_field", show=False, priority=True),
    ]

    def __init__(self, actor: Actor, *, forced: bool = False) -> None:
        super().__init__(actor, id="change-secret")
        self.forced = forced
        self.busy = False
        self.message = ""

    @property
    def word(self) -> str:
        return "PIN" if secret_kind(self.seop.ref, self.actor.role) == "pin" else "password"

    def compose_body(self) -> ComposeResult:
        pin = self.word == "PIN"
        limits = {"max_length": 8, "restrict": r"[0-9]*"} if pin else {"max_length": 128}
        with Vertical(id="change-secret-body", classes="body"):
            yield Static(f"Choose your own {self.word}", classes="heading", markup=False)
            if self.forced:
                yield Static(FORCED_NOTE.format(word=self.word), id="change-secret-forced", classes="notice", markup=False)
            yield Static(secret_rule(self.seop.ref, self.actor.role), id="change-secret-rule", markup=False)
            for field_id, label in (
                ("current-secret", f"Current {self.word}"),
                ("new-secret", f"New {self.word}"),
                ("again-secret", f"New {self.word} again"),
            ):
                with Horizontal(classes="secret-row"):
                    yield Label(label, markup=False)
                    yield _field(field_id, **limits)
            yield Button("Save", id="change-secret-save", variant="primary")
            yield Static(HINT, id="change-secret-message", markup=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return not self.forced  # a forced change has no way round it but signing out
        return True

    def action_back(self) -> None:
        if not self.forced:
            self.dismiss(None)

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message = text
        line = self.query_one("#change-secret-message", Static)
        line.update(text)
        line.set_class(error, "-error")

    def action_next_field(self) -> None:
        self.focus_next()

    def action_previous_field(self) -> None:
        self.focus_previous()

    def action_enter(self) -> None:
        """Enter moves to the next empty field; with all three filled, it saves."""
        if isinstance(self.focused, Button):
            self.save()
            return
        fields = list(self.query(Input))
        # The focused field's own keys may still be queued: look only at the fields after it.
        after = fields[fields.index(self.focused) + 1 :] if self.focused in fields else fields
        empty = [f for f in after if not f.value]
        if empty:
            self.set_focus(empty[0])
        else:
            # Keys typed just before this Enter may still wait in the field's queue.
            (self.focused or self).call_later(self.save)

    @on(Button.Pressed, "#change-secret-save")
    def save(self) -> None:
        if self.busy:
            return
        current, new, again = (self.query_one(f"#{name}", Input).value for name in ("current-secret", "new-secret", "again-secret"))
        if not (current and new and again):
            self.show_message(FILL_ALL, error=True)
            return
        if new != again:
            self.show_message(NOT_THE_SAME.format(word=self.word), error=True)
            self.query_one("#again-secret", Input).value = ""
            self.set_focus(self.query_one("#new-secret", Input))
            return
        self.busy = True
        self.show_message(CHECKING)
        self._change(current, new)

    @work(thread=True, exclusive=True, group="change-secret")
    def _change(self, current: str, new: str) -> None:
        try:
            actor = change_own_secret(self.seop.store, self.seop.ref, self.actor, current, new)
        except WrongSecret as exc:
            self.app.call_from_thread(self._refused, str(exc), ("current-secret",))
        except AccountError as exc:  # the new one does not fit the rules: keep the current one
            self.app.call_from_thread(self._refused, str(exc), ("new-secret", "again-secret"))
        else:
            self.app.call_from_thread(self._saved, actor)

    def _refused(self, message: str, retype: tuple[str, ...]) -> None:
        self.busy = False
        for name in retype:
            self.query_one(f"#{name}", Input).value = ""
        self.show_message(message, error=True)
        self.set_focus(self.query_one(f"#{retype[0]}", Input))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # An unexpected failure: the app shows its error; make the form usable again.
        if event.worker.group == "change-secret" and event.state in (WorkerState.ERROR, WorkerState.CANCELLED):
            self.busy = False
            self.show_message("")

    def _saved(self, actor: Actor) -> None:
        self.busy = False
        self.app.notify(SAVED.format(word=self.word), markup=False)
        self.dismiss(actor)


def _field(id: str, **kwargs) -> Input:
    field = Input(id=id, password=True, **kwargs)
    field.cursor_blink = False
    return field
