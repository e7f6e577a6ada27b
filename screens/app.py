"""The app shell: one App, made by `make_app`, used by the CLI, tests and snapshots.

Navigation uses two Textual modes (each mode has its own screen stack):

- "sign-in": the SignInScreen, always there underneath.
- "session": created at sign-in with the person's home screen as its base
  (StudentHomeScreen or StaffHomeScreen); section screens are pushed on it.

Signing out (Ctrl+O or F10, or the idle time-out) lets session screens save,
clears `app.actor`, resets the sign-in form, switches back to "sign-in" and
removes the whole "session" stack, so nothing of the last person stays on screen.
Every sign-out is written to the audit trail with its reason.

Kiosk rules (a shared lab terminal; see SECURITY.md):
- Textual puts the terminal in raw mode, so Ctrl+C, Ctrl+Z and Ctrl+Backslash arrive as
  keys, not signals: Ctrl+C only shows how to sign out, Ctrl+Z (suspend) does
  nothing, Ctrl+Backslash has no binding.
- Ctrl+Q never ends a session: with someone signed in it signs them out (work
  saved first). On the sign-in screen it quits, unless the app runs as a kiosk
  (`SEOP_KIOSK=1`, or `make_app(kiosk=True)`), where nothing typed ends the app.
- No command palette, no screenshots written on the server, no links opened
  in a browser on the server.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import App, ScreenError
from textual.binding import Binding, BindingType
from textual.worker import WorkerFailed

from screens.signin import SignInScreen
from screens.theme import SEOP_THEME

if TYPE_CHECKING:  # the services are loaded at the first sign-in, not before the sign-in screen
    from seop_tui.reference import Reference
    from seop_tui.services.context import Actor
    from seop_tui.storage import Store

log = logging.getLogger(__name__)

SIGN_IN_MODE = "sign-in"
SESSION_MODE = "session"
SIGNED_OUT = "You have signed out."
IDLE_SIGNED_OUT = "You were signed out because nothing happened for a while. Sign in again to go on."
NOT_A_QUIT_KEY = "Ctrl+C does not close seop. To finish, sign out with Ctrl+O."
KIOSK_STAYS = "This terminal stays on seop."
NO_LINKS = "Links are not opened from seop."
NO_SCREENSHOTS = "Screenshots are not saved from seop."


class SeopApp(App[None]):
    # Only the sign-in screen's look at start-up; the rest (seop.tcss) at sign-in, see load_session_css.
    CSS_PATH = "signin.tcss"
    TITLE = "seop"
    # Kiosk: the command palette's built-in commands include Quit, Save screenshot (writes
    # a file on the server) and theme switching. Off until it has a provider that offers
    # students only safe commands.
    ENABLE_COMMAND_PALETTE = False
    MODES: ClassVar = {SIGN_IN_MODE: SignInScreen}
    DEFAULT_MODE: ClassVar[str] = SIGN_IN_MODE
    BINDINGS: ClassVar[list[BindingType]] = [
        # Ctrl+O and F10 both reach the app over SSH and through tmux/screen; neither is
        # taken by Input. Priority: works whatever has focus.
        Binding("ctrl+o,f10", "sign_out", "Sign out", priority=True),
        # Every key of the screen in a side panel, the ones the footer has no room for too.
        Binding("f1", "toggle_keys", "All keys", show=False, priority=True),
    ]
    IDLE_CHECK_SECONDS: ClassVar[float] = 1.0

    def __init__(self, store: Store, ref: Reference, *, idle_seconds: float | None = None, kiosk: bool = False) -> None:
        """`idle_seconds` overrides the district's idle time-outs (tests use a short one);
        `kiosk`: nothing typed ends the app (for a lab terminal that would fall back to a shell)."""
        super().__init__()
        self.store = store
        self.ref = ref
        self.actor: Actor | None = None
        self.idle_seconds = idle_seconds
        self.kiosk = kiosk
        self.last_input = time.monotonic()
        self._session_open = False
        self.register_theme(SEOP_THEME)
        self.theme = SEOP_THEME.name
        # Parse the stylesheets with the theme's variables from the first time (see refresh_css).
        self.stylesheet.set_variables(self.get_css_variables())

    def refresh_css(self, animate: bool = True) -> None:
        """Textual's refresh_css (8.2.8, pinned), without the re-parse when nothing changed.

        Textual re-parses every stylesheet (ours and each widget's) from scratch on
        each call, and calls it twice while starting (theme set, first mode screen)
        with the same variables: a third of the time to the sign-in screen (bench/).
        """
        stylesheet = self.stylesheet
        variables = self.get_css_variables()
        if variables != stylesheet._variables:
            stylesheet.set_variables(variables)
            stylesheet.reparse()
        stylesheet.update(self, animate=animate)
        try:
            if self.screen.is_mounted:
                self.screen._refresh_layout(self.size)
                self.screen._css_update_count = self._css_update_count
        except ScreenError:
            pass
        for screen in self.screen_stack:
            if screen != self.screen:
                stylesheet.update(screen, animate=animate)
                screen._css_update_count = self._css_update_count

    def load_session_css(self) -> None:
        """Add the session screens' stylesheet (seop.tcss), once, parsing only that file.

        Parsing it at start-up took a fifth of the time to the sign-in screen. Textual
        would load it on the first SessionScreen too (its CSS_PATH), but re-parse every
        stylesheet to do so; the stylesheets already parsed are kept here.
        """
        from screens.base import SESSION_CSS

        stylesheet = self.stylesheet
        if stylesheet.has_source(str(SESSION_CSS)):
            return
        stylesheet.read(SESSION_CSS)
        stylesheet.parse()  # the others come from the stylesheet's parse cache
        stylesheet.update(self)

    # -- kiosk -----------------------------------------------------------------

    def action_suspend_process(self) -> None:
        """No suspend (Ctrl+Z) on a shared lab computer: it would drop to a shell."""

    async def action_quit(self) -> None:
        """Ctrl+Q: sign out when someone is signed in; quit only from the sign-in
        screen, and never as a kiosk."""
        if self.actor is not None:
            await self.sign_out(SIGNED_OUT, reason="quit key")
        elif self.kiosk:
            self.notify(KIOSK_STAYS, markup=False)
        else:
            self.exit()

    def action_toggle_keys(self) -> None:
        """F1: every key of this screen and what it does (screens/keys.py); F1 again closes it."""
        from screens.keys import KeysScreen, key_rows

        if isinstance(self.screen, KeysScreen):
            self.screen.dismiss(None)
        else:
            self.push_screen(KeysScreen([row for row in key_rows(self.screen) if row[1] != "All keys"]))

    def action_help_quit(self) -> None:
        """Ctrl+C (a key in raw mode, not a signal): say how to finish instead."""
        if self.actor is not None:
            self.notify(NOT_A_QUIT_KEY, markup=False)

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        """Never start a browser on the server (Markdown links, link styles)."""
        self.notify(NO_LINKS, markup=False)

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """Screenshots would be files written on the server."""
        self.notify(NO_SCREENSHOTS, markup=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "sign_out":
            return self.actor is not None  # hidden from the footer until someone signs in
        return True

    # -- the session -----------------------------------------------------------

    async def start_session(self, actor: Actor) -> None:
        """Show `actor`'s home screen on a fresh session stack."""
        # Session screens are imported on first use, not at the top: the sign-in screen comes
        # up sooner, and a student's session never loads the staff screens (see bench/).
        if actor.role == "student":
            from screens.student_home import StudentHomeScreen as home
        else:
            from screens.staff_home import StaffHomeScreen as home
        self.load_session_css()
        if self._session_open:
            await self._close_session()
        self.actor = actor
        self.last_input = time.monotonic()
        self.add_mode(SESSION_MODE, lambda: home(actor))
        self._session_open = True
        await self.switch_mode(SESSION_MODE)
        if actor.must_change_secret:
            # A secret someone else set (new account, reset): the owner chooses their own first.
            from screens.change_secret import ChangeSecretScreen

            await self.push_screen(ChangeSecretScreen(actor, forced=True), self.secret_changed)

    def secret_changed(self, actor: Actor | None) -> None:
        """After the change-secret screen: the session carries the account as it now is."""
        if actor is not None and self.actor is not None and actor.account_id == self.actor.account_id:
            self.actor = actor
            self.screen.query("#must-change").remove()  # the home screen's "set by someone else" notice

    async def action_sign_out(self) -> None:
        await self.sign_out(SIGNED_OUT)

    async def sign_out(self, notice: str = SIGNED_OUT, *, reason: str = "signed out") -> None:
        """End the session: let screens save, forget the actor, back to a fresh sign-in."""
        if self.actor is None:
            return
        actor = self.actor
        if self.current_mode == SESSION_MODE:
            from screens.base import SessionScreen  # loaded with the session's screens

            for screen in reversed(self.screen_stack):
                if isinstance(screen, SessionScreen):
                    try:
                        await screen.save_before_sign_out()
                    except Exception:
                        log.exception("saving before sign-out failed on %s", type(screen).__name__)
        self.actor = None
        self.clear_notifications()
        self.sign_in_screen.reset(notice)
        await self._close_session()
        self.refresh(layout=True)
        from seop_tui.services import auth

        try:
            await asyncio.to_thread(auth.sign_out, self.store, actor, reason)
        except Exception:
            log.exception("recording the sign-out failed")

    async def _close_session(self) -> None:
        if self.current_mode != SIGN_IN_MODE:
            await self.switch_mode(SIGN_IN_MODE)
        if self._session_open:
            self._session_open = False
            await self.remove_mode(SESSION_MODE)

    @property
    def sign_in_screen(self) -> SignInScreen:
        stack = self._screen_stacks[SIGN_IN_MODE]  # the base of the sign-in mode's stack
        return stack[0]  # type: ignore[return-value]

    # -- idle time-out ---------------------------------------------------------

    def idle_limit(self) -> float:
        """Seconds without input before the session ends (0: never)."""
        if self.idle_seconds is not None:
            return self.idle_seconds
        timeouts = self.ref.district.idle_timeouts
        minutes = timeouts.staff_minutes if self.actor is not None and self.actor.is_staff else timeouts.student_minutes
        return max(0, minutes) * 60.0

    def on_mount(self) -> None:
        # Database work runs in thread workers, each thread with its own SQLite connection
        # (about 1 MiB of schema each). Two threads are plenty for one person's session and
        # keep it to two connections, where the default pool grows to six.
        asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=2, thread_name_prefix="seop-db"))
        limit = self.idle_limit()
        interval = self.IDLE_CHECK_SECONDS
        if limit:
            interval = max(0.05, min(interval, limit / 5))
        self.set_interval(interval, self.check_idle_timeout, name="idle")

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseEvent, events.Paste)):
            self.last_input = time.monotonic()
        await super().on_event(event)

    async def check_idle_timeout(self) -> None:
        limit = self.idle_limit()
        if not limit or time.monotonic() - self.last_input < limit:
            return
        self.last_input = time.monotonic()
        if self.actor is not None:
            await self.sign_out(IDLE_SIGNED_OUT, reason="idle time-out")
        elif self.current_mode == SIGN_IN_MODE and self.sign_in_screen.has_text():
            # A half-typed username or PIN left on a lab computer: clear it.
            self.sign_in_screen.reset()

    # -- unexpected errors -----------------------------------------------------

    def show_unexpected_error(self) -> None:
        """Tell the person something failed, without a traceback and without quitting."""
        from screens.errors import ErrorScreen  # rarely needed: not loaded at start-up

        if not isinstance(self.screen, ErrorScreen):
            self.push_screen(ErrorScreen())

    def _handle_exception(self, error: Exception) -> None:
        # Textual (pinned exactly) sends every unhandled exception here and then exits,
        # printing a traceback. A failed worker arrives wrapped in WorkerFailed: its widget
        # is unharmed, so log it and keep the app running with a plain message instead.
        # Anything else (an exception in a message handler leaves that widget dead) still
        # exits as Textual intends.
        if isinstance(error, WorkerFailed) and self.is_running:
            log.error("a background task failed", exc_info=error.error)
            self.log.error("worker failed", repr(error.error))
            self.show_unexpected_error()
            return
        super()._handle_exception(error)


def make_app(store: Store, ref: Reference, *, idle_seconds: float | None = None, kiosk: bool | None = None) -> SeopApp:
    """The one way to build the app: CLI, tests and snapshots all use it.

    `kiosk` defaults to the SEOP_KIOSK environment variable (1/true/yes)."""
    if kiosk is None:
        kiosk = os.environ.get("SEOP_KIOSK", "").strip().lower() in ("1", "true", "yes")
    return SeopApp(store, ref, idle_seconds=idle_seconds, kiosk=kiosk)
