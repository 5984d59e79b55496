"""Complaints' monthly figures (issue 22): the ledger's items by kind, channel and timeliness, by region."""
