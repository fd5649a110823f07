"""Initial schema: documents, events, mentions, claims, event_links.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""
from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _what_when_where_who() -> list[sa.Column]:
    """The columns an event and its mentions share, as this revision made them (new objects
    each call: a column belongs to one table)."""
    return [
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("mode", sa.String(64)),
        sa.Column("date_start", sa.Date),
        sa.Column("date_end", sa.Date),
        sa.Column("date_precision", sa.String(16)),
        sa.Column("country", sa.String(3)),
        sa.Column("admin1", sa.String(255)),
        sa.Column("location", sa.String(255)),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("geo_precision", sa.String(16)),
        sa.Column("actor", sa.Text),
        sa.Column("actor_sector", sa.String(8)),
        sa.Column("target", sa.Text),
        sa.Column("target_sector", sa.String(8)),
    ]


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(255), primary_key=True),
        sa.Column("url", sa.Text),
        sa.Column("canonical_url", sa.Text),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("published", sa.Date),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("source", sa.Text),
        sa.Column("publisher", sa.String(255), nullable=False),
        sa.Column("ingested_at", sa.DateTime, nullable=False),
        sa.Column("duplicate_of", sa.String(255), sa.ForeignKey("documents.id")),
        sa.Column("minhash", sa.LargeBinary),
    )
    op.create_index("ix_documents_canonical_url", "documents", ["canonical_url"], unique=True)
    op.create_index("ix_documents_content_hash", "documents", ["content_hash"], unique=True)
    op.create_index("ix_documents_duplicate_of", "documents", ["duplicate_of"])

    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        *_what_when_where_who(),
        sa.Column("fatalities_low", sa.Integer),
        sa.Column("fatalities_best", sa.Integer),
        sa.Column("fatalities_high", sa.Integer),
        sa.Column("injured_low", sa.Integer),
        sa.Column("injured_best", sa.Integer),
        sa.Column("injured_high", sa.Integer),
        sa.Column("n_articles", sa.Integer, nullable=False),
        sa.Column("n_sources", sa.Integer, nullable=False),
        sa.Column("evidence", sa.Text),
        sa.Column("first_seen", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_events_block", "events", ["type", "country", "date_start"])
    op.create_index("ix_events_type_date", "events", ["type", "date_start"])
    op.create_index("ix_events_date", "events", ["date_start"])

    op.create_table(
        "mentions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("doc_id", sa.String(255), sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("event_key", sa.String(255), nullable=False),
        sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id")),
        *_what_when_where_who(),
        sa.Column("fatalities_min", sa.Integer),
        sa.Column("fatalities_max", sa.Integer),
        sa.Column("injured_min", sa.Integer),
        sa.Column("injured_max", sa.Integer),
        sa.Column("negated", sa.Boolean, nullable=False),
        sa.Column("hypothetical", sa.Boolean, nullable=False),
        sa.Column("evidence", sa.Text),
        sa.Column("data", sa.Text, nullable=False),
        sa.UniqueConstraint("doc_id", "event_key", name="uq_mentions_doc_event"),
    )
    op.create_index("ix_mentions_event_id", "mentions", ["event_id"])
    op.create_index("ix_mentions_type_date", "mentions", ["type", "date_start"])
    op.create_index("ix_mentions_country", "mentions", ["country"])

    op.create_table(
        "claims",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id")),
        sa.Column("mention_id", sa.Integer, sa.ForeignKey("mentions.id"), nullable=False),
        sa.Column("doc_id", sa.String(255), sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("publisher", sa.String(255), nullable=False),
        sa.Column("independent", sa.Boolean, nullable=False),
        sa.Column("field", sa.String(32), nullable=False),
        sa.Column("low", sa.Integer),
        sa.Column("high", sa.Integer),
    )
    op.create_index("ix_claims_event_id", "claims", ["event_id"])
    op.create_index("ix_claims_mention_id", "claims", ["mention_id"])

    op.create_table(
        "event_links",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("from_event", sa.Integer, sa.ForeignKey("events.id"), nullable=False),
        sa.Column("to_event", sa.Integer, sa.ForeignKey("events.id"), nullable=False),
        sa.Column("relation", sa.String(32), nullable=False),
        sa.Column("doc_id", sa.String(255), sa.ForeignKey("documents.id")),
        sa.Column("evidence", sa.Text),
        sa.UniqueConstraint("from_event", "to_event", "relation", name="uq_event_links"),
    )
    op.create_index("ix_event_links_to", "event_links", ["to_event"])


def downgrade() -> None:
    for table in ("event_links", "claims", "mentions", "events", "documents"):
        op.drop_table(table)
