"""Printed documents (issue 22): A4 PDFs in Simplified Chinese, rendered the same way every time.

`layout` holds what a document says (pure data), `render` turns it into PDF bytes with an embedded CJK font subset
(`fonts`), and `wording` the Chinese dates and document numbers. Nothing here touches a database or the web: each
service keeps the bytes it rendered (libs.kernel.document_archive), so a reprint is the stored file, not a new render.
"""
