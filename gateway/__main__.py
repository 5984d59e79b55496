"""`python -m gateway serve|migrate|ensure-admin` (see gateway.cli)."""

from gateway.cli import main

main()
