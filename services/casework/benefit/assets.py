"""The household's declared assets valued against the region's limits (财产市值, seed 004 二(四), 二(十)).

Only for the household-tested programs (低保, 单人保, 低保边缘): deposits and securities per person against a number
of months of the dibao standard, a count of vehicles (any vehicle not deregistered stops in principle) and of houses
(two homes stop in principle). A business registration is not a limit: it calls for the operation to be checked, so
it is a line without a reason. An asset declared without a value counts as 0.00 and the line says so.
"""

from __future__ import annotations

from fractions import Fraction

from libs.contracts.events.intake import AssetKind
from services.casework.benefit.amounts import sum_of, yuan
from services.casework.benefit.facts import AssetItem, Line, MissingStandard
from services.casework.local_figures.figures import Standards

FINANCIAL: frozenset[str] = frozenset({AssetKind.DEPOSIT, AssetKind.SECURITIES})


def _of(assets: tuple[AssetItem, ...], kinds: frozenset[str]) -> list[AssetItem]:
    return [a for a in assets if a.kind in kinds]


def _count(items: list[AssetItem], allowed: int, zh: str, unit: str, en: str) -> tuple[Line | None, str | None]:
    if not items:
        return None, None
    n, label = len(items), f"{zh} {en}"
    if n <= allowed:
        return Line(label, f"{n}{unit} ≤ 本地区限额 the region's limit {allowed}", None), None
    line = Line(label, f"{n}{unit} > 本地区限额 the region's limit {allowed}：超过 above", None)
    return line, f"{zh}{n}{unit}，超过本地区限额{allowed}{unit} {n} {en}: above the region's limit of {allowed}"


def _financial(assets: list[AssetItem], standards: Standards, members: int) -> tuple[Line | None, str | None]:
    if not assets:
        return None, None
    standard = standards.dibao_standard_fen
    if standard is None:
        raise MissingStandard("dibao_standard_fen")
    months = standards.financial_assets_months
    values = [a.value_fen or 0 for a in assets]
    total = sum(values)
    # Exactly at the limit is within it; compared in whole fen (total ≤ months × standard × members), no division.
    above = total > months * standard * members
    formula = (
        f"{sum_of([yuan(v) for v in values])} / {members} = {yuan(Fraction(total, members))} "
        f"{'>' if above else '≤'} {months} × {yuan(standard)} = {yuan(months * standard)}"
    )
    unvalued = sum(1 for a in assets if a.value_fen is None)
    if unvalued:
        formula += f"（{unvalued}项未申报价值，按0.00计 {unvalued} without a declared value, counted as 0.00）"
    line = Line("家庭人均金融资产 financial assets per person (deposits, securities)", formula, total)
    if not above:
        return line, None
    return line, (
        f"家庭人均金融资产超过{months}个月低保标准 financial assets per person above {months} months of the dibao "
        "standard"
    )


def asset_test(assets: tuple[AssetItem, ...], standards: Standards, members: int) -> tuple[list[Line], list[str]]:
    """The asset lines and the reasons the household is above a limit (none: within every limit)."""
    checks = [
        _financial(_of(assets, FINANCIAL), standards, members),
        _count(_of(assets, frozenset({AssetKind.VEHICLE})), standards.vehicles_allowed, "车辆", "辆", "vehicles"),
        _count(_of(assets, frozenset({AssetKind.HOUSE})), standards.houses_allowed, "住房", "套", "houses"),
    ]
    lines = [line for line, _ in checks if line is not None]
    reasons = [reason for _, reason in checks if reason is not None]
    registrations = len(_of(assets, frozenset({AssetKind.BUSINESS_REGISTRATION})))
    if registrations:
        lines.append(
            Line(
                "工商登记 business registrations",
                f"{registrations}项，须核实实际经营情况 the actual operation is to be checked",
                None,
            )
        )
    return lines, reasons
