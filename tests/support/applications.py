"""A dibao application as a staff member submits it to intake (`POST /api/v1/intake/applications`): used by intake's
own tests and by the end-to-end scenarios that apply through the gateway."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.support.id_numbers import fresh_id


def member(id_number: str, name: str, relation: str = "head", **extra: Any) -> dict[str, Any]:
    return {
        "relation": relation,
        "id_number": id_number,
        "name": name,
        "labour_capacity": "partial",
        "employment": "unemployed",
        **extra,
    }


def application_body(
    region_code: str,
    *,
    program: str = "dibao",
    members: list[dict[str, Any]] | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """A complete, consistent dibao application of three members, ready to submit."""
    if members is None:
        members = [
            member(fresh_id(date(1975, 3, 14)), "王建国"),
            member(fresh_id(date(1978, 6, 2)), "李秀英", "spouse"),
            member(fresh_id(date(2010, 9, 30)), "王小明", "child", labour_capacity="none", employment="student"),
        ]
    head = members[0]["id_number"]
    body: dict[str, Any] = {
        "program": program,
        "region_code": region_code,
        "channel": "counter",
        "applicant_id_number": head,
        "members": members,
        "income": [{"member_id_number": head, "kind": "wages", "amount_12_months": "9600.00"}],
        "expenditure": [{"kind": "medical", "amount_12_months": "3000.00"}],
        "assets": [{"kind": "house", "member_id_number": head, "description": "自建房 80㎡"}],
        "obligors": [],
        "bank_account": {"bank_code": "ICBC", "account_no": "6222020000000000000", "holder_id_number": head},
        "declarations": {
            "truthfulness_commitment": True,
            "verification_authorisation": True,
            "close_relative": {"declared": False, "relatives": []},
        },
    }
    body.update(overrides)
    return body
