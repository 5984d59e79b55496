from sqlalchemy.orm import DeclarativeBase

from libs.kernel.db import schema_metadata
from libs.kernel.messaging_tables import MessagingTables

SCHEMA = "disbursement"


class Base(DeclarativeBase):
    metadata = schema_metadata(SCHEMA)


tables = MessagingTables(Base.metadata)
