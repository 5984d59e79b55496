"""The parts of migration casework_0002, in the order it runs them (kept apart so no file grows past 400 lines)."""
