"""What checking a hit can refuse (codes in libs/contracts/errors/matching.py)."""

from libs.kernel.errors import Conflict


class HitClosed(Conflict):
    code = "hit_closed"
