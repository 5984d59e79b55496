"""Rules as rows (DOMAIN.md §5): the catalogue is seeded by the migration and changed by administrators."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, DateTime, Text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from services.matching.db import Base
from services.matching.rules.spec import RuleSpec


class Rule(Base):
    __tablename__ = "rules"

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    source: Mapped[str] = mapped_column(Text, index=True)
    kind: Mapped[str] = mapped_column(Text)
    roles: Mapped[list[str]] = mapped_column(ARRAY(Text))
    programs: Mapped[list[str]] = mapped_column(ARRAY(Text))
    conditions: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    aggregate: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    evidence_fields: Mapped[list[str]] = mapped_column(ARRAY(Text))
    severity: Mapped[str] = mapped_column(Text)
    suggested_action: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    enabled: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str] = mapped_column(Text)

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
