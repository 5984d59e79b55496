"""What the application form holds, step by step, and how it turns into the API's body and back.

The form is filled in steps (DOMAIN.md §3.1: the household, its members, income, expenditure, assets, supporters,
the bank account, the declarations); each step saves the whole application as a draft through the API, and the next
step starts from what the API holds (`GET …/applications/{id}/content`). A step's form carries only its own fields;
what it posts replaces exactly those fields and rows, so the other steps stay as saved.

Every field is named as the API names it, with dashes for places in the body (`members-1-id_number`): a refusal's
`loc` then finds its field (console.field_messages). Row 0 of the members is the applicant (申请人), filled in the
first step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Rows a group starts with, and the most it may grow to (the API's own limits).
GROUPS = {"members": (3, 30), "income": (1, 200), "expenditure": (1, 50), "assets": (1, 100), "obligors": (1, 20),
          "relatives": (1, 20)}  # fmt: skip
COLUMNS = {
    "members": (
        *("relation", "name", "id_number", "labour_capacity", "employment", "health", "illness"),
        *("disability_kind", "disability_grade"),
    ),
    "income": ("member_id_number", "kind", "amount_12_months", "note"),
    "expenditure": ("kind", "amount_12_months", "note"),
    "assets": ("kind", "member_id_number", "identifier", "description", "value"),
    "obligors": ("name", "id_number", "relation", "support_monthly"),
    "relatives": ("member_id_number", "staff_name", "staff_unit", "relation"),
}
# Columns chosen from a list always hold a value: a row counts as filled only when something else is typed in it.
CHOSEN = frozenset({"relation", "kind", "labour_capacity", "employment", "health", "disability_kind",
                    "disability_grade"})  # fmt: skip
CHECKBOXES = frozenset({"emergency", "truthfulness_commitment", "verification_authorisation"})
HEAD = tuple(f"members-0-{column}" for column in COLUMNS["members"])
PROXY = ("proxy-name", "proxy-id_number", "proxy-phone", "proxy-relation")
MAX_FIELDS = 2000
_MAX_VALUE = 200


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    singles: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()


STEPS = (
    Step("household", "申请事项与申请人", ("program", "region_code", "channel", "emergency", *HEAD, *PROXY)),
    Step("members", "家庭成员", groups=("members",)),
    Step("income", "收入", groups=("income",)),
    Step("expenditure", "刚性支出", groups=("expenditure",)),
    Step("assets", "家庭财产", groups=("assets",)),
    Step("obligors", "赡养（抚养、扶养）义务人", groups=("obligors",)),
    Step("bank", "银行账户", ("bank_code", "account_no", "holder_id_number")),
    Step(
        "declarations",
        "承诺与近亲属备案",
        ("truthfulness_commitment", "verification_authorisation", "declared"),
        ("relatives",),
    ),
)


def first_row(group: str) -> int:
    """The members step lists the others: row 0, the applicant, belongs to the first step."""
    return 1 if group == "members" else 0


# The step of each part of the API's body; what is not named here (program, region, applicant, proxy) is the first.
_PART_STEP = {"income": 2, "expenditure": 3, "assets": 4, "obligors": 5, "bank_account": 6, "declarations": 7}


def step_of(loc: list[Any]) -> int:
    """The step (0-based) whose form holds the place `loc` of a refusal names (`["body", "members", 2, "name"]`)."""
    parts = [p for p in loc if p not in ("body", "application")]
    if not parts:
        return 0
    if parts[0] == "members":
        return 1 if len(parts) > 1 and parts[1] != 0 else 0
    return _PART_STEP.get(str(parts[0]), 0)


@dataclass
class Filing:
    """What the form holds: every value as typed, and how many rows each group shows."""

    values: dict[str, str] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=lambda: {g: start for g, (start, _) in GROUPS.items()})

    def get(self, name: str) -> str:
        return self.values.get(name, "")

    def row(self, group: str, index: int) -> dict[str, str]:
        return {column: self.get(f"{group}-{index}-{column}") for column in COLUMNS[group]}

    def filled(self, group: str, start: int = 0) -> list[dict[str, str]]:
        """The rows of `group` with something typed in them, without the empty values."""
        rows = (self.row(group, i) for i in range(start, self.rows[group]))
        return [{k: v for k, v in r.items() if v} for r in rows if any(v for k, v in r.items() if k not in CHOSEN)]

    def take(self, step: Step, posted: dict[str, str]) -> None:
        """Replace this step's fields and rows with what its form posted (an unticked box posts nothing)."""
        for name in step.singles:
            self.values[name] = posted.get(name, "")
        for group in step.groups:
            for name in [n for n in self.values if n.startswith(f"{group}-")]:
                if int(name.split("-")[1]) >= first_row(group):
                    del self.values[name]
            self.values.update({n: v for n, v in posted.items() if n.startswith(f"{group}-")})
            typed = posted.get(f"{group}_rows", "")
            start, most = GROUPS[group]
            self.rows[group] = min(most, max(start, int(typed))) if typed.isdigit() else start


