"""The registry's problems (codes and messages in libs/contracts/errors/casework.py)."""

from libs.kernel.errors import Conflict, NotFound


class HouseholdNotFound(NotFound):
    code = "household_not_found"


class NotYetRegistered(NotFound):
    code = "not_yet_registered"


class PersonAlreadyRecipient(Conflict):
    code = "person_already_recipient"
