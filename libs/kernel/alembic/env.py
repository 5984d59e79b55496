"""Shared Alembic environment: see libs.kernel.migrations."""

from alembic import context

from libs.kernel.migrations import run_env

run_env(context)
