"""The demo county's intake data: applications at each stage and two village referrals (DOMAIN.md §3, §8).

Entered through the gateway by the demo staff, as they would at the counter: the village assistant files and
submits, the township officer accepts or returns. Every identity number is fictional, built with the check
character so it validates (the 17th digit gives the sex: odd for men, even for women). The bodies are written out
here as JSON: libraries never import a service's schemas.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx

from libs.contracts.id_number import check_character
from libs.demo_county.http import demo_client

APPLICATIONS = "/api/v1/intake/applications"
LEADS = "/api/v1/intake/leads"


def fictional_id(born: str, seq: str, region: str = "140402") -> str:
    first17 = f"{region}{date.fromisoformat(born):%Y%m%d}{seq}"
    return first17 + check_character(first17)


@dataclass(frozen=True)
class Staff:
    """One demo staff user signed in to the gateway."""

    client: httpx.Client
    token: str

    @classmethod
    def sign_in(cls, client: httpx.Client, username: str, password: str) -> Staff:
        reply = client.post(
            "/api/v1/auth/token", data={"grant_type": "password", "username": username, "password": password}
        )
        _expect(reply, 200)
        return cls(client, str(reply.json()["access_token"]))

    def post(self, path: str, body: dict[str, Any] | None = None, *, expect: int = 200) -> dict[str, Any]:
        reply = self.client.post(path, json=body, headers={"Authorization": f"Bearer {self.token}"})
        _expect(reply, expect)
        result: dict[str, Any] = reply.json()
        return result


def _expect(reply: httpx.Response, status: int) -> None:
    if reply.status_code != status:
        raise RuntimeError(
            f"demo county: {reply.request.method} {reply.request.url.path} answered {reply.status_code}: {reply.text}"
        )


def _member(relation: str, id_number: str, name: str, labour: str, employment: str, **extra: Any) -> dict[str, Any]:
    return {
        "relation": relation,
        "id_number": id_number,
        "name": name,
        "labour_capacity": labour,
        "employment": employment,
        **extra,
    }


def _application(
    program: str,
    village: str,
    members: list[dict[str, Any]],
    *,
    channel: str = "counter",
    signed: bool = True,
    relatives: list[dict[str, Any]] | None = None,
    account_no: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    head = members[0]["id_number"]
    return {
        "program": program,
        "region_code": village,
        "channel": channel,
        "applicant_id_number": head,
        "members": members,
        "bank_account": (
            {"bank_code": "ICBC", "account_no": account_no, "holder_id_number": head} if account_no else None
        ),
        "declarations": {
            "truthfulness_commitment": signed,
            "verification_authorisation": signed,
            "close_relative": {"declared": bool(relatives), "relatives": relatives or []},
        },
        **extra,
    }


def load_intake_demo(base_url: str, village: str, passwords: dict[str, str], user_ids: dict[str, str]) -> None:
    """Five applications (draft, submitted, returned, two accepted) and two referrals in `village`.

    Run once, right after the demo staff were created: a repeat would file the same people again (and be refused,
    since a person can be in only one open application).
    """
    with demo_client(base_url, timeout=30) as client:
        assistant = Staff.sign_in(client, "village.assistant", passwords["village.assistant"])
        township = Staff.sign_in(client, "township.officer", passwords["township.officer"])

        # A draft still being filled in: no payment account yet, the declarations not yet signed.
        wang = fictional_id("1975-03-14", "011")
        draft = _application(
            "dibao",
            village,
            [
                _member("head", wang, "王建国", "partial", "unemployed", health="chronic_illness"),
                _member("spouse", fictional_id("1978-06-02", "022"), "李秀英", "partial", "farming"),
                _member("child", fictional_id("2010-09-30", "031"), "王小明", "none", "student"),
            ],
            signed=False,
            income=[{"member_id_number": wang, "kind": "wages", "amount_12_months": "9600.00"}],
            expenditure=[{"kind": "education", "amount_12_months": "2400.00"}],
        )
        assistant.post(APPLICATIONS, draft, expect=201)

        # Submitted by proxy for an elderly woman living alone, waiting for the township to accept it.
        liu = fictional_id("1946-11-20", "042")
        alone = _application(
            "tekun_dispersed",
            village,
            [_member("head", liu, "刘桂兰", "none", "not_working", health="chronic_illness", illness="高血压")],
            channel="proxy",
            proxy={"name": "刘志刚", "id_number": fictional_id("1972-04-30", "053"), "relation": "侄子"},
            account_no="6222020000000000042",
            income=[{"member_id_number": liu, "kind": "transfers", "amount_12_months": "1800.00"}],
        )
        _submit(assistant, assistant.post(APPLICATIONS, alone, expect=201))

        # Accepted: the 30-working-day clock runs, and casework and matching have the application.
        chen = fictional_id("1968-04-09", "051")
        zhang = fictional_id("1970-12-01", "062")
        disabled = _application(
            "dibao",
            village,
            [
                _member("head", chen, "陈志强", "none", "not_working", disability_kind="physical", disability_grade=2),
                _member("spouse", zhang, "张丽", "partial", "flexible"),
            ],
            account_no="6222020000000000051",
            income=[
                {"member_id_number": zhang, "kind": "wages", "amount_12_months": "14400.00"},
                {"member_id_number": chen, "kind": "transfers", "amount_12_months": "1200.00"},
            ],
            expenditure=[{"kind": "rehabilitation", "amount_12_months": "6000.00"}],
            assets=[{"kind": "house", "member_id_number": chen, "description": "自建房 70㎡"}],
            obligors=[
                {
                    "id_number": fictional_id("1993-07-15", "071"),
                    "name": "陈浩",
                    "relation": "子",
                    "support_monthly": "200.00",
                }
            ],
        )
        application = _submit(assistant, assistant.post(APPLICATIONS, disabled, expect=201))
        township.post(f"{APPLICATIONS}/{application['application_id']}/accept")

        # Accepted, with a close-relative declaration: the spouse is the village assistant's sister, so the
        # assistant must recuse herself (DOMAIN.md §7) and the township files it.
        sun = fictional_id("1972-02-18", "081")
        zhao = fictional_id("1974-09-23", "092")
        relative = {
            "member_id_number": zhao,
            "staff_name": "赵协理员",
            "staff_user": user_ids["village.assistant"],
            "staff_unit": "东关社区",
            "relation": "sibling",
        }
        declared = _application(
            "dibao",
            village,
            [
                _member("head", sun, "孙德明", "none", "unemployed", health="serious_illness"),
                _member("spouse", zhao, "赵秀梅", "partial", "farming"),
            ],
            relatives=[relative],
            account_no="6222020000000000081",
            income=[{"member_id_number": zhao, "kind": "business", "amount_12_months": "7200.00"}],
            expenditure=[{"kind": "medical", "amount_12_months": "18000.00"}],
        )
        application = _submit(township, township.post(APPLICATIONS, declared, expect=201))
        township.post(f"{APPLICATIONS}/{application['application_id']}/accept")

        # Returned for supplement, with everything missing listed at once (一次性告知).
        zhou = fictional_id("1985-05-05", "111")
        marginal = _application(
            "marginal",
            village,
            [
                _member("head", zhou, "周磊", "full", "flexible"),
                _member("spouse", fictional_id("1987-08-08", "122"), "吴芳", "partial", "not_working"),
                _member("child", fictional_id("2016-01-12", "132"), "周欣怡", "none", "student"),
            ],
            income=[{"member_id_number": zhou, "kind": "wages", "amount_12_months": "28800.00"}],
        )
        application = _submit(assistant, assistant.post(APPLICATIONS, marginal, expect=201))
        missing = [
            {"item": "周磊 近 12 个月灵活就业收入情况说明", "note": "由本人签字"},
            {"item": "吴芳 照料子女无法就业的情况说明", "note": "村（居）委会出具"},
        ]
        township.post(f"{APPLICATIONS}/{application['application_id']}/return", {"missing": missing})

        # Two referrals from home visits (主动发现), for the township to follow up.
        for person, kind, detail in (
            (
                {
                    "name": "吴德福",
                    "id_number": fictional_id("1950-03-03", "141"),
                    "phone": "13800000002",
                    "address": "东关社区 3 号楼 2 单元",
                },
                "serious_illness",
                "独居老人，近期确诊重病，子女在外地，生活无人照料",
            ),
            (
                {"name": "郑红", "phone": "13800000003", "address": "东关社区 平房区 17 号"},
                "disaster",
                "房屋因连续降雨部分坍塌，一家三口暂住亲戚家",
            ),
        ):
            assistant.post(
                LEADS, {"region_code": village, "person": person, "kind": kind, "detail": detail}, expect=201
            )


def _submit(staff: Staff, application: dict[str, Any]) -> dict[str, Any]:
    return staff.post(f"{APPLICATIONS}/{application['application_id']}/submit")
