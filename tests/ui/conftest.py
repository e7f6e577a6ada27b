"""A tiny district for UI tests: one school, one student, one counselor.

Only two secrets are hashed (Argon2 is slow on purpose), once per session;
extra accounts reuse the student's hash. Helpers for driving the app live in
tests/ui/helpers.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from seop_tui.reference import Reference, load_reference
from seop_tui.services.auth import hash_secret
from seop_tui.storage import open_store
from tests.ui.helpers import (
    COUNSELOR_PASSWORD,
    COUNSELOR_USERNAME,
    CREATED,
    STUDENT_PIN,
    STUDENT_USERNAME,
    District,
)


@pytest.fixture(scope="session")
def reference() -> Reference:
    return load_reference()


@pytest.fixture(scope="session")
def hashes() -> dict[str, str]:
    return {"student": hash_secret(STUDENT_PIN), "counselor": hash_secret(COUNSELOR_PASSWORD)}


@pytest.fixture
def district(tmp_path, reference, hashes) -> Iterator[District]:
    store = open_store(tmp_path / "seop.db")
    with store.write() as db:
        school_id = db["schools"].insert(
            {"code": "DMS", "name": "Desert Middle School", "kind": "middle", "low_grade": 6, "high_grade": 8}
        ).last_pk
        counselor_account = db["accounts"].insert(
            {"username": COUNSELOR_USERNAME, "role": "counselor", "secret_hash": hashes["counselor"], "created_at": CREATED}
        ).last_pk
        counselor_id = db["staff"].insert(
            {
                "account_id": counselor_account,
                "given_name": "Cole",
                "family_name": "Nakamura",
                "role": "counselor",
                "school_id": school_id,
            }
        ).last_pk
        student_account = db["accounts"].insert(
            {"username": STUDENT_USERNAME, "role": "student", "secret_hash": hashes["student"], "created_at": CREATED}
        ).last_pk
        db["students"].insert(
            {
                "account_id": student_account,
                "student_number": "100001",
                "given_name": "Ava",
                "family_name": "Martinez",
                "grade": 7,
                "school_id": school_id,
                "counselor_id": counselor_id,
            }
        )
    yield District(store, reference, school_id, hashes["student"])
    store.close()
