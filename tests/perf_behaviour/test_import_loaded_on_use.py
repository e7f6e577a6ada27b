"""The import commands cost nothing until used: plain `seop` and `seop --help` do not load them."""

import subprocess
import sys

PROBE = """
import sys
import seop_tui.cli
seop_tui.cli._start_options(sys.argv[1:])
print(",".join(m for m in ("seop_tui.cli_import", "seop_tui.imports", "seop_tui.services.imports") if m in sys.modules))
"""

HELP_PROBE = """
import sys
from click.testing import CliRunner
from seop_tui.cli import main
CliRunner().invoke(main, ["--help"])
CliRunner().invoke(main, ["import", "--help"])
print(",".join(m for m in ("seop_tui.imports.oneroster", "seop_tui.services.imports", "seop_tui.services.compliance") if m in sys.modules))
"""


def _loaded(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def test_plain_start_loads_no_import_module():
    assert _loaded(PROBE) == ""


def test_help_loads_the_command_but_not_the_import_work():
    assert _loaded(HELP_PROBE) == ""
