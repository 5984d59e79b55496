"""The problems of annual review campaigns (codes and messages in libs/contracts/errors/casework.py)."""

from libs.kernel.errors import Conflict, NotFound, Unprocessable


class CampaignNotFound(NotFound):
    code = "campaign_not_found"


class CampaignWindowInvalid(Unprocessable):
    code = "campaign_window_invalid"


class CampaignExists(Conflict):
    code = "campaign_exists"
