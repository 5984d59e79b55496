"""A 422's `errors` placed beside the form's fields, in Chinese.

The API names each field by its place in the JSON body (`["body", "members", 0, "id_number"]`); the forms name it
the same way with dashes (`members-0-id_number`). What the validator said is English, so the message is chosen by the
kind of field and of failure; a field the form does not show gets the problem's own (catalogue) message at the top.
"""

from __future__ import annotations

from typing import Any

# Body places whose form field drops their parent's name.
_FLATTENED = ("bank_account", "declarations", "close_relative")


def field_name(loc: list[Any]) -> str:
    # `body` for a refused request, `application` for a stored one refused at submission.
    parts = [str(p) for p in loc if p not in ("body", "application") and str(p) not in _FLATTENED]
    return "-".join(parts)


def message(name: str, kind: str) -> str:
    if kind == "missing":
        return "此项必填"
    if "id_number" in name:
        return "身份证号不正确，请核对 18 位号码及最后一位校验码"
    if "amount" in name or "support" in name or name.endswith("value"):
        return "金额不正确：以元为单位，最多两位小数"
    if name.endswith("account_no"):
        return "银行账号应为 8 至 32 位数字"
    if name.endswith("name"):
        return "姓名不正确"
    if kind in {"string_too_long", "too_long"}:
        return "填写的内容过长"
    return "填写的内容不正确"


def beside_fields(errors: list[dict[str, Any]]) -> dict[str, str]:
    placed: dict[str, str] = {}
    for error in errors:
        loc = error.get("loc") or []
        if isinstance(loc, list) and loc:
            name = field_name(loc)
            chinese = error.get("title_zh")  # the catalogue's words for the rule this field broke
            placed.setdefault(name, str(chinese) if chinese else message(name, str(error.get("type") or "")))
    return placed
