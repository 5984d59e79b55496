"""`python -m services.intake serve|migrate|replay`."""

from libs.kernel.cli import main
from services.intake.definition import DEFINITION

main(DEFINITION)
