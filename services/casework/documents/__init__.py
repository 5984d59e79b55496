"""Casework's printed documents (issue 22): the decision letters and the recipient's card, kept with the case."""
