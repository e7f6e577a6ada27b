"""The checked district data is kept between starts, and never outlives a change to a file."""

from __future__ import annotations

import shutil

import pytest

from seop_tui import reference
from seop_tui.paths import shipped_data_dir
from seop_tui.reference import DataFileError, load_reference


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """The cache file of the shipped data, in a folder of its own."""
    monkeypatch.setattr(reference, "cache_dir", lambda: tmp_path / "cache")
    return reference.cache_path(None)


@pytest.fixture
def folder(tmp_path):
    district = tmp_path / "district"
    district.mkdir()
    shutil.copy(shipped_data_dir() / "district.yaml", district / "district.yaml")
    return district


def parsed(monkeypatch):
    """Names of the files read as YAML from now on."""
    names: list[str] = []
    real = reference._read

    def spy(name, override, seen=None):
        names.append(name)
        return real(name, override, seen)

    monkeypatch.setattr(reference, "_read", spy)
    return names


def test_second_load_comes_from_the_cache_and_equals_the_first(cache, monkeypatch):
    first = load_reference()
    assert cache.is_file()
    names = parsed(monkeypatch)
    again = load_reference()
    assert names == []
    assert again == first
    assert again.courses.by_code == first.courses.by_code


def test_a_changed_file_is_read_again(cache, folder, monkeypatch):
    first = load_reference(folder)
    text = (folder / "district.yaml").read_text()
    (folder / "district.yaml").write_text(text.replace(first.district.name, "Canyon View District"))
    names = parsed(monkeypatch)
    changed = load_reference(folder)
    assert "district.yaml" in names
    assert changed.district.name == "Canyon View District"


def test_a_new_file_in_the_district_folder_is_read(cache, folder, monkeypatch):
    load_reference(folder)
    shutil.copy(shipped_data_dir() / "courses.yaml", folder / "courses.yaml")
    (folder / "courses.yaml").write_text((folder / "courses.yaml").read_text() + "\n# the district's own copy\n")
    names = parsed(monkeypatch)
    load_reference(folder)
    assert "courses.yaml" in names


def test_a_broken_file_is_reported_even_after_a_good_load(cache, folder):
    load_reference(folder)
    (folder / "district.yaml").write_text("name: [unclosed\n")
    with pytest.raises(DataFileError, match="district.yaml"):
        load_reference(folder)


def test_another_folder_does_not_use_the_cache(cache, folder, monkeypatch):
    load_reference()
    names = parsed(monkeypatch)
    assert load_reference(folder).source == str(folder)
    assert names


def test_a_damaged_cache_is_ignored(cache):
    first = load_reference()
    cache.write_bytes(b"\x00not msgpack")
    assert load_reference() == first


def test_an_unwritable_cache_folder_is_not_an_error(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setattr(reference, "cache_dir", lambda: blocker / "cache")
    assert load_reference().district.name


def test_a_district_folder_does_not_evict_the_shipped_datas_cache(cache, folder, monkeypatch):
    # Tests and trials load other folders on the same machine: the plain start stays fast.
    load_reference()
    load_reference(folder)
    names = parsed(monkeypatch)
    load_reference()
    load_reference(folder)
    assert names == []
    assert cache.is_file() and reference.cache_path(folder).is_file()


def test_only_the_most_recent_caches_are_kept(cache, tmp_path, monkeypatch):
    folders = []
    for i in range(reference.CACHES_KEPT + 3):
        folders.append(tmp_path / f"district{i}")
        folders[-1].mkdir()
        load_reference(folders[-1])
    kept = sorted(cache.parent.glob("reference-*.msgpack"))
    assert len(kept) == reference.CACHES_KEPT
    assert reference.cache_path(folders[-1]) in kept