def read_posted(items: list[tuple[str, Any]]) -> dict[str, str]:
    return {name: value.strip()[:_MAX_VALUE] for name, value in items if isinstance(value, str)}


def blank(region_code: str) -> Filing:
    filing = Filing()
    filing.values.update({"program": "dibao", "channel": "counter", "members-0-relation": "head", "declared": "no"})
    if len(region_code) == 12:
        filing.values["region_code"] = region_code
    return filing


def _optional(row: dict[str, str], *names: str) -> dict[str, Any]:
    return {**row, **{n: row.get(n) or None for n in names}}


def body(filing: Filing) -> dict[str, Any]:
    """The API's ApplicationIn from the form; what a step has not reached yet goes as empty or unsigned."""
    members = _members(filing)
    applicant = filing.get("members-0-id_number")
    bank = None
    if filing.get("account_no"):
        bank = {"bank_code": filing.get("bank_code"), "account_no": filing.get("account_no"),
                "holder_id_number": filing.get("holder_id_number") or applicant}  # fmt: skip
    proxy = None
    if any(filing.get(n) for n in PROXY):
        proxy = {n.split("-", 1)[1]: filing.get(n) for n in PROXY if filing.get(n)}
    declared = filing.get("declared") == "yes"
    out: dict[str, Any] = {
        "program": filing.get("program"),
        "region_code": filing.get("region_code"),
        "channel": filing.get("channel") or "counter",
        "emergency": filing.get("emergency") == "on",
        "applicant_id_number": applicant,
        "members": members,
        "income": filing.filled("income"),
        "expenditure": filing.filled("expenditure"),
        "assets": [_optional(a, "member_id_number") for a in filing.filled("assets")],
        "obligors": filing.filled("obligors"),
        "bank_account": bank,
        "proxy": proxy,
        "note": filing.get("note"),
        "declarations": {
            "truthfulness_commitment": filing.get("truthfulness_commitment") == "on",
            "verification_authorisation": filing.get("verification_authorisation") == "on",
            "close_relative": {"declared": declared, "relatives": filing.filled("relatives") if declared else []},
        },
    }
    if filing.get("lead_id"):
        out["lead_id"] = filing.get("lead_id")
    return out


def _members(filing: Filing) -> list[dict[str, Any]]:
    people: list[dict[str, Any]] = filing.filled("members")
    for person in people:
        grade = person.get("disability_grade", "")
        if grade:
            person["disability_grade"] = int(grade) if grade.isdigit() else grade  # the API says what is wrong
    return people


def from_content(application_id: str, content: dict[str, Any]) -> Filing:
    """The form as the API holds the draft (its `content`), the applicant as row 0 of the members."""
    filing = Filing()
    put = filing.values
    put["application_id"] = application_id
    for name in ("program", "region_code", "channel", "note", "lead_id"):
        put[name] = _text(content.get(name))
    put["emergency"] = "on" if content.get("emergency") else ""
    members = list(content.get("members") or [])
    applicant = content.get("applicant_id_number")
    members.sort(key=lambda m: m.get("id_number") != applicant)  # stable: the others keep their order
    groups = {"members": members, "income": content.get("income"), "expenditure": content.get("expenditure"),
              "assets": content.get("assets"), "obligors": content.get("obligors")}  # fmt: skip
    declarations = content.get("declarations") or {}
    close_relative = declarations.get("close_relative") or {}
    groups["relatives"] = close_relative.get("relatives")
    for group, rows in groups.items():
        rows = list(rows or [])
        start, most = GROUPS[group]
        filing.rows[group] = min(most, max(start, len(rows) + 1))  # one empty row to add to
        for index, row in enumerate(rows):
            for column in COLUMNS[group]:
                put[f"{group}-{index}-{column}"] = _text(row.get(column))
    for name, value in (content.get("bank_account") or {}).items():
        put[name] = _text(value)  # the form drops the parent's name here, as the API's `loc` does
    for name, value in (content.get("proxy") or {}).items():
        put[f"proxy-{name}"] = _text(value)
    put["truthfulness_commitment"] = "on" if declarations.get("truthfulness_commitment") else ""
    put["verification_authorisation"] = "on" if declarations.get("verification_authorisation") else ""
    put["declared"] = "yes" if close_relative.get("declared") else "no"
    return filing


def _text(value: object) -> str:
    return "" if value is None else str(value)
