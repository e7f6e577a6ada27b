"""The reference for start-up time: an empty Textual app (Header, Static, Footer)."""

from textual.app import App
from textual.widgets import Footer, Header, Static


class EmptyApp(App):
    def compose(self):
        yield Header()
        yield Static("Ready")
        yield Footer()


if __name__ == "__main__":
    EmptyApp().run()
