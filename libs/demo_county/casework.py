"""The demo county's casework data: its local standards, a close-relative filing, and the recipients it already pays
(imported from the "old spreadsheet"), all entered through the gateway by the demo county officer."""

from __future__ import annotations

from typing import Any

from libs.demo_county.http import demo_client
from libs.demo_county.intake import Staff, fictional_id

STANDARDS = "/api/v1/casework/standards"
RELATIVES = "/api/v1/casework/close-relatives"
IMPORT = "/api/v1/casework/households/import"

# Local figures of the demo county (fictional, in the range of Shanxi's 2024 figures).
FIGURES: dict[str, Any] = {
    "dibao_standard": "700.00",
    "tekun_basic": "910.00",
    "tekun_care_self": "100.00",
    "tekun_care_partial": "300.00",
    "tekun_care_full": "600.00",
    "disability_living": "90.00",
    "disability_care_grade1": "120.00",
    "disability_care_grade2": "90.00",
    "orphan_allowance": "1500.00",
    "de_facto_orphan_allowance": "1500.00",
    "hiv_child_allowance": "1500.00",
    "elderly_high_age": "100.00",
    "gradual_exit_schedule_pct": [100, 100, 80, 80, 60, 60],
    # The county's 社会救助服务热线, on its public page beside 12345 (fictional).
    "complaint_line": "0355-2021234",
}


def _member(relation: str, id_number: str, name: str, **extra: Any) -> dict[str, Any]:
    return {"relation": relation, "id_number": id_number, "name": name, **extra}


def _household(
    village: str,
    legacy_ref: str,
    members: list[dict[str, Any]],
    programs: list[tuple[str, str, str]],
    *,
    review_class: str,
    next_review_date: str,
    bank: tuple[str, str],
) -> dict[str, Any]:
    """A household as the old spreadsheet held it: `programs` are (program, monthly amount, since), `bank` is (bank
    code, account number) of the head's account."""
    return {
        "region_code": village,
        "legacy_ref": legacy_ref,
        "members": members,
        "programs": [{"program": p, "monthly_amount": amount, "since": since} for p, amount, since in programs],
        "review_class": review_class,
        "next_review_date": next_review_date,
        "account": {"bank_code": bank[0], "account_no": bank[1], "holder_name": members[0]["name"]},
    }


def _households(village: str, zhang: str) -> list[dict[str, Any]]:
    """The three recipient households of `village`: a dibao family with a disabled spouse, a dispersed tekun elder,
    and a dibao family whose periodic review is due already."""
    return [
        _household(
            village,
            "DB-2021-0117",
            [
                _member("head", zhang, "张卫东", labour_capacity="partial", employment="odd_jobs"),
                _member(
                    "spouse",
                    fictional_id("1970-08-03", "622"),
                    "刘桂兰",
                    disability_grade=2,
                    disability_kind="physical",
                ),
                _member("child", fictional_id("2009-01-15", "633"), "张晓雨", employment="student"),
            ],
            [("dibao", "1500.00", "2021-07"), ("disability_living", "90.00", "2021-07")],
            review_class="B",
            next_review_date="2027-01-01",
            bank=("SXRCU", "6230580000011170001"),
        ),
        _household(
            village,
            "TK-2018-0009",
            [_member("head", fictional_id("1939-12-01", "641"), "陈老汉", labour_capacity="none")],
            [("tekun_dispersed", "1210.00", "2018-03")],
            review_class="A",
            next_review_date="2027-03-01",
            bank=("SXRCU", "6230580000011170002"),
        ),
        _household(
            village,
            "DB-2024-0301",
            [
                _member("head", fictional_id("1985-06-20", "651"), "杨建军", employment="unemployed"),
                _member("child", fictional_id("2014-10-09", "662"), "杨乐乐", employment="student"),
            ],
            [("dibao", "1180.00", "2024-10")],
            # Due already: the review calendar opens its periodic review when the worker starts.
            review_class="C",
            next_review_date="2026-11-01",
            bank=("ICBC", "6222020000011170003"),
        ),
    ]


def load_casework_demo(base_url: str, county: str, village: str, passwords: dict[str, str]) -> None:
    """Standards from 2026-01-01, one filing, and three recipient households in `village`. Run once."""
    with demo_client(base_url, timeout=30) as client:
        officer = Staff.sign_in(client, "county.officer", passwords["county.officer"])
        officer.post(
            STANDARDS, {"region_prefix": county, "effective_from": "2026-01-01", "figures": FIGURES}, expect=201
        )
        zhang = fictional_id("1968-04-12", "611")
        for household in _households(village, zhang):
            officer.post(IMPORT, household, expect=201)
        # A township officer's sister is a recipient: the register makes the officer recuse from her household.
        officer.post(
            RELATIVES,
            {
                "staff_user": None,
                "staff_name": "城东街道 李干事",
                "staff_unit": "城东街道民政办",
                "staff_region": village[:9],
                "relative": {"id_number": zhang, "name": "张卫东"},
                "relation": "cousin",
            },
            expect=201,
        )
