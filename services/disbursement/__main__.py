"""`python -m services.disbursement serve|migrate|replay`."""

from libs.kernel.cli import main
from services.disbursement.definition import DEFINITION

main(DEFINITION)
