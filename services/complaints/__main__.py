"""`python -m services.complaints serve|migrate|replay`."""

from libs.kernel.cli import main
from services.complaints.definition import DEFINITION

main(DEFINITION)
