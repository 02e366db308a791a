package io.flashsale.journal.feed;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

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
 * a batch's rows and moves the cursor. Rows go in binary {@code COPY}s whatever the batch's size:
 * new orders and order events straight into their tables, changes to earlier orders through a
 * temporary table and one upsert.
 *
 * <p>The cursor moves first and only from where the feed read it, so a second feed on the same
 * schema, or a batch retried after its commit got through, is caught before it writes a row.
 * Earlier orders are only overwritten by a later journal record
 * ({@code WHERE orders.journal_seq < EXCLUDED.journal_seq}); a row copied twice breaks a primary key.
 *
 * <p>One thread at a time: the feed's thread at start, then the feed-writer thread.
 */
final class FeedDatabase implements AutoCloseable
{
    /** The cursor row: how far the database has the journal, and which journal. */
    record Cursor(long journalSeq, JournalIdentity identity)
    {
    }

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final String ORDER_COLUMNS = "order_id, sale_id, shopper, qty, state, reserved_at, payment_deadline, paid_at," +
        " payment_ref, closed_at, journal_seq";
    /** The batch's changes to orders written before, staged for one upsert; emptied by each commit. */
    private static final String CREATE_ORDER_CHANGES = "CREATE TEMPORARY TABLE IF NOT EXISTS feed_order_changes (order_id bigint," +
        " sale_id bigint, shopper text, qty integer, state text, reserved_at timestamptz, payment_deadline timestamptz," +
        " paid_at timestamptz, payment_ref text, closed_at timestamptz, journal_seq bigint) ON COMMIT DELETE ROWS";
    private static final String COPY_ORDER_CHANGES = "COPY pg_temp.feed_order_changes (" + ORDER_COLUMNS + ") FROM STDIN (FORMAT binary)";

    private final HikariDataSource pool;
    private final String schema;
    private final String upsertSale;
    private final String copyNewOrders;
    private final String upsertOrderChanges;
    private final String copyEvents;
    private final String moveCursor;
    private final BinaryCopy copy = new BinaryCopy();

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
        copyNewOrders = "COPY " + s + "orders (" + ORDER_COLUMNS + ") FROM STDIN (FORMAT binary)";
        upsertOrderChanges = "INSERT INTO " + s + "orders (" + ORDER_COLUMNS + ") SELECT " + ORDER_COLUMNS + " FROM pg_temp.feed_order_changes" +
            " ON CONFLICT (order_id) DO UPDATE SET state = EXCLUDED.state, paid_at = EXCLUDED.paid_at," +
            " payment_ref = EXCLUDED.payment_ref, closed_at = EXCLUDED.closed_at, journal_seq = EXCLUDED.journal_seq" +
            " WHERE orders.journal_seq < EXCLUDED.journal_seq";
        copyEvents = "COPY " + s + "order_events (order_id, journal_seq, state, at) FROM STDIN (FORMAT binary)";
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
                // The cursor first: its row lock keeps a second feed on this schema waiting, then refused,
                // before either writes a row.
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
                final CopyManager copyManager = connection.unwrap(PGConnection.class).getCopyAPI();
                writeSales(connection, batch.sales());
                writeOrders(connection, copyManager, batch.orders());
                writeEvents(copyManager, batch.events());
                connection.commit();
            }
            catch (final SQLException | RuntimeException ex)
            {
                copy.abandon();
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

    /**
     * Orders created in this batch are new to the database (rows and cursor commit together, so a
     * batch is only ever delivered after a rollback of itself): a plain COPY. Orders that existed
     * before (paid, cancelled, expired) are copied into a temporary table and upserted from it,
     * each only over an older row.
     */
    private void writeOrders(final Connection connection, final CopyManager copyManager, final List<FeedBatch.OrderRow> orders)
        throws SQLException
    {
        int changed = 0;
        for (final FeedBatch.OrderRow row : orders)
        {
            if (!row.created)
            {
                changed++;
            }
        }
        if (changed < orders.size())
        {
            copyOrders(copyManager, copyNewOrders, orders, true);
        }
        if (changed > 0)
        {
            try (Statement statement = connection.createStatement())
            {
                statement.execute(CREATE_ORDER_CHANGES);
                copyOrders(copyManager, COPY_ORDER_CHANGES, orders, false);
                statement.executeUpdate(upsertOrderChanges);
            }
        }
    }

    private void copyOrders(final CopyManager copyManager, final String sql, final List<FeedBatch.OrderRow> orders, final boolean created)
        throws SQLException
    {
        copy.start(copyManager, sql);
        for (final FeedBatch.OrderRow row : orders)
        {
            if (row.created != created)
            {
                continue;
            }
            copy.row(11);
            copy.int8(row.orderId);
            copy.int8(row.saleId);
            copy.text(row.shopper);
            copy.int4(row.qty);
            copy.text(row.state);
            copy.timestamp(row.reservedAt);
            copy.timestamp(row.paymentDeadline);
            copy.timestamp(row.paidAt);
            copy.text(row.paymentRef);
            copy.timestamp(row.closedAt);
            copy.int8(row.journalSeq);
        }
        copy.finish();
    }

    private void writeEvents(final CopyManager copyManager, final List<FeedBatch.OrderEvent> events) throws SQLException
    {
        if (events.isEmpty())
        {
            return;
        }
        copy.start(copyManager, copyEvents);
        for (final FeedBatch.OrderEvent event : events)
        {
            copy.row(4);
            copy.int8(event.orderId());
            copy.int8(event.journalSeq());
            copy.text(event.state());
            copy.timestamp(event.at());
        }
        copy.finish();
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
