"""What a registry provider's feed can be refused for (CONTRACTS.md §5; codes in libs/contracts/errors/matching.py)."""

from libs.kernel.errors import BadRequest, Conflict, Unprocessable

# --- the request: which source, which key, which format ---------------------------------------------------------


class UnknownSource(Unprocessable):
    code = "unknown_source"


class InvalidIdempotencyKey(Unprocessable):
    code = "invalid_idempotency_key"


class UnsupportedBodyFormat(Unprocessable):
    code = "unsupported_body_format"


class UnexpectedBody(Unprocessable):
    code = "unexpected_body"


# --- the body ---------------------------------------------------------------------------------------------------


class EmptyBody(Unprocessable):
    code = "empty_body"


class InvalidBody(Unprocessable):
    code = "invalid_body"


class UnframedFeed(Unprocessable):
    code = "unframed_body"


class DuplicateColumns(Unprocessable):
    code = "duplicate_columns"


class MissingColumns(Unprocessable):
    code = "missing_columns"


class TooManyRejectedRows(Unprocessable):
    code = "too_many_rejects"


class ClientDisconnected(BadRequest):
    code = "client_disconnected"


class FeedStalled(BadRequest):
    code = "body_stalled"


# --- the Idempotency-Key and the upload's state -----------------------------------------------------------------


class FeedInProgress(Conflict):
    code = "feed_in_progress"


class IdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"


class UploadFailed(Conflict):
    code = "upload_failed"


class UploadInProgress(Conflict):
    code = "upload_in_progress"


class UploadAlreadyLoaded(Conflict):
    code = "upload_already_loaded"
