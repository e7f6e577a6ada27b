"""Kiosk and terminal safety on a shared lab terminal.

- Idle time-out from the district settings (students 5 minutes, staff 15).
- Nothing typed leaves the app for a shell: the real `seop` command is run in a
  pseudo-terminal and sent Ctrl+C, Ctrl+Z and Ctrl+\\ (which would interrupt,
  suspend or quit a program in cooked mode); Textual's raw mode turns them into
  keys, and the app keeps running. Ctrl+Q signs a person out instead of quitting,
  and quits from the sign-in screen only when not a kiosk.
- No command palette, no screenshot files, no browser opened for a link.
"""

from __future__ import annotations

import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path

import pytest
from textual.widgets import Markdown

from screens.app import KIOSK_STAYS, NO_LINKS, NOT_A_QUIT_KEY, SIGNED_OUT, make_app
from screens.signin import SignInScreen
from screens.student_home import StudentHomeScreen
from tests.security.world import PIN
from tests.ui.helpers import run, settle

SEOP = Path(sys.executable).with_name("seop")


def _notices(app) -> list[str]:
    return [n.message for n in app._notifications]


# -- idle time-out -----------------------------------------------------------------------------


def test_idle_time_out_is_5_minutes_for_students_and_15_for_staff(world, ref):
    assert (ref.district.idle_timeouts.student_minutes, ref.district.idle_timeouts.staff_minutes) == (5, 15)

    async def body():
        app = make_app(world.store, ref)
        async with app.run_test(size=(80, 24)):
            await app.start_session(world.actor("victim_h"))
            assert app.idle_limit() == 300
            await app.sign_out()
            await app.start_session(world.actor("counselor_h"))
            assert app.idle_limit() == 900

    run(body)


# -- keys that would leave the app ------------------------------------------------------------------


