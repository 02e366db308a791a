package io.flashsale.journal.feed;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The feed's side of PostgreSQL: the schema (created and migrated by Flyway from
 * {@code db/V*.sql} next to this class), the cursor, and the one transaction per batch that writes
 * a batch's rows and moves the cursor. Rows go in three statements per batch whatever its size:
 * {@code unnest} of arrays, one round trip each.
 *
 * <p>Orders are upserted by id and only overwritten by a later journal record
 * ({@code WHERE orders.journal_seq < EXCLUDED.journal_seq}); the cursor only moves from where the
 * feed read it, so a second feed on the same schema, or a batch retried after its commit got
 * through, is caught rather than written twice.
 *
 * <p>Single-threaded: the feed's thread.
 */
final class FeedDatabase implements AutoCloseable
{
    /** The cursor row: how far the database has the journal, and which journal. */
    record Cursor(long journalSeq, JournalIdentity identity)
    {
    }

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final HikariDataSource pool;
    private final String schema;
    private final String upsertSale;
    private final String upsertOrders;
    private final String insertEvents;
    private final String moveCursor;

    private FeedDatabase(final HikariDataSource pool, final String schema)
    {
        this.pool = pool;
        this.schema = schema;
        final String s = schema + ".";
        upsertSale = "INSERT INTO " + s + "sales (sale_id, name, stock, starts_at, ends_at, per_user_limit, payment_window_seconds," +
            " created_at, journal_seq) VALUES (?, ?, ?, " + s + "feed_time(?), " + s + "feed_time(?), ?, ?::numeric / 1000, " +
            s + "feed_time(?), ?) ON CONFLICT (sale_id) DO UPDATE SET name = EXCLUDED.name, stock = EXCLUDED.stock," +
            " starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at, per_user_limit = EXCLUDED.per_user_limit," +
            " payment_window_seconds = EXCLUDED.payment_window_seconds, created_at = EXCLUDED.created_at," +
            " journal_seq = EXCLUDED.journal_seq WHERE sales.journal_seq < EXCLUDED.journal_seq";
        upsertOrders = "INSERT INTO " + s + "orders (order_id, sale_id, shopper, qty, state, reserved_at, payment_deadline, paid_at," +
            " payment_ref, closed_at, journal_seq) SELECT o, sa, sh, q, st, " + s + "feed_time(r), " + s + "feed_time(d), " +
            s + "feed_time(p), pr, " + s + "feed_time(c), j FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::int[], ?::text[]," +
            " ?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::bigint[], ?::bigint[]) AS t(o, sa, sh, q, st, r, d, p, pr, c, j)" +
            " ON CONFLICT (order_id) DO UPDATE SET state = EXCLUDED.state, paid_at = EXCLUDED.paid_at," +
            " payment_ref = EXCLUDED.payment_ref, closed_at = EXCLUDED.closed_at, journal_seq = EXCLUDED.journal_seq" +
            " WHERE orders.journal_seq < EXCLUDED.journal_seq";
        insertEvents = "INSERT INTO " + s + "order_events (order_id, journal_seq, state, at) SELECT o, j, st, " + s + "feed_time(a)" +
            " FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::bigint[]) AS t(o, j, st, a)";
        moveCursor = "INSERT INTO " + s + "feed_cursor AS c (id, journal_seq, journal_at, first_record_seq, first_record_millis," +
            " first_record_checksum, updated_at) VALUES (1, ?, " + s + "feed_time(?), ?, ?, ?, now())" +
            " ON CONFLICT (id) DO UPDATE SET journal_seq = EXCLUDED.journal_seq, journal_at = EXCLUDED.journal_at, updated_at = now()" +
            " WHERE c.journal_seq = ?";
    }

    /**
     * Opens a small pool (the feed writes from one thread) and checks that the database answers.
     *
     * @throws FeedException {@link FeedException.Kind#DATABASE_UNREACHABLE} when it does not
     */
    static FeedDatabase connect(final String jdbcUrl, final String schema) throws FeedException
    {
        if (!IDENTIFIER.matcher(schema).matches())
        {
            throw new FeedException(FeedException.Kind.USAGE, "schema name '" + schema + "' is not a plain lower-case SQL identifier");
        }
        final HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName("flashsale-feed");
        config.setMaximumPoolSize(2);
        config.setMinimumIdle(1);
        config.setAutoCommit(false);
        config.setConnectionTimeout(5_000);
        config.setValidationTimeout(2_000);
        config.setInitializationFailTimeout(5_000);
        try
        {
            return new FeedDatabase(new HikariDataSource(config), schema);
        }
        catch (final HikariPool.PoolInitializationException | IllegalArgumentException ex)
        {
            final Throwable cause = ex.getCause() == null ? ex : ex.getCause();
            throw new FeedException(FeedException.Kind.DATABASE_UNREACHABLE, "cannot reach the database at " + redact(jdbcUrl) + ": " +
                cause.getMessage(), ex);
        }
    }

