"""Intake's monthly figures (issue 22): applications and active-discovery leads by region."""
