import type Database from 'better-sqlite3';

/**
 * Versioned, append-only schema migrations. Never edit a shipped migration: add a new one.
 * Each runs in its own transaction together with the bump of schema_migrations.
 */
export const MIGRATIONS: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: 'feeds, stories, items, near-duplicate index',
    sql: `
      CREATE TABLE feeds (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        url TEXT NOT NULL,
        category_hint TEXT,
        interval_minutes INTEGER,
        enabled INTEGER NOT NULL DEFAULT 1,
        origin TEXT NOT NULL DEFAULT 'config',
        etag TEXT,
        last_modified TEXT,
        last_fetch_at TEXT,
        last_success_at TEXT,
        last_error TEXT,
        last_error_at TEXT,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        error_count INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        disabled_reason TEXT,
        created_at TEXT NOT NULL
      );

      CREATE TABLE stories (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        summary TEXT NOT NULL,
        url TEXT,
        author TEXT,
        categories TEXT NOT NULL DEFAULT '[]',
        predicted_label TEXT NOT NULL,
        confidence REAL NOT NULL,
        terms TEXT NOT NULL DEFAULT '[]',
        editor_label TEXT,
        label TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending',
        held_reason TEXT,
        pinned INTEGER NOT NULL DEFAULT 0,
        published INTEGER NOT NULL DEFAULT 0,
        published_at TEXT NOT NULL,
        first_seen_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        outlet_count INTEGER NOT NULL DEFAULT 1
      );
      CREATE INDEX stories_public_feed ON stories (published, label, published_at DESC, id DESC);
      CREATE INDEX stories_all_feed ON stories (published, published_at DESC, id DESC);
      CREATE INDEX stories_review_queue ON stories (status, first_seen_at DESC);

      CREATE TABLE items (
        id INTEGER PRIMARY KEY,
        feed_id TEXT NOT NULL REFERENCES feeds(id),
        story_id INTEGER NOT NULL REFERENCES stories(id),
        guid TEXT NOT NULL,
        original_url TEXT,
        canonical_url TEXT,
        title TEXT NOT NULL,
        summary TEXT NOT NULL,
        author TEXT,
        published_at TEXT NOT NULL,
        has_feed_date INTEGER NOT NULL,
        categories TEXT NOT NULL DEFAULT '[]',
        label TEXT NOT NULL,
        confidence REAL NOT NULL,
        terms TEXT NOT NULL DEFAULT '[]',
        fetched_at TEXT NOT NULL,
        UNIQUE (feed_id, guid)
      );
      CREATE INDEX items_canonical_url ON items (canonical_url);
      CREATE INDEX items_story ON items (story_id);
      CREATE INDEX items_feed_published ON items (feed_id, published_at DESC);

      -- Locality-sensitive-hashing buckets of story titles: candidates for near-duplicate
      -- detection are looked up by bucket within a date window, never by scanning all stories.
      CREATE TABLE story_title_buckets (
        bucket INTEGER NOT NULL,
        published_day INTEGER NOT NULL,
        story_id INTEGER NOT NULL REFERENCES stories(id),
        PRIMARY KEY (bucket, published_day, story_id)
      ) WITHOUT ROWID;

      CREATE TABLE story_title_tokens (
        story_id INTEGER PRIMARY KEY REFERENCES stories(id),
        tokens TEXT NOT NULL
      );

      -- Bumped on every change that can alter a published feed; keys ETags and the render cache.
      CREATE TABLE publication_state (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        version INTEGER NOT NULL,
        last_modified TEXT
      );
      INSERT INTO publication_state (singleton, version, last_modified) VALUES (1, 0, NULL);
    `,
  },
  {
    version: 2,
    name: 'editor decisions',
    sql: `
      CREATE TABLE editor_decisions (
        id INTEGER PRIMARY KEY,
        story_id INTEGER NOT NULL REFERENCES stories(id),
        action TEXT NOT NULL,
        label TEXT,
        pinned INTEGER,
        editor TEXT NOT NULL,
        decided_at TEXT NOT NULL
      );
      CREATE INDEX editor_decisions_story ON editor_decisions (story_id, decided_at);
    `,
  },
  {
    version: 3,
    name: 'digests',
    sql: `
      -- One immutable issue per digest period; content is the JSON snapshot of its sections.
      CREATE TABLE digests (
        id INTEGER PRIMARY KEY,
        period_start TEXT NOT NULL,
        period_end TEXT NOT NULL UNIQUE,
        period_date TEXT NOT NULL,
        created_at TEXT NOT NULL,
        content TEXT NOT NULL
      );
      CREATE INDEX digests_period_date ON digests (period_date);
    `,
  },
  {
    version: 4,
    name: 'near-duplicate buckets move to memory; index stories by date',
    sql: `
      -- Headline LSH buckets are computed in memory from story_title_tokens (see store/recent-titles.ts).
      DROP TABLE story_title_buckets;
      CREATE INDEX stories_published_at ON stories (published_at);
    `,
  },
  {
    version: 5,
    name: 'drop an index no query uses',
    sql: `
      -- Nothing reads items by (feed_id, published_at); (feed_id, guid) serves per-feed lookups.
      -- Every index is written on each ingested item.
      DROP INDEX items_feed_published;
    `,
  },
  {
    version: 40,
    name: 'lead images of items and stories',
    sql: `
      -- Absolute http(s) URLs as the feeds gave them (hotlinked, never downloaded); NULL when none.
      ALTER TABLE items ADD COLUMN image_url TEXT;
      ALTER TABLE stories ADD COLUMN image_url TEXT;
    `,
  },
  {
    version: 30,
    name: 'newsletter subscribers, per-issue send log, signing secret',
    sql: `
      -- Pending rows expire after newsletter.confirmDays; unsubscribing deletes the row (and its sends).
      -- nonce is random per sign-up and part of every signed link, so a deleted address's old links die.
      CREATE TABLE newsletter_subscribers (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        email TEXT NOT NULL UNIQUE,
        nonce TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed')),
        created_at TEXT NOT NULL,
        confirmed_at TEXT,
        confirmation_sent_at TEXT
      );
      CREATE INDEX newsletter_subscribers_status ON newsletter_subscribers (status, created_at);

      -- One row per subscriber and digest issue: 'sent' rows are never sent again.
      CREATE TABLE newsletter_sends (
        subscriber_id INTEGER NOT NULL REFERENCES newsletter_subscribers(id) ON DELETE CASCADE,
        digest_id INTEGER NOT NULL REFERENCES digests(id),
        status TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        updated_at TEXT NOT NULL,
        sent_at TEXT,
        PRIMARY KEY (subscriber_id, digest_id)
      ) WITHOUT ROWID;
      CREATE INDEX newsletter_sends_digest ON newsletter_sends (digest_id, status);

      -- Key for signed confirm / unsubscribe links when no newsletter.secret is configured.
      CREATE TABLE newsletter_secret (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        secret TEXT NOT NULL
      );

      -- At most one digest send run at a time (server job or CLI); a dead holder's lock is taken over.
      CREATE TABLE newsletter_send_lock (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        holder TEXT NOT NULL,
        pid INTEGER NOT NULL,
        expires_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 41,
    name: 'feeds remember whether their last document had to be repaired',
    sql: `
      -- What was wrong with the last fetched document when only its complete items could be read; NULL when it parsed cleanly.
      ALTER TABLE feeds ADD COLUMN last_repair TEXT;
    `,
  },
  {
    version: 20,
    name: 'editor sessions (server-side, so sign-out ends them)',
    sql: `
      -- One row per signed-in editor session; the cookie names it by a random id, stored here only as
      -- its SHA-256. Sign-out deletes the row, so the old cookie (and its CSRF token) stop working.
      CREATE TABLE editor_sessions (
        id_hash TEXT PRIMARY KEY,
        editor TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX editor_sessions_expiry ON editor_sessions (expires_at);
    `,
  },
  {
    version: 21,
    name: 'log of digest issues an operator removed',
    sql: `
      -- Written by the CLI's digest-remove / digest --rebuild. Its newest id is also part of the digest
      -- feed's version, so removing any issue (not only the newest) changes the feed's ETag.
      CREATE TABLE digest_removals (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        digest_id INTEGER NOT NULL,
        period_end TEXT NOT NULL,
        period_date TEXT NOT NULL,
        removed_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 10,
    name: 'same-event matching: editor merges, splits and wording',
    sql: `
      -- Headline words are no longer stored: same-event matching reads items' text (store/recent-events.ts).
      DROP TABLE story_title_tokens;
      -- An editor merged this story into another; it redirects there and never publishes.
      ALTER TABLE stories ADD COLUMN merged_into INTEGER REFERENCES stories(id);
      -- An editor wrote the headline/summary: joins and recluster keep it.
      ALTER TABLE stories ADD COLUMN wording_by_editor INTEGER NOT NULL DEFAULT 0;
      -- What a merge, split or edit did (JSON), beside the existing action columns.
      ALTER TABLE editor_decisions ADD COLUMN detail TEXT;
      -- Editors' verdicts on pairs of reports: same event (1, from merges) or not (0, from splits).
      -- Recluster obeys them and tune-clustering learns from them.
      CREATE TABLE item_pair_labels (
        item_a INTEGER NOT NULL REFERENCES items(id),
        item_b INTEGER NOT NULL REFERENCES items(id),
        same_event INTEGER NOT NULL,
        editor TEXT NOT NULL,
        decided_at TEXT NOT NULL,
        PRIMARY KEY (item_a, item_b),
        CHECK (item_a < item_b)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 11,
    name: 'feed-order indexes hold published stories only; drop an index no query uses',
    sql: `
      -- Every query that reads stories in feed order asks for published = 1, and every index is
      -- written on each ingested story, at a random place when outlets' dates arrive out of order:
      -- unpublished stories (about 40 %) no longer pay for two of those writes. Nothing has read
      -- stories by published_at alone since headline buckets moved to memory (version 4).
      DROP INDEX stories_public_feed;
      DROP INDEX stories_all_feed;
      DROP INDEX stories_published_at;
      CREATE INDEX stories_public_feed ON stories (label, published_at DESC, id DESC) WHERE published = 1;
      CREATE INDEX stories_all_feed ON stories (published_at DESC, id DESC) WHERE published = 1;
    `,
  },
  {
    version: 12,
    name: 'outlets are counted from items, not kept on the story',
    sql: `
      -- Nothing read it (pages count a story's outlets from its items), and keeping it current
      -- rewrote a random story page for every report that joined a story.
      ALTER TABLE stories DROP COLUMN outlet_count;
    `,
  },
];

export function migrate(db: Database.Database): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((row) => row.version),
  );
  const ran: number[] = [];
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.name,
        new Date().toISOString(),
      );
    })();
    ran.push(migration.version);
  }
  return ran;
}
