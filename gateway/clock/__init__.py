"""The training clock's setting (issue 21): set by a national administrator, delivered to every service."""
