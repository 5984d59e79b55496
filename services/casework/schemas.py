"""Request fields several of casework's APIs share."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

# A county's 6-digit region code, as a body names the county a raise or a campaign is for.
CountyCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{6}$")]
