"""Who calls Jiuzhu: the roles of staff and the scopes of partner clients (CONTRACTS.md, common rules).

They are part of the contract, not of the kernel: tokens carry them, partners are issued them, and the console shows
them, so every service and the gateway read them from here.
"""

from __future__ import annotations

from enum import StrEnum


class StaffRole(StrEnum):
    village_assistant = "village_assistant"
    township_officer = "township_officer"
    county_officer = "county_officer"
    city_supervisor = "city_supervisor"
    system_admin = "system_admin"


class Scope(StrEnum):
    hotline = "hotline"
    finance = "finance"
    province = "province"
    registry_feed = "registry_feed"
