"""The problems of the local figures (codes and messages in libs/contracts/errors/casework.py)."""

from libs.kernel.errors import Conflict, Unprocessable


class FigureExists(Conflict):
    code = "figure_exists"


class InvalidFigure(Unprocessable):
    code = "invalid_figure"