def test_ctrl_q_signs_a_person_out_instead_of_quitting(world, ref):
    async def body():
        app = make_app(world.store, ref, kiosk=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.start_session(world.actor("victim_h"))
            await pilot.press("ctrl+q")
            await settle(pilot)
            assert app.is_running and app.actor is None
            assert isinstance(app.screen, SignInScreen) and app.screen.message == SIGNED_OUT

    run(body)


def test_ctrl_q_on_the_sign_in_screen_quits_only_when_not_a_kiosk(world, ref):
    async def kiosk():
        app = make_app(world.store, ref, kiosk=True)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("ctrl+q")
            await pilot.pause()
            assert app.is_running and KIOSK_STAYS in _notices(app)

    async def desk():
        app = make_app(world.store, ref, kiosk=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("ctrl+q")
            await pilot.pause()
            assert not app.is_running

    run(kiosk)
    run(desk)


def test_kiosk_mode_comes_from_the_environment(world, ref, monkeypatch):
    monkeypatch.setenv("SEOP_KIOSK", "1")
    assert make_app(world.store, ref).kiosk
    monkeypatch.setenv("SEOP_KIOSK", "0")
    assert not make_app(world.store, ref).kiosk


def test_ctrl_c_only_says_how_to_sign_out(world, ref):
    async def body():
        app = make_app(world.store, ref)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.start_session(world.actor("victim_h"))
            await pilot.press("ctrl+c")
            await pilot.pause()
            assert app.is_running and isinstance(app.screen, StudentHomeScreen)
            assert NOT_A_QUIT_KEY in _notices(app)
            assert not any("quit" in n.lower() for n in _notices(app) if n != NOT_A_QUIT_KEY)

    run(body)


def test_no_command_palette_no_screenshots_no_suspend(world, ref, tmp_path, monkeypatch):
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    killed = []
    monkeypatch.setattr(os, "kill", lambda *a: killed.append(a))

    async def body():
        app = make_app(world.store, ref)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.start_session(world.actor("victim_h"))
            for key in ("ctrl+p", "ctrl+z", "ctrl+backslash"):
                await pilot.press(key)
                await pilot.pause()
            assert isinstance(app.screen, StudentHomeScreen) and app.is_running
            app.action_command_palette()
            await app.run_action("screenshot")
            app.action_suspend_process()
            await pilot.pause()
            assert isinstance(app.screen, StudentHomeScreen)

    run(body)
    assert killed == []
    assert list(cwd.iterdir()) == []  # no screenshot written


def test_links_never_open_a_browser_on_the_server(world, ref, monkeypatch):
    opened = []
    monkeypatch.setattr("webbrowser.open", lambda *a, **k: opened.append(a))

    async def body():
        app = make_app(world.store, ref)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.start_session(world.actor("victim_h"))
            markdown = Markdown("[a link](https://example.org)", id="md")
            await app.screen.mount(markdown)
            await pilot.pause()
            markdown.post_message(Markdown.LinkClicked(markdown, "https://example.org"))
            await pilot.pause()
            app.open_url("https://example.org")
            await pilot.pause()
            assert NO_LINKS in _notices(app)

    run(body)
    assert opened == []


# -- the real command in a real terminal ------------------------------------------------------------


class Terminal:
    """`seop` running in a pseudo-terminal of 80x24, as over SSH."""

    def __init__(self, db: Path, *, kiosk: bool):
        env = {**os.environ, "TERM": "xterm-256color", "SEOP_KIOSK": "1" if kiosk else "0", "SEOP_DB": str(db)}
        env.pop("SSH_CLIENT", None)
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: becomes the program on the terminal
            os.execve(str(SEOP), [str(SEOP), "--db", str(db)], env)
        termios.tcsetattr(self.fd, termios.TCSANOW, termios.tcgetattr(self.fd))
        import fcntl

        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.output = b""
        self.status: int | None = None

    def read(self, seconds: float = 0.3) -> bytes:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                self.output += chunk
        return self.output

    def wait_for(self, text: bytes, seconds: float = 30) -> None:
        end = time.monotonic() + seconds
        while text not in self.output.replace(b"\x1b", b"") and time.monotonic() < end:
            self.read(0.2)
            if not self.alive():
                break
        assert text in self.output, f"{text!r} never appeared"

    def send(self, data: bytes) -> None:
        os.write(self.fd, data)
        self.read(0.6)

    def alive(self) -> bool:
        if self.status is not None:
            return False
        pid, status = os.waitpid(self.pid, os.WNOHANG)
        if pid:
            self.status = status
            return False
        return True

    def stopped(self) -> bool:
        state = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        return state in ("T", "t")

    def raw_mode(self) -> bool:
        lflag = termios.tcgetattr(self.fd)[3]
        return not (lflag & termios.ISIG) and not (lflag & termios.ICANON)

    def close(self) -> None:
        if self.alive():
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)


@pytest.fixture
def terminal(world):
    world.store.close()  # the program opens the database itself
    opened = []

    def start(kiosk: bool = True) -> Terminal:
        t = Terminal(world.store.path, kiosk=kiosk)
        opened.append(t)
        t.wait_for(b"Username")
        return t

    yield start
    for t in opened:
        t.close()


@pytest.mark.skipif(not Path("/proc").exists() or not SEOP.exists(), reason="needs /proc and the installed seop command")
def test_interrupt_suspend_and_quit_keys_do_not_drop_to_a_shell(terminal):
    t = terminal(kiosk=True)
    assert t.raw_mode()  # the terminal sends no signal for Ctrl+C, Ctrl+Z or Ctrl+\
    for key in (b"\x03", b"\x1a", b"\x1c", b"\x11"):  # Ctrl+C, Ctrl+Z, Ctrl+\, Ctrl+Q
        t.send(key)
        assert t.alive() and not t.stopped(), key
    t.send(b"victim_h\t" + PIN.encode() + b"\r")
    t.wait_for(b"Signed in as")
    for key in (b"\x03", b"\x1a", b"\x1c"):
        t.send(key)
        assert t.alive() and not t.stopped(), key
    t.send(b"\x11")  # Ctrl+Q: signs out, does not quit
    t.wait_for(b"You have signed out")
    assert t.alive()


@pytest.mark.skipif(not Path("/proc").exists() or not SEOP.exists(), reason="needs /proc and the installed seop command")
def test_ctrl_q_quits_from_the_sign_in_screen_when_not_a_kiosk(terminal):
    t = terminal(kiosk=False)
    t.send(b"\x11")
    end = time.monotonic() + 10
    while t.alive() and time.monotonic() < end:
        t.read(0.2)
    assert not t.alive() and os.WIFEXITED(t.status) and os.WEXITSTATUS(t.status) == 0
