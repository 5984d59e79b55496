"""The demo county's complaints: three 12345 work orders in village 140402001001, and the township's answer to the
first (DOMAIN.md §6, CONTRACTS.md §2).

The hotline client posts, through the gateway as the platform would: a real-name complaint about 杨建军 (a recipient
of demo_casework.py), a request for help (it becomes an active-discovery lead in intake, DOMAIN.md §8), and a second
call from the same phone about the same matter (linked to the first as a repeat petition). The township officer
then investigates the complaint and resolves it as unsubstantiated, with the reply relayed by the platform as the
written feedback: an unsubstantiated finding asks casework for no review.

Safe to run again: the work orders have fixed numbers and fixed content, so a second post answers 200 with the same
complaint; the note and the resolution are added only while the complaint is open. No callback is registered for
the hotline client (nothing listens locally), so the result waits in the delivery log, retried with back-off.
"""

from __future__ import annotations

from typing import Any

import httpx

from libs.demo_county.http import demo_client, partner_token
from libs.demo_county.intake import Staff, fictional_id

WORK_ORDERS = "/api/v1/hotline/work-orders"
COMPLAINTS = "/api/v1/complaints"
OPEN = {"received", "assigned", "investigating"}

# 杨建军 of demo_casework.py (the same fictional number).
YANG = (fictional_id("1985-06-20", "651"), "杨建军")
COMPLAINT_NO = "HL20261120000101"
HELP_NO = "HL20261120000102"
REPEAT_NO = "HL20261123000103"
CALLER = {"name": "高明", "phone": "13900000021", "id_number": None, "anonymous": False}


def work_orders(village: str) -> list[dict[str, Any]]:
    """The three work orders, in the order the platform received them."""
    return [
        {
            "work_order_no": COMPLAINT_NO,
            "received_at": "2026-11-20T09:15:00+08:00",
            "channel": "phone",
            "category": "complaint",
            "title": "反映杨建军有稳定工作仍领取低保",
            "content": "来电人反映东关社区杨建军在县城一家物流公司上班，每月有固定工资，仍在领取低保，请核查。",
            "region_code": village,
            "caller": CALLER,
            "subject": {"name": YANG[1], "id_number": YANG[0], "address": "东关社区"},
            # The platform's own deadline: it wins over the region's working days.
            "due_at": "2026-11-27T18:00:00+08:00",
            "raw": {"platform": "12345", "hotline_category": "民政-低保", "seat": "0412"},
        },
        {
            "work_order_no": HELP_NO,
            "received_at": "2026-11-20T10:02:00+08:00",
            "channel": "wechat",
            "category": "help",
            "title": "家中突遭变故请求救助",
            "content": "来电人丈夫因车祸住院，家中无其他收入，两个孩子上学，请求政府帮助。",
            "region_code": village,
            "caller": {
                "name": "郭淑芬",
                "phone": "13900000032",
                "id_number": None,
                "anonymous": False,
                "address": "东关社区 5 号楼 1 单元",
            },
            # No due_at: due in the region's working days (5 by default) after the day it was received.
            "raw": {"platform": "12345", "hotline_category": "民政-救助"},
        },
        {
            "work_order_no": REPEAT_NO,
            "received_at": "2026-11-23T08:40:00+08:00",
            "channel": "phone",
            "category": "complaint",
            "title": "再次反映杨建军领取低保问题",
            "content": "来电人称此前已反映杨建军有工作仍领取低保一事，询问核查进度。",
            "region_code": village,
            # Same phone as the first: a repeat petition (by caller), linked to it rather than a new matter.
            "caller": CALLER,
            "raw": {"platform": "12345", "hotline_category": "民政-低保", "urge": True},
        },
    ]


INVESTIGATION = {
    "text": "入户走访杨建军家，并向县城该物流公司核实：杨建军 2026 年 10 月在该公司临时装卸 5 天，按日结算，"
    "无劳动合同，无固定工资；所得已如实申报并计入家庭收入。",
    "visited_on": "2026-11-23",
}
RESOLUTION = {
    "finding": "unsubstantiated",
    "issue": "wrongful_inclusion",
    "reply": "经入户核查并向用工单位核实，杨建军仅有零星临时务工，无固定工作和工资，所得已计入家庭收入，"
    "家庭人均收入仍低于当地低保标准。反映其有稳定工作仍领取低保的情况不属实。",
    "feedback": {"text": "核查结果经 12345 平台答复来电人。", "method": "hotline_reply"},
}


def _post_work_order(client: httpx.Client, token: str, body: dict[str, Any]) -> str:
    """The complaint id of the work order: 201 the first time, 200 with the same answer on a later run."""
    reply = client.post(WORK_ORDERS, json=body, headers={"Authorization": f"Bearer {token}"})
    if reply.status_code not in (200, 201):
        number = body["work_order_no"]
        raise RuntimeError(f"demo county: work order {number} answered {reply.status_code}: {reply.text}")
    return str(reply.json()["complaint_id"])


def _answer(officer: Staff, complaint_id: str) -> None:
    """Investigate and resolve the complaint, unless an earlier run (or a person) already did."""
    reply = officer.client.get(f"{COMPLAINTS}/{complaint_id}", headers={"Authorization": f"Bearer {officer.token}"})
    if reply.status_code != 200:
        raise RuntimeError(f"demo county: complaint {complaint_id} answered {reply.status_code}: {reply.text}")
    item = reply.json()
    if item["status"] not in OPEN:
        return
    if not item["notes"]:
        officer.post(f"{COMPLAINTS}/{complaint_id}/notes", INVESTIGATION, expect=201)
    officer.post(f"{COMPLAINTS}/{complaint_id}/resolve", RESOLUTION)


def load_complaints_demo(base_url: str, village: str, passwords: dict[str, str], partner: dict[str, Any]) -> None:
    with demo_client(base_url, timeout=30) as client:
        token = partner_token(client, partner)
        ids = [_post_work_order(client, token, body) for body in work_orders(village)]
        officer = Staff.sign_in(client, "township.officer", passwords["township.officer"])
        _answer(officer, ids[0])
