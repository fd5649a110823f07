"""Fill the parties' countries and the arrests of existing events from their mentions.

Migration 0005 added ``actor_country``, ``target_country`` and ``arrested_low/best/high`` for
reviewers to set; the merge now also reconciles them from the mentions' records
(:meth:`eventscribe.dedup.Merger.recompute`). Events stored before get them here, in one pass
over the mentions; a value a reviewer already set is kept. No schema change.
"""

import json
from collections import defaultdict

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

COLUMNS = ("actor_country", "target_country", "arrested_low", "arrested_best", "arrested_high")


def upgrade() -> None:
    from eventscribe import dedup, store

    conn = op.get_bind()
    mt, dc, ev = store.mentions, store.documents, store.events
    rows = conn.execute(sa.select(mt.c.event_id, *dedup.mention_extras(mt, conn.dialect.name), dc.c.publisher,
                                  dc.c.duplicate_of).join(dc, dc.c.id == mt.c.doc_id)
                        .where(mt.c.event_id.is_not(None)))
    by_event = defaultdict(list)
    for r in rows:
        if r.actor_country or r.target_country or r.arrested_min is not None or r.arrested_max is not None:
            by_event[r.event_id].append(r)
    if not by_event:
        return
    reviewed = {r.id: set(json.loads(r.overrides)) for r in conn.execute(
        sa.select(ev.c.id, ev.c.overrides).where(ev.c.overrides.is_not(None)))}
    for event_id, ms in by_event.items():
        arrested = dedup.reconcile_counts([(m.publisher, m.duplicate_of is None, m.arrested_min, m.arrested_max)
                                           for m in ms])
        values = dict(actor_country=dedup._most_common(m.actor_country for m in ms),
                      target_country=dedup._most_common(m.target_country for m in ms),
                      arrested_low=arrested.low, arrested_best=arrested.best, arrested_high=arrested.high)
        values = {k: v for k, v in values.items() if k not in reviewed.get(event_id, ())}
        if values:
            conn.execute(ev.update().where(ev.c.id == event_id).values(**values))
    from eventscribe.store_summaries import migrate_summaries

    migrate_summaries(conn, by_event)


def downgrade() -> None:
    pass  # the values stay; 0005's downgrade drops the columns
