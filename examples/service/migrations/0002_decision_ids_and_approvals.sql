-- Decisions by id, the audit log, and approvals. Same SQL for SQLite and PostgreSQL, like 0001.

-- Every decision is stored under its id (the library's `Decision::id`, 32 hex digits). A
-- decision recorded before this migration has none (the library did not give one then): it
-- stays NULL, which a unique index allows any number of times.
ALTER TABLE decisions ADD COLUMN id TEXT;
CREATE UNIQUE INDEX decisions_by_id ON decisions (id);

-- The moment of the decision in microseconds since the Unix epoch: `decided_at` keeps the text
-- as decided (with its offset), and text with different offsets does not sort by time, so the
-- audit log's range is read on this column. The service fills it in for older rows on start.
ALTER TABLE decisions ADD COLUMN decided_at_us BIGINT;
CREATE INDEX decisions_by_time ON decisions (decided_at_us);

-- The request as the library decided it: the wire case without `history` (`now` and the
-- request's fields, with the agent taken from the API key). `request` keeps the body as it
-- came, which an idempotency key is compared against; this is what an approval decides again
-- and what the audit log gives the simulator.
ALTER TABLE decisions ADD COLUMN decided_request TEXT;

-- The decision that granted the voucher (NULL for a voucher recorded before this migration):
-- the history's link back to the audit record.
ALTER TABLE vouchers ADD COLUMN decision_id TEXT;
CREATE INDEX vouchers_by_decision ON vouchers (decision_id);

-- One row per approval: the pending decision approved (an escalation or a refusal) and the
-- decision the approval made, stored in `decisions` like any other. The primary key on
-- `approved_id` is what makes a pending decision approved at most once, whichever instance
-- and however many at once try.
CREATE TABLE approvals (
    approved_id   TEXT   PRIMARY KEY REFERENCES decisions (id),
    decision_id   TEXT   NOT NULL UNIQUE REFERENCES decisions (id),
    approver_id   TEXT   NOT NULL,
    approver_role TEXT   NOT NULL,
    decided_at_us BIGINT NOT NULL
);

-- What an approver granted today is read from their approvals of the day.
CREATE INDEX approvals_by_approver ON approvals (approver_id, decided_at_us);
