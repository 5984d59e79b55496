"""`python -m services.matching serve|migrate|replay`."""

from libs.kernel.cli import main
from services.matching.definition import DEFINITION

main(DEFINITION)
