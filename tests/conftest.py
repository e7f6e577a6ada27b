import pytest

from seop_tui.storage import open_store


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "seop.db")
    yield s
    s.close()
