-- The service's whole schema, in SQL that SQLite and PostgreSQL both read the same way.
-- Times are RFC 3339 text with an offset and amounts are decimal text, exactly as the wire
-- contract writes them, so a row reads back into the library's types without loss.

-- One row per customer who ever asked. Claiming this row (an upsert that always writes it) is
-- how a decision takes the customer's lock; `decisions` counts them and numbers the next one.
CREATE TABLE customers (
    id        TEXT   PRIMARY KEY,
    decisions BIGINT NOT NULL
);

-- Every decision the service made, as answered: the audit log, and the store of idempotent
-- replies. A key is unique across the service; a request without a key stores NULL.
CREATE TABLE decisions (
    customer_id     TEXT   NOT NULL REFERENCES customers (id),
    number          BIGINT NOT NULL,
    idempotency_key TEXT   UNIQUE,
    order_id        TEXT   NOT NULL,
    outcome         TEXT   NOT NULL,
    decided_at      TEXT   NOT NULL,
    request         TEXT   NOT NULL,
    response        TEXT   NOT NULL,
    PRIMARY KEY (customer_id, number)
);

-- The customer's voucher history: one row per granted decision, never more.
CREATE TABLE vouchers (
    customer_id     TEXT   NOT NULL,
    decision_number BIGINT NOT NULL,
    order_id        TEXT   NOT NULL,
    granted_at      TEXT   NOT NULL,
    amount          TEXT   NOT NULL,
    currency        TEXT   NOT NULL,
    severity        TEXT,
    valid_until     TEXT   NOT NULL,
    PRIMARY KEY (customer_id, decision_number),
    FOREIGN KEY (customer_id, decision_number) REFERENCES decisions (customer_id, number)
);
