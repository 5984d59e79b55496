"""The tables of revision disbursement_0002, one module per part of the service, as that revision created them.

The revision imports these; they are frozen with it (a later change to a model is a new revision, never an edit here)."""
