"""Worker entry point: the outbox relay and the consumers, with health and metrics but no API routes."""

import sys

from libs.kernel.cli import main as cli_main
from services.intake.definition import DEFINITION


def main() -> None:
    cli_main(DEFINITION, ["serve", "--role", "worker", *sys.argv[1:]])


if __name__ == "__main__":
    main()
