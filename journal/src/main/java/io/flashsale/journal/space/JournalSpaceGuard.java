package io.flashsale.journal.space;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Watches the free space of the file system that holds the journal, so that state-changing
 * commands are refused (503 journal-full) while there is still room, instead of Chronicle faulting
 * inside a memory-mapped write when the file system is full. Engages when the usable bytes drop
 * below {@link #minFreeBytes()}; releases once they are back above it by a quarter more, so a
 * disk hovering at the threshold does not flap.
 *
 * <p>One daemon thread asks the file system every {@code pollMillis} (one statfs; never a syscall
 * per request). {@link #engaged()}, {@link #freeBytes()} and {@link #reason()} are volatile reads:
 * any thread, the IO threads included.
 */
public final class JournalSpaceGuard implements AutoCloseable
{
    /**
     * Chronicle maps the cycle file 64 MiB at a time (the builder's default block size on a 64-bit
     * JVM, which {@code JournalQueues} keeps) plus a 16 MiB overlap: an 80 MiB window of a sparse
     * file, whose pages take disk space when first written. 128 MiB leaves that whole window
     * writable, and the rest (48 MiB) covers the commands already in the ring when the guard
     * engages, the index pages, the next day's cycle file and other writers on the same file
     * system between two polls.
     */
    public static final long DEFAULT_MIN_FREE_BYTES = 128L << 20;
    /**
     * The smallest threshold that makes sense: the journal allocates its file's blocks 4 MiB ahead
     * of the record it writes, so a guard below twice that would engage after the journal failed.
     */
    public static final long SMALLEST_MIN_FREE_BYTES = 8L << 20;
    /** How often the thread asks the file system. */
    public static final long DEFAULT_POLL_MILLIS = 100;

    /** A guard that never engages: {@code minFreeBytes} 0 turns the check off. */
    public static final JournalSpaceGuard OFF = new JournalSpaceGuard(() -> -1, 0, System::currentTimeMillis);

    private static final System.Logger LOG = System.getLogger(JournalSpaceGuard.class.getName());
    /** An engagement is logged at most this often; the release is always logged. */
    private static final long ENGAGED_LOG_EVERY_MILLIS = 60_000;

    private final LongSupplier usableBytes;
    private final long minFreeBytes;
    private final long releaseBytes;
    private final LongSupplier clockMillis;
    private volatile boolean engaged;
    private volatile long freeBytes = -1;
    private volatile String reason;
    private volatile boolean closed;
    private long engagements;
    private long engagementsLogged;
    private long nextEngagedLogMillis = Long.MIN_VALUE;
    private Thread thread;

    /**
     * @param usableBytes the file system's usable bytes (negative when it cannot be read)
     */
    JournalSpaceGuard(final LongSupplier usableBytes, final long minFreeBytes, final LongSupplier clockMillis)
    {
        if (minFreeBytes < 0)
        {
            throw new IllegalArgumentException("minFreeBytes must be >= 0 (0 = off), was " + minFreeBytes);
        }
        this.usableBytes = usableBytes;
        this.minFreeBytes = minFreeBytes;
        this.releaseBytes = minFreeBytes + minFreeBytes / 4;
        this.clockMillis = clockMillis;
    }

    /**
     * Starts watching the file system of {@code directory} (which must exist).
     *
     * @param minFreeBytes below this the guard engages; 0 returns {@link #OFF}
     */
    public static JournalSpaceGuard watch(final Path directory, final long minFreeBytes, final long pollMillis) throws IOException
    {
        if (minFreeBytes == 0)
        {
            return OFF;
        }
        final FileStore store = Files.getFileStore(directory);
        final JournalSpaceGuard guard = new JournalSpaceGuard(() -> usable(store), minFreeBytes, System::currentTimeMillis);
        guard.poll();
        final Thread thread = new Thread(() -> guard.run(pollMillis), "flashsale-journal-space");
        thread.setDaemon(true);
        guard.thread = thread;
        thread.start();
        return guard;
    }

    private static long usable(final FileStore store)
    {
        try
        {
            return store.getUsableSpace();
        }
        catch (final IOException ex)
        {
            return -1;
        }
    }

    private void run(final long pollMillis)
    {
        final long pollNanos = TimeUnit.MILLISECONDS.toNanos(pollMillis);
        while (!closed)
        {
            LockSupport.parkNanos(pollNanos);
            try
            {
                poll();
            }
            catch (final RuntimeException ex)
            {
                LOG.log(System.Logger.Level.WARNING, "journal space check failed", ex);
            }
        }
    }

    /** One look at the file system. The guard's thread (tests: the test's thread). */
    void poll()
    {
        if (minFreeBytes == 0)
        {
            return;
        }
        final long free = usableBytes.getAsLong();
        freeBytes = free;
        if (!engaged && free < minFreeBytes)
        {
            reason = free < 0
                ? "the journal's file system cannot be read"
                : "the journal's file system has " + free + " bytes free, below journal.minFreeBytes " + minFreeBytes;
            engaged = true;
            engagements++;
            logEngaged();
        }
        else if (engaged && free >= releaseBytes)
        {
            engaged = false;
            reason = null;
            LOG.log(System.Logger.Level.WARNING, "JOURNAL SPACE BACK: " + free + " bytes free on the journal's file system" +
                " (at least " + releaseBytes + "); taking purchases, payments, cancellations and new sales again");
        }
    }

    private void logEngaged()
    {
        final long now = clockMillis.getAsLong();
        if (now < nextEngagedLogMillis)
        {
            return;
        }
        nextEngagedLogMillis = now + ENGAGED_LOG_EVERY_MILLIS;
        final long since = engagements - engagementsLogged;
        engagementsLogged = engagements;
        LOG.log(System.Logger.Level.ERROR, "JOURNAL FULL: " + reason + "; refusing purchases, payments, cancellations and" +
            " new sales with 503 journal-full (reads go on) until " + releaseBytes + " bytes are free" +
            (since > 1 ? " (engaged " + since + " times since the last such line)" : ""));
    }

    /** True while state-changing commands must be refused. Any thread. */
    public boolean engaged()
    {
        return engaged;
    }

    /** The usable bytes at the last look, or -1 when unknown or off. Any thread. */
    public long freeBytes()
    {
        return freeBytes;
    }

    /** The threshold; 0 when the guard is off. */
    public long minFreeBytes()
    {
        return minFreeBytes;
    }

    /** Why the guard is engaged (free bytes and threshold), or null. Any thread. */
    public String reason()
    {
        return reason;
    }

    /** Stops the thread. Idempotent. */
    @Override
    public void close()
    {
        closed = true;
        final Thread watcher = thread;
        if (watcher != null)
        {
            LockSupport.unpark(watcher);
        }
    }
}