    /** A JDBC URL without its password, for messages. */
    static String redact(final String jdbcUrl)
    {
        return jdbcUrl.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    /**
     * Creates or migrates the schema with Flyway.
     *
     * @throws FeedException {@link FeedException.Kind#SCHEMA_NEWER} when the database holds
     *                       migrations this feed does not know (a newer feed ran on it)
     */
    void migrate() throws FeedException
    {
        final Flyway flyway = flyway();
        final MigrationInfo[] applied = flyway.info().applied();
        for (final MigrationInfo info : applied)
        {
            if (info.getState() == MigrationState.FUTURE_SUCCESS || info.getState() == MigrationState.FUTURE_FAILED)
            {
                throw new FeedException(FeedException.Kind.SCHEMA_NEWER, "the schema " + schema + " is at version " + info.getVersion() +
                    " (" + info.getDescription() + "), newer than this feed knows (" + latestKnownVersion(flyway) +
                    "): run a newer flashsale feed, or rebuild into another --schema");
            }
        }
        flyway.migrate();
    }

    private Flyway flyway()
    {
        return Flyway.configure(FeedDatabase.class.getClassLoader())
            .dataSource(pool)
            .schemas(schema)
            .defaultSchema(schema)
            .createSchemas(true)
            .table("feed_schema_history")
            .locations("classpath:io/flashsale/journal/feed/db")
            .placeholders(Map.of("schema", schema))
            .loggers("slf4j")
            .load();
    }

    private static String latestKnownVersion(final Flyway flyway)
    {
        String latest = "none";
        for (final MigrationInfo info : flyway.info().all())
        {
            if (info.getState() != MigrationState.FUTURE_SUCCESS && info.getState() != MigrationState.FUTURE_FAILED && info.getVersion() != null)
            {
                latest = info.getVersion().toString();
            }
        }
        return latest;
    }

    /** The cursor, or null before the first batch (or when the schema does not exist yet). */
    Cursor readCursor() throws SQLException
    {
        try (Connection connection = pool.getConnection())
        {
            try (Statement statement = connection.createStatement())
            {
                try (ResultSet exists = statement.executeQuery("SELECT to_regclass('" + schema + ".feed_cursor') IS NOT NULL"))
                {
                    exists.next();
                    if (!exists.getBoolean(1))
                    {
                        connection.rollback();
                        return null;
                    }
                }
                try (ResultSet row = statement.executeQuery("SELECT journal_seq, first_record_seq, first_record_millis, first_record_checksum FROM " +
                    schema + ".feed_cursor WHERE id = 1"))
                {
                    final Cursor cursor = row.next()
                        ? new Cursor(row.getLong(1), new JournalIdentity(row.getLong(2), row.getLong(3), row.getInt(4)))
                        : null;
                    connection.rollback();
                    return cursor;
                }
            }
        }
    }

    /** Empties every table of the feed (for a rebuild), in one transaction. */
    void reset() throws SQLException
    {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement())
        {
            statement.execute("TRUNCATE " + schema + ".order_events, " + schema + ".orders, " + schema + ".sales, " + schema + ".feed_cursor");
            connection.commit();
        }
    }

    /**
     * Writes the batch's rows and moves the cursor from {@code previousSeq} to the batch's last
     * record, in one transaction.
     *
     * @throws CursorMovedException when the cursor is no longer at {@code previousSeq}; nothing is written
     */
    void write(final FeedBatch batch, final long previousSeq, final JournalIdentity identity) throws SQLException
    {
        try (Connection connection = pool.getConnection())
        {
            try
            {
                writeSales(connection, batch.sales());
                writeOrders(connection, batch.orders());
                writeEvents(connection, batch.events());
                try (PreparedStatement cursor = connection.prepareStatement(moveCursor))
                {
                    cursor.setLong(1, batch.lastSequence());
                    cursor.setLong(2, batch.lastTimestamp());
                    cursor.setLong(3, identity.sequence());
                    cursor.setLong(4, identity.timestampMillis());
                    cursor.setInt(5, identity.checksum());
                    cursor.setLong(6, previousSeq);
                    if (cursor.executeUpdate() != 1)
                    {
                        throw new CursorMovedException("the cursor in " + schema + ".feed_cursor is no longer at " + previousSeq +
                            ": another feed writes into this schema");
                    }
                }
                connection.commit();
            }
            catch (final SQLException | RuntimeException ex)
            {
                rollbackQuietly(connection);
                throw ex;
            }
        }
    }

