"""Matching's monthly figures (issue 22): registry hits by source and outcome, and deaths found, by region."""
