"""`python -m services.casework serve|migrate|replay`."""

from libs.kernel.cli import main
from services.casework.definition import DEFINITION

main(DEFINITION)
