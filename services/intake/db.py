from sqlalchemy.orm import DeclarativeBase

from libs.kernel.column_types import AnnotatedColumns
from libs.kernel.db import schema_metadata
from libs.kernel.document_archive import DocumentTables
from libs.kernel.messaging_tables import MessagingTables
from libs.modules.work_calendar import calendar_years_table

SCHEMA = "intake"


class Base(AnnotatedColumns, DeclarativeBase):
    metadata = schema_metadata(SCHEMA)


tables = MessagingTables(Base.metadata)
calendar_years = calendar_years_table(Base.metadata)
# The printed notices kept with their applications (issue 22, libs.kernel.document_archive).
documents = DocumentTables(Base.metadata)
