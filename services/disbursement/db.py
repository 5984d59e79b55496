from sqlalchemy.orm import DeclarativeBase

from libs.kernel.column_types import AnnotatedColumns
from libs.kernel.db import schema_metadata
from libs.kernel.document_archive import DocumentTables
from libs.kernel.messaging_tables import MessagingTables

SCHEMA = "disbursement"


class Base(AnnotatedColumns, DeclarativeBase):
    metadata = schema_metadata(SCHEMA)


tables = MessagingTables(Base.metadata)
# The funding letters kept with their rosters (issue 22, libs.kernel.document_archive).
documents = DocumentTables(Base.metadata)
