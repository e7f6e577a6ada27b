"""The Textual UI: the app shell, its screens and widgets, one stylesheet (seop.tcss).

Screens are thin: they call `seop_tui` services (in thread workers) and render.
The one entry point is `screens.app.make_app(store, ref)`.
"""
