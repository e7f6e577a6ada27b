"""seop-tui: Student Education Plans and Student Education Occupational Plans."""

__version__ = "0.1.0"
