import pkgutil
import subprocess
import sys

import seop_tui


def test_core_modules_do_not_import_textual():
    modules = [m.name for m in pkgutil.walk_packages(seop_tui.__path__, "seop_tui.")]
    assert "seop_tui.storage" in modules and "seop_tui.cli" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] == 'textual')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "", f"core modules pulled in textual: {out}"
