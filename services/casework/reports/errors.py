"""The problems of village reports (codes and messages in libs/contracts/errors/casework.py)."""

from libs.kernel.errors import Conflict, NotFound, Unprocessable


class ReportExists(Conflict):
    code = "report_exists"


class ReportNotFound(NotFound):
    code = "report_not_found"


class PeriodInFuture(Unprocessable):
    code = "period_in_future"


class InvalidVillageCode(Unprocessable):
    code = "invalid_village_code"


class InvalidRegionCode(Unprocessable):
    code = "invalid_region_code"


class InvalidTownshipCode(Unprocessable):
    code = "invalid_township_code"


class DuplicateChange(Unprocessable):
    code = "duplicate_change"


class DetailRequired(Unprocessable):
    code = "detail_required"


class ZeroReportRequired(Unprocessable):
    code = "zero_report_required"


class ZeroReportWithEntries(Unprocessable):
    code = "zero_report_with_entries"


class UnknownHousehold(Unprocessable):
    code = "unknown_household"


class DuplicateHousehold(Unprocessable):
    code = "duplicate_household"


class HouseholdsMissing(Unprocessable):
    code = "households_missing"


class InvalidPeriod(Unprocessable):
    # libs.contracts.period's code for a malformed month; catalogued in common, with the other value types.
    code = "invalid_period"


# A report's checks (reports/rules.py) name their violations by code; the first one is the problem raised.
PROBLEMS: dict[str, type[Unprocessable]] = {
    c.code: c
    for c in (
        PeriodInFuture,
        InvalidVillageCode,
        InvalidRegionCode,
        InvalidTownshipCode,
        DuplicateChange,
        DetailRequired,
        ZeroReportRequired,
        ZeroReportWithEntries,
        UnknownHousehold,
        DuplicateHousehold,
        HouseholdsMissing,
        InvalidPeriod,
    )
}
