"""The first screen: who are you? Username, PIN or password, Enter.

It is the first thing every session waits for, so it uses only what it needs:
no Textual Button or Label (their default stylesheets are parsed when first
shown, and Button's alone was a twentieth of the time to this screen), and the
sign-in service is loaded in the worker that checks the secret.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from screens.text import plain

if TYPE_CHECKING:
    from screens.app import SeopApp
    from seop_tui.services.context import Actor

PRODUCT = "seop"
WHAT_IT_IS = "Student education plans: SEP (K-5) and SEOP (6-12)"
HINT = "Tab: next field    Enter: sign in"
NEED_USERNAME = "Type your username."
NEED_SECRET = "Type your PIN or password."
CHECKING = "Checking ..."
NOT_HERE = "This account cannot sign in here. Ask the school office."


class SignInButton(Static, can_focus=True):
    """The "Sign in" button, styled in signin.tcss: Enter (the screen's key), Space or a click."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("space", "press", "Sign in", show=False)]

    class Pressed(Message):
        """Sign in was asked for."""

    def action_press(self) -> None:
        self.post_message(self.Pressed())

    def on_click(self) -> None:
        self.action_press()


class SignInScreen(Screen):
    """Username and PIN/password; the check runs in a thread (Argon2 is slow on purpose)."""

    AUTO_FOCUS = "#username"
    # Priority bindings run as the key arrives, before the keys after it are handed to a
    # widget. Without them, "name<Tab>1234<Enter>" arriving in one burst (fast typing over a
    # slow SSH link) would put the PIN in the username field, in plain sight.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "next_field", "Next field", show=False, priority=True),
        Binding("shift+tab", "previous_field", "Previous field", show=False, priority=True),
        Binding("enter", "enter", "Sign in", show=False, priority=True),
    ]

    def __init__(self) -> None:
        super().__init__(id="sign-in")
        self.busy = False
        self.message = ""  # the text of the message line (tests read it)

    @property
    def seop(self) -> SeopApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical(id="signin-card"):
            yield Static(Content.styled(PRODUCT, "bold"), id="signin-product")
            yield Static(WHAT_IT_IS, id="signin-what", markup=False)
            yield Static(plain(self.seop.ref.district.name), id="signin-district")
            yield Static("Username", id="username-label", markup=False)
            yield _field(id="username", max_length=64)
            yield Static("PIN or password", id="secret-label", markup=False)
            yield _field(id="secret", password=True, max_length=128)
            yield SignInButton("Sign in", id="sign-in-button", markup=False)
            yield Static("", id="signin-message", markup=False)
        yield Static(HINT, id="signin-hint", markup=False)

    # -- the form --------------------------------------------------------------

    @property
    def username(self) -> Input:
        return self.query_one("#username", Input)

    @property
    def secret(self) -> Input:
        return self.query_one("#secret", Input)

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message = text
        message = self.query_one("#signin-message", Static)
        message.update(plain(text))
        message.set_class(error, "-error")

    def reset(self, notice: str = "") -> None:
        """Empty the form, as if freshly opened, with an optional notice line."""
        self.busy = False
        self.username.value = ""
        self.secret.value = ""
        self.show_message(notice)
        self.set_focus(self.username)

    def has_text(self) -> bool:
        return bool(self.username.value or self.secret.value)

    def action_next_field(self) -> None:
        self.focus_next()

    def action_previous_field(self) -> None:
        self.focus_previous()

    def action_enter(self) -> None:
        """Enter in the username moves on to an empty PIN field; anywhere else it signs in."""
        focused = self.focused
        if focused is self.username and not self.secret.value:
            self.set_focus(self.secret)
            return
        # Keys typed just before this Enter may still wait in the field's queue: sign in
        # after the field has taken them, not with the value as it is this instant.
        (focused or self).call_later(self.submit)

    @on(SignInButton.Pressed)
    def _sign_in_pressed(self) -> None:
        self.submit()

    def submit(self) -> None:
        if self.busy:
            return
        username = self.username.value.strip()
        secret = self.secret.value
        if not username:
            self.show_message(NEED_USERNAME, error=True)
            self.set_focus(self.username)
            return
        if not secret:
            self.show_message(NEED_SECRET, error=True)
            self.set_focus(self.secret)
            return
        self.busy = True
        self.show_message(CHECKING)
        self.check(username, secret)

    # -- the check, off the event loop ----------------------------------------

    @work(thread=True, exclusive=True, group="sign-in")
    def check(self, username: str, secret: str) -> None:
        # Loaded here, off the event loop, rather than before the screen is shown.
        from seop_tui.services.auth import SignInError, sign_in

        try:
            actor = sign_in(self.seop.store, username, secret)
        except SignInError as exc:
            self.app.call_from_thread(self._refused, str(exc))
        else:
            self.app.call_from_thread(self._accepted, actor)

    def _refused(self, message: str) -> None:
        self.busy = False
        self.secret.value = ""
        self.show_message(message, error=True)
        self.set_focus(self.secret)

    async def _accepted(self, actor: Actor) -> None:
        if actor.role != "student" and not actor.is_staff:
            self._refused(NOT_HERE)
            return
        self.reset()
        await self.seop.start_session(actor)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # A failure the service did not expect: the app shows the error; make the form usable again.
        if event.worker.group == "sign-in" and event.state in (WorkerState.ERROR, WorkerState.CANCELLED):
            self.busy = False
            self.show_message("")


def _field(**kwargs) -> Input:
    field = Input(**kwargs)
    field.cursor_blink = False  # steady cursor: calmer, and snapshots stay stable
    return field
