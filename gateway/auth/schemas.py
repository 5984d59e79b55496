"""API models of the token endpoint and the administration endpoints (no ORM imports)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Self

from pydantic import (
    AnyHttpUrl,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from libs.contracts.region import normalise_prefix
from libs.kernel.auth import Scope, StaffRole


def _fold_username(value: object) -> object:
    # Before the pattern: pydantic checks a pattern before `to_lower`, and "Zhang.San" is the same user as
    # "zhang.san" (sign-in folds case too).
    return value.strip().lower() if isinstance(value, str) else value


Username = Annotated[str, BeforeValidator(_fold_username), StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{1,63}$")]
DisplayName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
# Long passphrases are welcome; the upper bound only stops a megabyte "password" from tying up a hashing thread.
Password = Annotated[str, Field(min_length=12, max_length=256)]


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
    created_at: datetime


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
