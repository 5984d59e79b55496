"""The demo county that `make run` loads: one county of Shanxi with its townships, villages, staff, partners and
households at every step, written through the public API as a county would."""
