from __future__ import annotations

from libs.kernel.errors import Conflict


class ApplicationDocumentNotAvailable(Conflict):
    code = "application_document_not_available"
