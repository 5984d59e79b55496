"""`python -m console serve` (see console.cli)."""

from console.cli import main

main()
