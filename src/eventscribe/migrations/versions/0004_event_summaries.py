"""Events keep their summary ready to send: ``events.summary``, the JSON of the event's values.

``GET /api/events`` built a record per row and per request (a third of its time on a
1000-event page); it now sends the stored JSON, written by ``store.write_summaries`` whenever
an event changes. Existing events are filled here from the columns this revision knows.
An index on ``updated_at`` lets ``Store.version`` see any change to an event in one lookup.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("events", sa.Column("summary", sa.Text))
    op.create_index("ix_events_updated_at", "events", ["updated_at"])
    from eventscribe.store_summaries import migrate_summaries

    migrate_summaries(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_events_updated_at", table_name="events")
    op.drop_column("events", "summary")  # SQLite >= 3.35 drops a column in place
