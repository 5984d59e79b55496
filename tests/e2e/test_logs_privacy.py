"""No identity number, phone or bank account in any log line of the whole system (DOMAIN.md §11).

The file sorts after the scenario modules, so this scan sees what they logged; the `whole_system` fixture scans again
when the session stops. The scanner itself is checked on planted lines, so an empty result means something.
"""

from __future__ import annotations

from pathlib import Path

from libs.demo_county.intake import fictional_id
from tests.e2e.privacy import scan
from tests.e2e.system import WholeSystem


def test_the_scanner_finds_planted_personal_data(tmp_path: Path) -> None:
    id_number = fictional_id("1961-03-09", "213")
    log = tmp_path / "planted.log"
    log.write_text(
        "\n".join(
            [
                '{"event": "request.done", "path": "/api/v1/intake/applications", "status": 201}',
                f'{{"event": "oops", "id_number": "{id_number}"}}',
                '{"event": "oops", "phone": "13912345678"}',
                '{"event": "oops", "account": "6222020200112233445"}',
                '{"event": "ok", "hash": "a13912345678b", "request_id": "e2e-13912345678x"}',
            ]
        )
        + "\n"
    )
    leaks = scan([log], {"6222020200112233445"})
    assert [(leak.line_no, leak.what) for leak in leaks] == [
        (2, "an identity number"),
        (3, "a mobile number"),
        (4, "a value a scenario sent in"),
    ]
    assert all(id_number not in str(leak) for leak in leaks)


async def test_no_log_line_of_any_process_holds_personal_data(whole_system: WholeSystem) -> None:
    officer = await whole_system.staff("township_officer", "149001001")
    listed = await officer.http.get("/api/v1/intake/applications")
    assert listed.status_code == 200, listed.text
    files = whole_system.log_files()
    # Five APIs, five workers, the gateway and the console, each with something logged.
    assert len(files) == 12
    assert all(path.stat().st_size > 0 for path in files)
    leaks = scan(files, whole_system.personal_data)
    assert not leaks, "personal data in the logs:\n" + "\n".join(map(str, leaks[:20]))
