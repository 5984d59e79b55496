from __future__ import annotations

from libs.kernel.errors import Conflict


class DocumentNotAvailable(Conflict):
    code = "document_not_available"


class PostingEmpty(Conflict):
    code = "posting_empty"
