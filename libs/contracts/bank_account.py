"""A payee's bank account as staff type it: the one shape every service accepts (finance pays into it as written)."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from libs.contracts.models import Input
from libs.contracts.text import PersonName

# A bank's code (ICBC, ABC, SXRCU): it goes into finance's CSV as it is.
BankCode = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{2,12}$")]
AccountNo = Annotated[str, StringConstraints(pattern=r"^[0-9]{12,30}$")]


class PayeeAccountIn(Input):
    """The account a payment goes into, with the name it is held in."""

    bank_code: BankCode
    account_no: AccountNo
    holder_name: PersonName
