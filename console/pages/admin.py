"""系统管理 for system administrators: 用户管理, 对接系统 (admin_accounts); 区划名称, 救助标准 (admin_settings);
工作日历 (admin_calendar)."""

from __future__ import annotations

from fastapi import APIRouter

from console.pages import admin_accounts, admin_calendar, admin_settings

router = APIRouter()
router.include_router(admin_accounts.router)
router.include_router(admin_settings.router)
router.include_router(admin_calendar.router)
