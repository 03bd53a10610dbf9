-- The shadow policy's disagreements (`--shadow-policy`). Same SQL for SQLite and PostgreSQL.

-- One row per live decision a shadow policy decided otherwise: both decisions as JSON, so a
-- disagreement can be read without deciding anything again. A decision compared twice under
-- the same shadow rules is stored once; a reload to other rules may store it again.
CREATE TABLE shadow_disagreements (
    decision_id        TEXT   NOT NULL,
    shadow_fingerprint TEXT   NOT NULL,
    kind               TEXT   NOT NULL,
    live_decision      TEXT   NOT NULL,
    shadow_decision    TEXT   NOT NULL,
    decided_at_us      BIGINT NOT NULL,
    PRIMARY KEY (decision_id, shadow_fingerprint)
);

-- `GET /shadow` lists the latest first.
CREATE INDEX shadow_disagreements_by_time ON shadow_disagreements (decided_at_us);
