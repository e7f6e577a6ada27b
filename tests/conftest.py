import atexit
import os
import shutil
import tempfile

import pytest

from seop_tui.reference import load_reference
from seop_tui.storage import open_store

# The checked-data cache (seop_tui/reference.py) of a test run goes to a folder of its
# own, not the user's ~/.cache/seop-tui; processes the tests start inherit it.
_CACHE = tempfile.mkdtemp(prefix="seop-test-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)


@pytest.fixture(scope="session")
def ref():
    """The shipped district data, read once."""
    return load_reference()


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "seop.db")
    yield s
    s.close()
