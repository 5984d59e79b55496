"""API models of the token endpoint and the administration endpoints (no ORM imports)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Self

from pydantic import (
    AfterValidator,
    AnyHttpUrl,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from gateway.auth.password_policy import MAX_LENGTH, MIN_LENGTH
from libs.contracts.region import normalise_prefix
from libs.contracts.staff import Scope, StaffRole
from libs.contracts.text import clean_line


def _fold_username(value: object) -> object:
    # Before the pattern: pydantic checks a pattern before `to_lower`, and "Zhang.San" is the same user as
    # "zhang.san" (sign-in folds case too).
    return value.strip().lower() if isinstance(value, str) else value


Username = Annotated[str, BeforeValidator(_fold_username), StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{1,63}$")]
DisplayName = Annotated[str, StringConstraints(max_length=400), AfterValidator(lambda v: _bounded_line(v, 100))]
# Long passphrases are welcome; the upper bound only stops a megabyte "password" from tying up a hashing thread. The
# rest of the policy is checked where the username is known too (gateway.auth.password_policy).
Password = Annotated[str, Field(min_length=MIN_LENGTH, max_length=MAX_LENGTH)]
Reason = Annotated[str, StringConstraints(max_length=2000), AfterValidator(lambda v: _bounded_line(v, 500))]


def _bounded_line(value: str, limit: int) -> str:
    """One line of text without invisible characters (libs.contracts.text), 1 to `limit` characters."""
    cleaned = clean_line(value)
    if not 1 <= len(cleaned) <= limit:
        raise ValueError(f"1 to {limit} characters (control and invisible characters do not count)")
    return cleaned


def _region_prefix(value: str) -> str:
    return normalise_prefix(value)  # raises ValueError (InvalidRegionCode): a 422 naming the field


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: Username
    password: Password
    display_name: DisplayName
    roles: list[StaffRole] = Field(min_length=1, max_length=len(StaffRole))
    region_code: str = Field(description='Jurisdiction prefix: 2, 4, 6, 9 or 12 digits; "" for system_admin only')

    @field_validator("region_code")
    @classmethod
    def _valid_prefix(cls, value: str) -> str:
        return _region_prefix(value)

    @model_validator(mode="after")
    def _everywhere_only_for_admins(self) -> Self:
        if self.region_code == "" and StaffRole.system_admin not in self.roles:
            raise ValueError('region_code "" (everywhere) is reserved for system_admin')
        return self


class UserOut(BaseModel):
    user_id: str
    username: str
    display_name: str
    roles: list[str]
    region_code: str
    is_active: bool
    # An administrator reset the password and the user has not chosen their own yet.
    reset_pending: bool = False
    created_at: datetime


class AccountAction(BaseModel):
    """Why an administrator deactivates, reactivates, unlocks or revokes: kept in the record of administrative acts."""

    model_config = ConfigDict(extra="forbid")

    reason: Reason


class PasswordReset(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason
    password: Password | None = Field(
        default=None, description="The temporary password; omitted: one is generated and shown in the answer, once"
    )


class PasswordResetDone(BaseModel):
    user: UserOut
    temporary_password: str | None = Field(
        default=None, description="Only when generated; the user must choose a new one at the next sign-in"
    )


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: Annotated[str, Field(min_length=1, max_length=MAX_LENGTH)]
    new_password: Password


class ClientCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: DisplayName
    scopes: list[Scope] = Field(min_length=1, max_length=len(Scope))
    region_code: str = Field(description="Jurisdiction prefix: 2, 4, 6, 9 or 12 digits")
    callback_url: AnyHttpUrl | None = Field(default=None, description="Where result pushes go (CONTRACTS.md §2)")

    @field_validator("region_code")
    @classmethod
    def _valid_prefix(cls, value: str) -> str:
        prefix = _region_prefix(value)
        if prefix == "":
            raise ValueError("a partner client needs a jurisdiction prefix of 2 to 12 digits")
        return prefix

    @field_validator("callback_url")
    @classmethod
    def _short_url(cls, value: AnyHttpUrl | None) -> AnyHttpUrl | None:
        if value is not None and len(str(value)) > 2048:
            raise ValueError("callback_url is longer than 2048 characters")
        return value


class CallbackChange(BaseModel):
    """A hotline client's new callback; its secret proves the caller holds the client (pushes are signed with it)."""

    model_config = ConfigDict(extra="forbid")

    callback_url: AnyHttpUrl = Field(description="Where result pushes go (https in production, no internal address)")
    client_secret: Annotated[str, Field(min_length=16, max_length=256)]
    reason: Reason


class ClientOut(BaseModel):
    client_id: str
    name: str
    scopes: list[str]
    region_code: str
    callback_url: str | None
    is_active: bool
    created_at: datetime


class ClientCreated(ClientOut):
    client_secret: str = Field(description="Shown only in this response; the gateway keeps just its hash")


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth token type, not a secret
    expires_in: int
    scope: str
    refresh_token: str | None = Field(
        default=None, description="Staff only: exchange it (grant_type=refresh_token) for the next access token"
    )
    password_change_required: bool = Field(
        default=False, description="The password was reset: this token serves only POST /api/v1/auth/password"
    )
