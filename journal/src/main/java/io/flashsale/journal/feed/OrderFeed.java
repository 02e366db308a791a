package io.flashsale.journal.feed;

import io.flashsale.engine.SaleEngine;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.sale.SaleViews;
import io.flashsale.journal.audit.JournalFolder;
import io.flashsale.journal.cli.Progress;
import io.flashsale.journal.codec.CommandCodec;
import io.flashsale.journal.queue.JournalQueues;
import io.flashsale.journal.queue.JournalReader;
import io.flashsale.journal.snapshot.SnapshotStore;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The order feed, a follower of the journal: reads records with a Chronicle tailer, replays them
 * through its own {@link SaleEngine} (so it knows every outcome: order ids, states, deadlines, the
 * expiries a command's time causes) and writes what changed into PostgreSQL, a batch of records
 * and the cursor in one transaction.
 *
 * <pre>
 *   journal (read-only tailer) ─▶ engine.apply ─▶ FeedChanges ─▶ FeedBatch ─▶ FeedDatabase.write
 *                                                                              (rows + cursor, one tx)
 * </pre>
 *
 * Start: the cursor is read from the database, the journal's first record is checked against the
 * one the cursor names, and the engine is rebuilt up to the cursor without writing (from the
 * newest snapshot at or before it, then the journal). Then {@link #doWork()} in a loop: each call
 * reads what the journal holds (up to {@code maxBatch} records) into one batch while a writer
 * thread writes the previous one, hands it over, and says how many records it read. A database that goes away is waited for with backoff, the batch kept; nothing is
 * skipped and nothing is written twice.
 *
 * <p>One thread opens, runs and closes it; the feed-writer thread only runs {@link FeedDatabase#write}
 * on a batch handed to it (one at a time, in journal order); {@link #stop()}, {@link #cursor()} from any thread.
 */
public final class OrderFeed implements AutoCloseable
{
    /** What to follow, where to write, how. */
    public static final class Options
    {
        public Path journal;
        /** Null only for a dry run without a database (it starts from the journal's beginning). */
        public String jdbcUrl;
        public String schema = "flashsale";
        public boolean follow;
        public boolean fromStart;
        public boolean dryRun;
        public int maxBatch = 20_000;
        public long statusEveryMillis = 5_000;
        public boolean progress = true;
        /** Where a dry run prints the rows it would write. */
        public PrintStream out = System.out;
        /** Status lines, warnings, the summary. */
        public PrintStream log = System.err;
    }

    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final Options options;
    private final JournalFolder folder;
    private final SingleChronicleQueue queue;
    private final FeedDatabase database;
    private final FeedChanges changes = new FeedChanges();
    /** Filled by the feed's thread while the writer thread writes the other one. */
    private FeedBatch filling = new FeedBatch();
    private FeedBatch writing = new FeedBatch();
    private final java.util.concurrent.ExecutorService writer = java.util.concurrent.Executors.newSingleThreadExecutor(runnable ->
    {
        final Thread thread = new Thread(runnable, "feed-writer");
        thread.setDaemon(true);
        return thread;
    });
    private java.util.concurrent.Future<?> pending;
    private long lastDeliveredTimestamp;
    private final CommandEvent command = new CommandEvent();
    private final Histogram lagMillis = new Histogram(TimeUnit.HOURS.toMillis(24), 3);
    private final long startedNanos = System.nanoTime();

    private SaleEngine engine;
    private JournalReader reader;
    private ExcerptTailer endTailer;
    private final CommandCodec endCodec = new CommandCodec();
    private JournalIdentity identity;
    /** Written by the feed's thread, read by any (tests, benches, status). */
    private volatile long cursor;
    private long startCursor;
    private long recordsDelivered;
    private long eventsDelivered;
    private long salesDelivered;
    /** Written by the writer thread, read after the handover (Future.get) by the feed's thread. */
    private long writeNanos;
    private boolean caughtUp;
    private long lastStatusNanos = System.nanoTime();
    private Progress progress;
    private boolean progressConsidered;
    private volatile boolean running = true;

    private OrderFeed(final Options options, final JournalFolder folder, final SingleChronicleQueue queue, final FeedDatabase database)
    {
        this.options = options;
        this.folder = folder;
        this.queue = queue;
        this.database = database;
    }

    /**
     * Connects, migrates the schema, reads the cursor, checks the journal's identity and rebuilds
     * the engine up to the cursor.
     */
    public static OrderFeed open(final Options options) throws FeedException
    {
        final JournalFolder folder;
        final SingleChronicleQueue queue;
        try
        {
            folder = JournalFolder.resolve(options.journal);
            queue = JournalQueues.openForReading(folder.queue());
        }
        catch (final IOException ex)
        {
            throw new FeedException(FeedException.Kind.USAGE, ex.getMessage(), ex);
        }
        FeedDatabase database = null;
        try
        {
            if (options.jdbcUrl != null)
            {
                database = FeedDatabase.connect(options.jdbcUrl, options.schema);
            }
            final OrderFeed feed = new OrderFeed(options, folder, queue, database);
            feed.start();
            return feed;
        }
        catch (final FeedException | RuntimeException ex)
        {
            if (database != null)
            {
                database.close();
            }
            queue.close();
            throw ex;
        }
    }

    private void start() throws FeedException
    {
        FeedDatabase.Cursor stored = null;
        try
        {
            if (database != null && !options.dryRun)
            {
                database.migrate();
                if (options.fromStart)
                {
                    database.reset();
                    options.log.println("feed: --from-start: emptied " + database.schema() + ".sales, orders, order_events and feed_cursor");
                }
            }
            if (database != null && !(options.dryRun && options.fromStart))
            {
                stored = database.readCursor();
            }
        }
        catch (final SQLException ex)
        {
            throw new FeedException(FeedException.Kind.DATABASE_UNREACHABLE, "database error at start: " + ex.getMessage(), ex);
        }
        catch (final RuntimeException ex)
        {
            // Flyway's exceptions are unchecked.
            throw new FeedException(FeedException.Kind.FAILED, "cannot migrate the schema " + options.schema + ": " + ex.getMessage(), ex);
        }
        identity = firstRecordIdentity();
        if (stored != null)
        {
            if (identity == null || !identity.equals(stored.identity()))
            {
                throw new FeedException(FeedException.Kind.OTHER_HISTORY, "the database's cursor (at " + stored.journalSeq() +
                    ") belongs to another journal: it names " + stored.identity() + ", the journal in " + folder.queue() + " has " +
                    (identity == null ? "no records" : identity.toString()) +
                    ". Use --from-start to rebuild this schema from this journal, or another --schema.");
            }
            cursor = stored.journalSeq();
        }
        startCursor = cursor;
        restoreEngine();
        endTailer = queue.createTailer().direction(TailerDirection.BACKWARD);
        options.log.println("feed: journal " + folder.queue() + (database == null ? "" : " -> " + FeedDatabase.redact(options.jdbcUrl) +
            " schema " + options.schema) + (options.dryRun ? " (dry run: nothing is written)" : "") + "; resuming after sequence " + cursor);
    }

    private JournalIdentity firstRecordIdentity() throws FeedException
    {
        try (JournalReader first = new JournalReader(queue))
        {
            final CommandEvent event = new CommandEvent();
            final JournalReader.Status status = first.toStart().next(event);
            if (status == JournalReader.Status.CORRUPT)
            {
                throw new FeedException(FeedException.Kind.FAILED, "the journal's first record is damaged: " + first.problem());
            }
            return status == JournalReader.Status.RECORD ? new JournalIdentity(first.sequence(), event.timestamp, first.checksum()) : null;
        }
    }

    /** The engine up to the cursor: the newest snapshot at or before it, then the journal, nothing written. */
    private void restoreEngine() throws FeedException
    {
        reader = new JournalReader(queue);
        final SnapshotStore snapshots = new SnapshotStore(folder.snapshots());
        long from = 0;
        if (cursor > 0)
        {
            try
            {
                for (final SnapshotStore.SnapshotFile file : snapshots.list())
                {
                    if (file.sequence() > cursor)
                    {
                        continue;
                    }
                    final SnapshotStore.LoadedSnapshot loaded;
                    try
                    {
                        loaded = snapshots.load(file, new SaleViews());
                    }
                    catch (final IOException ex)
                    {
                        options.log.println("feed: skipping snapshot " + file.path().getFileName() + ": " + ex.getMessage());
                        continue;
                    }
                    if (reader.positionAfter(file.sequence()) == JournalReader.Position.FOUND)
                    {
                        engine = loaded.engine();
                        from = file.sequence();
                        break;
                    }
                }
            }
            catch (final IOException ex)
            {
                options.log.println("feed: cannot list snapshots (" + ex.getMessage() + "); replaying from the journal's start");
            }
        }
        if (engine == null)
        {
            engine = new SaleEngine(1 << 16, new SaleViews());
            reader.toStart();
        }
        changes.rebuild(engine);
        long replayed = 0;
        try (Progress bar = Progress.start("feed: replaying to the cursor", cursor - from, options.progress && cursor - from > 1_000_000))
        {
            while (reader.sequence() < cursor)
            {
                final JournalReader.Status status = reader.next(command);
                if (status == JournalReader.Status.CORRUPT)
                {
                    throw new FeedException(FeedException.Kind.FAILED, "damaged journal record after sequence " + reader.sequence() + ": " +
                        reader.problem());
                }
                if (status == JournalReader.Status.END)
                {
                    throw new FeedException(FeedException.Kind.OTHER_HISTORY, "the database has the journal up to sequence " + cursor +
                        " but the journal in " + folder.queue() + " ends at " + reader.sequence() +
                        ": it lost records, or is another journal. Use --from-start to rebuild from this one.");
                }
                engine.apply(command);
                changes.afterApply(reader.sequence(), command, engine, null);
                if ((++replayed & 0xFFFF) == 0)
                {
                    bar.accept(replayed);
                }
            }
        }
        if (from > 0 || replayed > 0)
        {
            options.log.println("feed: engine rebuilt to sequence " + cursor + (from > 0 ? " from snapshot at " + from + " and " : " from ") +
                replayed + " journal records");
        }
    }

    /**
     * Reads what the journal holds after the cursor (up to the batch size) while the previous
     * batch is being written, then hands this one to the writer.
     *
     * @return the number of records read; 0 when the journal had nothing new
     */
    public int doWork() throws FeedException
    {
        filling.clear();
        while (filling.records() < options.maxBatch)
        {
            final JournalReader.Status status = reader.next(command);
            if (status == JournalReader.Status.END)
            {
                break;
            }
            if (status == JournalReader.Status.CORRUPT)
            {
                awaitWrite();
                if (!filling.isEmpty())
                {
                    submit();
                    awaitWrite();
                }
                throw new FeedException(FeedException.Kind.FAILED, "damaged journal record after sequence " + reader.sequence() +
                    " (index " + reader.indexText(reader.index()) + "): " + reader.problem() + "; everything before it is delivered");
            }
            if (identity == null)
            {
                identity = new JournalIdentity(reader.sequence(), command.timestamp, reader.checksum());
            }
            engine.apply(command);
            changes.afterApply(reader.sequence(), command, engine, filling);
        }
        final int records = filling.records();
        awaitWrite();
        caughtUp = records < options.maxBatch;
        if (records > 0)
        {
            submit();
        }
        if (records == 0 || options.dryRun)
        {
            awaitWrite();
        }
        status(false);
        return records;
    }

    /** Hands the filled batch to the writer thread (a dry run prints it here) and takes the other one to fill. */
    private void submit() throws FeedException
    {
        final FeedBatch batch = filling;
        filling = writing;
        writing = batch;
        if (options.dryRun)
        {
            printBatch(batch);
            batch.committedAtMillis = System.currentTimeMillis();
            pending = java.util.concurrent.CompletableFuture.completedFuture(null);
            return;
        }
        final long from = cursor;
        pending = writer.submit(() ->
        {
            final long writeStart = System.nanoTime();
            writeWithRetries(batch, from);
            batch.committedAtMillis = System.currentTimeMillis();
            writeNanos += System.nanoTime() - writeStart;
            return null;
        });
    }

    /** Waits for the batch being written, then moves the cursor and the figures past it. */
    private void awaitWrite() throws FeedException
    {
        if (pending == null)
        {
            return;
        }
        final FeedBatch batch = writing;
        try
        {
            pending.get();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new FeedException(FeedException.Kind.FAILED, "interrupted while the batch up to " + batch.lastSequence() + " was written", ex);
        }
        catch (final java.util.concurrent.ExecutionException ex)
        {
            if (ex.getCause() instanceof FeedException feed)
            {
                throw feed;
            }
            throw new FeedException(FeedException.Kind.FAILED, "writing the batch up to " + batch.lastSequence() + " failed: " + ex.getCause(),
                ex.getCause());
        }
        finally
        {
            pending = null;
        }
        for (int i = 0; i < batch.records(); i++)
        {
            lagMillis.recordValue(Math.max(0, Math.min(batch.committedAtMillis - batch.timestamp(i), lagMillis.getHighestTrackableValue())));
        }
        lastDeliveredTimestamp = batch.lastTimestamp();
        cursor = batch.lastSequence();
        recordsDelivered += batch.records();
        eventsDelivered += batch.events().size();
        salesDelivered += batch.sales().size();
    }

    /** Writer thread: one batch, retried with backoff while the database is unavailable. */
    private void writeWithRetries(final FeedBatch batch, final long from) throws FeedException
    {
        long backoff = 100;
        int attempt = 0;
        long downSince = 0;
        while (true)
        {
            try
            {
                if (attempt > 0)
                {
                    // The failed attempt may have committed before its answer was lost: the cursor says.
                    final FeedDatabase.Cursor now = database.readCursor();
                    final long at = now == null ? 0 : now.journalSeq();
                    if (at == batch.lastSequence())
                    {
                        options.log.println("feed: database back after " + (System.currentTimeMillis() - downSince) + " ms; the batch up to " +
                            at + " had been committed before the connection was lost");
                        return;
                    }
                    if (at < from)
                    {
                        throw new FeedException(FeedException.Kind.FAILED, "the cursor went back from " + from + " to " + at +
                            ": the database lost commits (restored from a backup, or a crash with synchronous_commit off); restart the feed to " +
                            "deliver again from " + at);
                    }
                    if (at != from)
                    {
                        throw new FeedException(FeedException.Kind.FAILED, "the cursor moved to " + at + " while the feed was at " + from +
                            ": another feed writes into schema " + options.schema);
                    }
                }
                database.write(batch, from, identity);
                if (attempt > 0)
                {
                    options.log.println("feed: database back after " + (System.currentTimeMillis() - downSince) + " ms; delivered sequences " +
                        batch.firstSequence() + ".." + batch.lastSequence());
                }
                return;
            }
            catch (final FeedDatabase.CursorMovedException ex)
            {
                throw new FeedException(FeedException.Kind.FAILED, ex.getMessage(), ex);
            }
            catch (final SQLException ex)
            {
                if (!retryable(ex))
                {
                    throw new FeedException(FeedException.Kind.FAILED, "database refused the batch of sequences " + batch.firstSequence() +
                        ".." + batch.lastSequence() + ": " + ex.getMessage() + " (SQLState " + ex.getSQLState() + ")", ex);
                }
                if (attempt == 0)
                {
                    downSince = System.currentTimeMillis();
                }
                attempt++;
                options.log.println("feed: database unavailable (" + firstLine(ex.getMessage()) + "); holding sequences " +
                    batch.firstSequence() + ".." + batch.lastSequence() + ", retry " + attempt + " in " + backoff + " ms");
                if (!running)
                {
                    throw new FeedException(FeedException.Kind.DATABASE_UNREACHABLE, "stopped while the database was unavailable; " +
                        "the cursor stays at " + from);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoff));
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            }
        }
    }

    /** Connection trouble (SQLState class 08, 57P0x shutdown/start-up, 53 resources, 40 conflicts) is waited out. */
    static boolean retryable(final SQLException ex)
    {
        for (Throwable t = ex; t != null; t = t.getCause())
        {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException)
            {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null)
            {
                final String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53") || state.startsWith("40"))
                {
                    return true;
                }
            }
            if (t instanceof IOException)
            {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(final String message)
    {
        if (message == null)
        {
            return "no message";
        }
        final int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private void printBatch(final FeedBatch batch)
    {
        final PrintStream out = options.out;
        for (final FeedBatch.SaleRow sale : batch.sales())
        {
            out.println("sale " + sale.saleId() + " name=" + sale.name() + " stock=" + sale.stock() + " starts_at=" + instant(sale.startsAt()) +
                " ends_at=" + instant(sale.endsAt()) + " per_user_limit=" + sale.perUserLimit() + " payment_window_ms=" +
                sale.paymentWindowMillis() + " journal_seq=" + sale.journalSeq());
        }
        for (final FeedBatch.OrderEvent event : batch.events())
        {
            out.println("order_event " + event.orderId() + " " + event.state() + " at=" + instant(event.at()) + " journal_seq=" +
                event.journalSeq());
        }
        for (final FeedBatch.OrderRow row : batch.orders())
        {
            out.println("order " + row.orderId + " sale=" + row.saleId + " shopper=" + row.shopper + " qty=" + row.qty + " state=" + row.state +
                " reserved_at=" + instant(row.reservedAt) + " payment_deadline=" + instant(row.paymentDeadline) +
                (row.paidAt == FeedBatch.NONE ? "" : " paid_at=" + instant(row.paidAt) + " payment_ref=" + row.paymentRef) +
                (row.closedAt == FeedBatch.NONE ? "" : " closed_at=" + instant(row.closedAt)) + " journal_seq=" + row.journalSeq);
        }
        out.println("cursor " + batch.lastSequence());
        out.flush();
    }

    private static String instant(final long millis)
    {
        return millis > 9_000_000_000_000_000L ? "infinity" : java.time.Instant.ofEpochMilli(millis).toString();
    }

    /** Prints the status line when due (or now when {@code force}); drives the catch-up progress bar. */
    private void status(final boolean force)
    {
        final long nowNanos = System.nanoTime();
        final boolean due = force ||
            options.statusEveryMillis > 0 && nowNanos - lastStatusNanos >= TimeUnit.MILLISECONDS.toNanos(options.statusEveryMillis);
        final boolean barWanted = options.progress && !caughtUp && (progress != null || !progressConsidered);
        if (!due && !barWanted && progress == null)
        {
            return;
        }
        // Reading the journal's end costs a backward look-up: only when a line or a bar needs it.
        final long journalEnd = caughtUp ? cursor : journalEnd();
        if (!progressConsidered && !caughtUp)
        {
            progressConsidered = true;
            if (options.progress && journalEnd - cursor > 1_000_000)
            {
                progress = Progress.start("feed: catching up", journalEnd, true);
            }
        }
        if (progress != null)
        {
            progress.accept(cursor);
            if (caughtUp)
            {
                progress.close();
                progress = null;
            }
        }
        if (due)
        {
            lastStatusNanos = nowNanos;
            options.log.println("feed: " + statusLine(journalEnd));
        }
    }

    /** One line: where the feed is, its lag in commands and milliseconds, its rate. */
    public String statusLine()
    {
        return statusLine(caughtUp ? cursor : journalEnd());
    }

    private String statusLine(final long journalEnd)
    {
        final double seconds = Math.max(1e-3, (System.nanoTime() - startedNanos) / 1e9);
        final long lagCommands = Math.max(0, journalEnd - cursor);
        final long lagMs = lagCommands == 0 ? 0 : Math.max(0, System.currentTimeMillis() - lastDeliveredTimestamp);
        return String.format("at sequence %d of %d, lag %d commands %d ms; delivered %d records, %d order events, %d sales in %.1f s " +
                "(%.0f records/s, %.0f events/s, %.0f%% of the time in database writes); delivery lag p50 %d ms p99 %d ms max %d ms",
            cursor, journalEnd, lagCommands, lagMs, recordsDelivered, eventsDelivered, salesDelivered, seconds, recordsDelivered / seconds,
            eventsDelivered / seconds, 100.0 * writeNanos / 1e9 / seconds, lagMillis.getValueAtPercentile(50), lagMillis.getValueAtPercentile(99), lagMillis.getMaxValue());
    }

    /** The sequence of the journal's last record, read backwards from its end. */
    private long journalEnd()
    {
        endTailer.toEnd();
        try (DocumentContext dc = endTailer.readingDocument())
        {
            if (!dc.isPresent())
            {
                return cursor;
            }
            final Bytes<?> bytes = dc.wire().bytes();
            final int length = (int)Math.min(bytes.readRemaining(), CommandCodec.MAX_RECORD_LENGTH);
            bytes.read(endCodec.array(), 0, length);
            return endCodec.decode(length, new CommandEvent()) ? Math.max(cursor, endCodec.sequence()) : cursor;
        }
    }

    /**
     * Delivers until the journal's end (without follow) or until {@link #stop()} (with it),
     * idling with a short backoff while the journal has nothing new.
     */
    public void run() throws FeedException
    {
        long idleNanos = 0;
        while (running)
        {
            final int work = doWork();
            if (work > 0)
            {
                idleNanos = 0;
                continue;
            }
            if (!options.follow)
            {
                break;
            }
            // Backoff idle: from 50 us to 10 ms, so a record waits at most ~10 ms plus the commit.
            idleNanos = idleNanos == 0 ? 50_000 : Math.min(idleNanos * 2, 10_000_000);
            LockSupport.parkNanos(idleNanos);
        }
        awaitWrite();
        status(true);
    }

    /** Asks {@link #run()} to return after the batch in hand is delivered. Any thread. */
    public void stop()
    {
        running = false;
    }

    /** The last journal sequence delivered (committed, or printed in a dry run). */
    public long cursor()
    {
        return cursor;
    }

    public long startCursor()
    {
        return startCursor;
    }

    public long recordsDelivered()
    {
        return recordsDelivered;
    }

    public long eventsDelivered()
    {
        return eventsDelivered;
    }

    /** Journal append (command timestamp) to commit, per record, in milliseconds. */
    public Histogram lagMillis()
    {
        return lagMillis;
    }

    /** The feed's own engine, as of {@link #cursor()}. */
    public SaleEngine engine()
    {
        return engine;
    }

    @Override
    public void close()
    {
        writer.shutdownNow();
        if (progress != null)
        {
            progress.close();
        }
        if (reader != null)
        {
            reader.close();
        }
        if (endTailer != null)
        {
            endTailer.close();
        }
        if (database != null)
        {
            database.close();
        }
        queue.close();
    }
}
