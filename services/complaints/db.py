from sqlalchemy.orm import DeclarativeBase

from libs.kernel.column_types import COLUMN_TYPES
from libs.kernel.db import schema_metadata
from libs.kernel.messaging_tables import MessagingTables
from libs.modules.work_calendar import calendar_years_table

SCHEMA = "complaints"


class Base(DeclarativeBase):
    metadata = schema_metadata(SCHEMA)
    type_annotation_map = COLUMN_TYPES


tables = MessagingTables(Base.metadata)
calendar_years = calendar_years_table(Base.metadata)
