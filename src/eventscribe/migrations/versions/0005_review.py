"""Review: what analysts made of events, and every change they made (issue 12).

``events`` gains ``review_status`` (unreviewed, accepted, rejected), ``overrides`` (JSON:
column -> the reviewed value, re-applied whenever the event is reconciled from its mentions
again), ``merged_into`` (the event a reviewer merged this one into), ``reviewed_at``, and the
fields a reviewer may set that the reconciliation did not keep a column for (the actors'
countries, arrest counts). ``review_records`` holds one row per change: who, when, which
action and field, the old and the new value (JSON) and the reviewer's note. Existing events
become ``unreviewed`` with no overrides: an upgrade keeps every value as it was (their stored
summaries are rewritten to carry the new fields).
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

NEW_EVENT_COLUMNS = (
    ("review_status", lambda: sa.Column("review_status", sa.String(16), nullable=False,
                                        server_default="unreviewed")),
    ("overrides", lambda: sa.Column("overrides", sa.Text())),
    ("merged_into", lambda: sa.Column("merged_into", sa.Integer())),
    ("reviewed_at", lambda: sa.Column("reviewed_at", sa.DateTime())),
    ("actor_country", lambda: sa.Column("actor_country", sa.String(3))),
    ("target_country", lambda: sa.Column("target_country", sa.String(3))),
    ("arrested_low", lambda: sa.Column("arrested_low", sa.Integer())),
    ("arrested_best", lambda: sa.Column("arrested_best", sa.Integer())),
    ("arrested_high", lambda: sa.Column("arrested_high", sa.Integer())),
)


def upgrade() -> None:
    # plain ALTER TABLE ADD COLUMN (no batch copy of the table: on SQLite that would drop
    # ``events`` while mentions and claims still point at it)
    for _, column in NEW_EVENT_COLUMNS:
        op.add_column("events", column())
    op.create_index("ix_events_review_status", "events", ["review_status"])
    op.create_table(
        "review_records",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.Integer(), sa.ForeignKey("events.id"), nullable=False),
        sa.Column("reviewer", sa.String(100), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("field", sa.String(64)),
        sa.Column("old_value", sa.Text()),
        sa.Column("new_value", sa.Text()),
        sa.Column("note", sa.Text()),
    )
    op.create_index("ix_review_records_event_id", "review_records", ["event_id"])
    from eventscribe.store_summaries import migrate_summaries  # they gain review_status, reviewed_fields

    migrate_summaries(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_review_records_event_id", table_name="review_records")
    op.drop_table("review_records")
    op.drop_index("ix_events_review_status", table_name="events")
    for name, _ in reversed(NEW_EVENT_COLUMNS):
        op.drop_column("events", name)  # SQLite >= 3.35 drops a column in place
