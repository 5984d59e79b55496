"""What disbursement's presenters share: amounts as the API writes them.

Most fields of a response are a row's columns under the same name (`libs.kernel.presenters.from_row`); a presenter
names only the fields the API shows otherwise (an id under its API name, a masked name, an amount in yuan, a month as
YYYY-MM)."""

from __future__ import annotations

from libs.contracts.money import Money


def yuan(fen: int) -> str:
    return Money.from_fen(fen).to_str()
