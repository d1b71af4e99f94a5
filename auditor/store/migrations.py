"""Ordered schema migrations of the audit store.

A ``schema_version`` table and numbered SQL scripts rather than a migration library
(alembic needs SQLAlchemy): a handful of tables, plain `sqlite3`, nothing to install.
A script is never edited once released; a change is a new script at the end.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: runs, the source bytes of each audited report, reports, findings, items fixed, decisions.
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started TEXT NOT NULL,
        finished TEXT,
        status TEXT NOT NULL,               -- running | complete | interrupted
        auditor_version TEXT NOT NULL,
        packs TEXT NOT NULL,                -- JSON: {pack name: version}
        options TEXT NOT NULL               -- JSON: rules, select, ignore, files
    );
    CREATE TABLE sources (
        sha256 TEXT PRIMARY KEY,
        data BLOB NOT NULL                  -- zlib-compressed bytes as read
    );
    CREATE TABLE reports (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id),
        body TEXT,                          -- normalise_agency(agency)
        agency TEXT,
        year INTEGER,
        format TEXT,
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        status TEXT NOT NULL,               -- ok | failed
        verdict TEXT NOT NULL,
        score REAL,
        band TEXT,
        open_items INTEGER NOT NULL,        -- findings not dismissed
        dismissed INTEGER NOT NULL,
        new_items INTEGER,                  -- 复核 counts, NULL when there was no earlier audit
        persisting INTEGER,
        fixed INTEGER,
        against_report INTEGER REFERENCES reports(id),
        previous_run INTEGER,               -- store run of the previous-year report used, if any
        recorded TEXT NOT NULL
    );
    CREATE INDEX reports_body_year ON reports(body, year, id);
    CREATE TABLE findings (
        report_id INTEGER NOT NULL REFERENCES reports(id),
        fingerprint TEXT NOT NULL,
        rule TEXT NOT NULL,
        severity TEXT NOT NULL,
        message TEXT NOT NULL,
        recheck TEXT                        -- new | persisting | NULL
    );
    CREATE INDEX findings_report ON findings(report_id);
    CREATE INDEX findings_fingerprint ON findings(fingerprint);
    CREATE TABLE fixed_items (
        report_id INTEGER NOT NULL REFERENCES reports(id),
        fingerprint TEXT NOT NULL,
        rule TEXT NOT NULL,
        message TEXT NOT NULL
    );
    CREATE TABLE decisions (
        id INTEGER PRIMARY KEY,
        fingerprint TEXT NOT NULL,
        decision TEXT NOT NULL,             -- dismissed | confirmed
        reason TEXT NOT NULL,
        by TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE INDEX decisions_fingerprint ON decisions(fingerprint, id);
    """,
    # 2: a batch's records by position while its run is open, so an interrupted run resumes
    # (cleared when the run completes: the store keeps summaries, not whole records).
    """
    ALTER TABLE reports ADD COLUMN batch_index INTEGER;
    ALTER TABLE reports ADD COLUMN record BLOB;    -- zlib-compressed JSON audit record
    CREATE INDEX reports_run_index ON reports(run_id, batch_index);
    """,
    # 3: the issuing body's level (government / department / township), for the 层级 filter.
    """
    ALTER TABLE reports ADD COLUMN body_kind TEXT;
    """,
)