    private void writeSales(final Connection connection, final List<FeedBatch.SaleRow> sales) throws SQLException
    {
        if (sales.isEmpty())
        {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(upsertSale))
        {
            for (final FeedBatch.SaleRow sale : sales)
            {
                statement.setLong(1, sale.saleId());
                statement.setString(2, sale.name());
                statement.setLong(3, sale.stock());
                statement.setLong(4, sale.startsAt());
                statement.setLong(5, sale.endsAt());
                statement.setInt(6, sale.perUserLimit());
                statement.setLong(7, sale.paymentWindowMillis());
                statement.setLong(8, sale.createdAt());
                statement.setLong(9, sale.journalSeq());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private void writeOrders(final Connection connection, final List<FeedBatch.OrderRow> orders) throws SQLException
    {
        if (orders.isEmpty())
        {
            return;
        }
        final int n = orders.size();
        final Long[] id = new Long[n];
        final Long[] sale = new Long[n];
        final String[] shopper = new String[n];
        final Integer[] qty = new Integer[n];
        final String[] state = new String[n];
        final Long[] reservedAt = new Long[n];
        final Long[] deadline = new Long[n];
        final Long[] paidAt = new Long[n];
        final String[] paymentRef = new String[n];
        final Long[] closedAt = new Long[n];
        final Long[] seq = new Long[n];
        for (int i = 0; i < n; i++)
        {
            final FeedBatch.OrderRow row = orders.get(i);
            id[i] = row.orderId;
            sale[i] = row.saleId;
            shopper[i] = row.shopper;
            qty[i] = row.qty;
            state[i] = row.state;
            reservedAt[i] = row.reservedAt;
            deadline[i] = row.paymentDeadline;
            paidAt[i] = time(row.paidAt);
            paymentRef[i] = row.paymentRef;
            closedAt[i] = time(row.closedAt);
            seq[i] = row.journalSeq;
        }
        try (PreparedStatement statement = connection.prepareStatement(upsertOrders))
        {
            setArray(connection, statement, 1, "bigint", id);
            setArray(connection, statement, 2, "bigint", sale);
            setArray(connection, statement, 3, "text", shopper);
            setArray(connection, statement, 4, "int4", qty);
            setArray(connection, statement, 5, "text", state);
            setArray(connection, statement, 6, "bigint", reservedAt);
            setArray(connection, statement, 7, "bigint", deadline);
            setArray(connection, statement, 8, "bigint", paidAt);
            setArray(connection, statement, 9, "text", paymentRef);
            setArray(connection, statement, 10, "bigint", closedAt);
            setArray(connection, statement, 11, "bigint", seq);
            statement.executeUpdate();
        }
    }

    private void writeEvents(final Connection connection, final List<FeedBatch.OrderEvent> events) throws SQLException
    {
        if (events.isEmpty())
        {
            return;
        }
        final int n = events.size();
        final Long[] id = new Long[n];
        final Long[] seq = new Long[n];
        final String[] state = new String[n];
        final Long[] at = new Long[n];
        for (int i = 0; i < n; i++)
        {
            final FeedBatch.OrderEvent event = events.get(i);
            id[i] = event.orderId();
            seq[i] = event.journalSeq();
            state[i] = event.state();
            at[i] = event.at();
        }
        try (PreparedStatement statement = connection.prepareStatement(insertEvents))
        {
            setArray(connection, statement, 1, "bigint", id);
            setArray(connection, statement, 2, "bigint", seq);
            setArray(connection, statement, 3, "text", state);
            setArray(connection, statement, 4, "bigint", at);
            statement.executeUpdate();
        }
    }

    private static Long time(final long millis)
    {
        return millis == FeedBatch.NONE ? null : millis;
    }

    private static void setArray(final Connection connection, final PreparedStatement statement, final int index, final String type,
                                 final Object[] values) throws SQLException
    {
        final Array array = connection.createArrayOf(type, values);
        statement.setArray(index, array);
    }

    private static void rollbackQuietly(final Connection connection)
    {
        try
        {
            connection.rollback();
        }
        catch (final SQLException ignored)
        {
            // The connection is gone; the transaction went with it.
        }
    }

    String schema()
    {
        return schema;
    }

    @Override
    public void close()
    {
        pool.close();
    }

    /** The cursor is not where this feed left it. */
    static final class CursorMovedException extends SQLException
    {
        CursorMovedException(final String message)
        {
            super(message);
        }
    }
}
