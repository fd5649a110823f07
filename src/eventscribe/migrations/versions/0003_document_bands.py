"""A shared near-duplicate index: the MinHash LSH band keys of original documents.

Each process used to build its LSH index in memory once and never saw what other processes
stored, so two ingests at once (or `serve` beside a CLI ingest) stored syndicated copies as
independent sources. The band keys now live in an indexed table, queried inside the write
transaction. Existing databases are filled from the stored signatures.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_bands",
        sa.Column("band", sa.String(32), nullable=False),
        sa.Column("doc_id", sa.String(255), sa.ForeignKey("documents.id"), nullable=False),
    )
    op.create_index("ix_document_bands_band", "document_bands", ["band"])
    from eventscribe import dedup

    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, minhash FROM documents WHERE duplicate_of IS NULL AND minhash IS NOT NULL"))
    bands = sa.table("document_bands", sa.column("band"), sa.column("doc_id"))
    batch = []
    for doc_id, minhash in rows:
        batch += [{"band": b, "doc_id": doc_id} for b in dedup.band_keys(dedup.minhash_from_bytes(minhash))]
        if len(batch) >= 5000:
            conn.execute(bands.insert(), batch)
            batch = []
    if batch:
        conn.execute(bands.insert(), batch)


def downgrade() -> None:
    op.drop_index("ix_document_bands_band", table_name="document_bands")
    op.drop_table("document_bands")
