"""Rules as rows (DOMAIN.md §5): the catalogue is seeded by the migration and changed by administrators."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from libs.kernel.column_types import TextKey
from services.matching.db import Base
from services.matching.rules.spec import RuleSpec


class Rule(Base):
    __tablename__ = "rules"

    id: Mapped[TextKey]
    source: Mapped[str] = mapped_column(index=True)
    kind: Mapped[str]
    roles: Mapped[list[str]]
    programs: Mapped[list[str]]
    conditions: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    aggregate: Mapped[dict[str, Any] | None]
    evidence_fields: Mapped[list[str]]
    severity: Mapped[str]
    suggested_action: Mapped[str]
    description: Mapped[str]
    enabled: Mapped[bool]
    updated_at: Mapped[dt.datetime]
    updated_by: Mapped[str]

    def spec(self) -> RuleSpec:
        return RuleSpec.model_validate(
            {
                "id": self.id,
                "source": self.source,
                "kind": self.kind,
                "roles": self.roles,
                "programs": self.programs,
                "conditions": self.conditions,
                "aggregate": self.aggregate,
                "evidence_fields": self.evidence_fields,
                "severity": self.severity,
                "suggested_action": self.suggested_action,
                "description": self.description,
                "enabled": self.enabled,
            }
        )


def row_values(spec: RuleSpec) -> dict[str, Any]:
    """The column values of a rule, from its validated form."""
    data = spec.model_dump(mode="json")
    return {**data, "aggregate": data["aggregate"]}
