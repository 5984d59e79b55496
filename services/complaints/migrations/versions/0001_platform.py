"""Platform tables: outbox, inbox, dead letters, probe receipts (the kernel's revision, in this service's schema)."""

from libs.kernel.migrations import messaging_revision_v1

revision = "complaints_0001"
down_revision = None
upgrade, downgrade = messaging_revision_v1("complaints")
