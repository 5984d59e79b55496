"""Field types shared by intake's request bodies (applications, leads): what a name, a reason, a village code or a
phone number may be."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from libs.contracts.text import CleanLine, CleanText, PersonName

# Every name a person is known by: letters and the separators names use, never a formula or an invisible character
# (libs.contracts.text); other text is cleaned of control and bidirectional-override characters.
Name = PersonName
ShortText = Annotated[CleanLine, StringConstraints(max_length=500)]
Reason = Annotated[CleanText, StringConstraints(min_length=1, max_length=2000)]
VillageCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{12}$")]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9-]{5,20}$")]
