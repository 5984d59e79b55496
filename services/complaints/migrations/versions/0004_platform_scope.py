"""Each platform on its own (issue 17): a work order's number is unique per client, not across clients, so another
platform's number is another order rather than a conflict naming its region; a platform's deliveries are read by
client and by item. The history notes of repeats that named an item of another platform, or a staff item, to a
platform that reads them lose that reference (new ones never carry it; the link itself is kept for staff).

Revision ID: complaints_0004
Revises: complaints_0003
Create Date: 2026-12-12
"""

from alembic import op

revision: str = "complaints_0004"
down_revision: str | None = "complaints_0003"


def upgrade() -> None:
    op.drop_constraint("pk_work_orders", "work_orders", type_="primary", schema="complaints")
    op.create_primary_key("pk_work_orders", "work_orders", ["client_id", "work_order_no"], schema="complaints")
    op.drop_constraint("uq_complaints_work_order_no", "complaints", type_="unique", schema="complaints")
    op.create_unique_constraint(
        "uq_complaints_client_work_order", "complaints", ["client_id", "work_order_no"], schema="complaints"
    )
    op.drop_index("ix_result_deliveries_work_order", table_name="result_deliveries", schema="complaints")
    op.create_index(
        "ix_result_deliveries_client",
        "result_deliveries",
        ["client_id", "created_at", "id"],
        unique=False,
        schema="complaints",
    )
    op.create_index(
        "ix_result_deliveries_complaint",
        "result_deliveries",
        ["complaint_id", "created_at"],
        unique=False,
        schema="complaints",
    )
    op.execute(
        """
        UPDATE complaints.status_changes AS sc
           SET note = regexp_replace(sc.note, '；重复件，关联 \\S+$', '；重复件')
          FROM complaints.complaints AS c
          JOIN complaints.complaints AS e ON e.id = c.repeat_of
         WHERE sc.complaint_id = c.id
           AND sc.note LIKE '%%重复件，关联 %%'
           AND (c.client_id IS NULL OR e.client_id IS DISTINCT FROM c.client_id)
        """
    )


def downgrade() -> None:
    # Fails if two platforms have used the same number since: which order would keep it is not this script's to say.
    # The history notes stay as they are.
    op.drop_index("ix_result_deliveries_complaint", table_name="result_deliveries", schema="complaints")
    op.drop_index("ix_result_deliveries_client", table_name="result_deliveries", schema="complaints")
    # 0002's index, as it was.
    index, columns = "ix_result_deliveries_work_order", ["work_order_no", "created_at"]
    op.create_index(index, "result_deliveries", columns, schema="complaints")
    op.drop_constraint("uq_complaints_client_work_order", "complaints", type_="unique", schema="complaints")
    op.create_unique_constraint("uq_complaints_work_order_no", "complaints", ["work_order_no"], schema="complaints")
    op.drop_constraint("pk_work_orders", "work_orders", type_="primary", schema="complaints")
    op.create_primary_key("pk_work_orders", "work_orders", ["work_order_no"], schema="complaints")
