"""Modules several services mount as they are: a table of their own, its repository and its admin API."""
