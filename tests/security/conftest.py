"""Fixtures for the security tests: the district of tests/security/world.py, built
once per test process and copied for each test (building hashes secrets)."""

from __future__ import annotations

import pytest

from tests.security.world import World, build


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    """Exports default to ~/seop-reports: keep them out of the real home folder."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


@pytest.fixture(scope="session")
def world_template(tmp_path_factory, ref) -> World:
    w = build(tmp_path_factory.mktemp("world") / "template.db", ref)
    yield w
    w.store.close()


@pytest.fixture
def world(world_template, tmp_path) -> World:
    w = world_template.reopen(tmp_path / "seop.db")
    yield w
    w.store.close()
