-- The order feed's public schema (flashsale feed). Shops query these tables and put triggers on
-- them: names and meanings are a public interface; change them only by a new migration.
-- ${schema} is the schema the feed was started with (--schema, default flashsale).
--
-- Only primary keys: every secondary index or foreign key is paid on every row the feed writes
-- (measured here: an index on orders (sale_id, state) and a foreign key to sales each about doubled
-- the cost of an order upsert). Shops add the indexes their queries need (CREATE INDEX CONCURRENTLY);
-- the feed writes a sale before any of its orders, in the same or an earlier transaction.

-- One row per sale, written when its CREATE_SALE is delivered.
CREATE TABLE ${schema}.sales (
    sale_id                bigint PRIMARY KEY,
    name                   text NOT NULL,
    stock                  bigint NOT NULL,
    starts_at              timestamptz NOT NULL,
    ends_at                timestamptz NOT NULL,
    per_user_limit         integer NOT NULL,
    payment_window_seconds numeric(22, 3) NOT NULL,
    created_at             timestamptz NOT NULL,
    journal_seq            bigint NOT NULL
);

-- One row per order, in its latest state. journal_seq is the journal record of its last change:
-- a row is only ever overwritten by a later record, so a replay after a crash changes nothing.
CREATE TABLE ${schema}.orders (
    order_id         bigint PRIMARY KEY,
    sale_id          bigint NOT NULL,
    shopper          text NOT NULL,
    qty              integer NOT NULL,
    state            text NOT NULL CHECK (state IN ('RESERVED', 'PAID', 'CANCELLED', 'EXPIRED')),
    reserved_at      timestamptz NOT NULL,
    payment_deadline timestamptz NOT NULL,
    paid_at          timestamptz,
    payment_ref      text,
    closed_at        timestamptz,
    journal_seq      bigint NOT NULL
);

-- Every state change of every order, once: RESERVED, then at most one of PAID, CANCELLED, EXPIRED.
-- The primary key makes a second delivery of the same change fail loudly instead of duplicating it.
CREATE TABLE ${schema}.order_events (
    order_id    bigint NOT NULL,
    journal_seq bigint NOT NULL,
    state       text NOT NULL CHECK (state IN ('RESERVED', 'PAID', 'CANCELLED', 'EXPIRED')),
    at          timestamptz NOT NULL,
    PRIMARY KEY (order_id, journal_seq)
);

-- The feed's own cursor: one row, written in the same transaction as the rows it covers.
-- The first_record_* columns name the journal's history: a different journal is refused.
CREATE TABLE ${schema}.feed_cursor (
    id                    smallint PRIMARY KEY CHECK (id = 1),
    journal_seq           bigint NOT NULL,
    journal_at            timestamptz,
    first_record_seq      bigint NOT NULL,
    first_record_millis   bigint NOT NULL,
    first_record_checksum integer NOT NULL,
    updated_at            timestamptz NOT NULL DEFAULT now()
);

-- Epoch milliseconds to timestamptz, exact to the millisecond (a double holds today's epoch seconds to
-- 1e-7 s, and to_timestamp rounds to microseconds); instants past PostgreSQL's range (a payment window
-- that never closes) are 'infinity'. Built from immutable parts, so the planner inlines it.
CREATE FUNCTION ${schema}.feed_time(ms bigint) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN ms > 9000000000000000 THEN 'infinity'::timestamptz
                      WHEN ms < -200000000000000 THEN '-infinity'::timestamptz
                      ELSE to_timestamp(ms::float8 / 1000) END $$;
