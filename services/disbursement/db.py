from sqlalchemy.orm import DeclarativeBase

from libs.kernel.column_types import COLUMN_TYPES
from libs.kernel.db import schema_metadata
from libs.kernel.messaging_tables import MessagingTables

SCHEMA = "disbursement"


class Base(DeclarativeBase):
    metadata = schema_metadata(SCHEMA)
    type_annotation_map = COLUMN_TYPES


tables = MessagingTables(Base.metadata)
