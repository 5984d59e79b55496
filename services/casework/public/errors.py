"""The problems of the public page (codes and messages in libs/contracts/errors/casework.py)."""

from libs.kernel.errors import NotFound


class CountyNotPublic(NotFound):
    code = "county_not_public"
