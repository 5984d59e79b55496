"""How `make test` shares its tests between its two workers (tests/conftest.py): the whole-system scenarios as one
unit on one worker, everything else a whole file at a time."""

from __future__ import annotations

from tests.conftest import SYSTEM, group_of


def test_the_shared_systems_scenarios_are_one_unit_and_every_other_file_its_own() -> None:
    assert group_of("tests/e2e/test_api_docs.py::test_one_document") == SYSTEM
    assert group_of("tests/e2e/test_fuzz_staff.py::test_fuzzing[casework-invalid]") == SYSTEM
    # `make run` starts a system of its own: its file goes to whichever worker is free.
    assert group_of("tests/e2e/test_make_run.py::test_make_run") == "tests/e2e/test_make_run.py"
    assert group_of("tests/kernel/test_xlsx.py::test_cells_keep_their_kinds") == "tests/kernel/test_xlsx.py"
    assert group_of("tests/matching/test_feeds.py::test_x[a::b@c]") == "tests/matching/test_feeds.py"
