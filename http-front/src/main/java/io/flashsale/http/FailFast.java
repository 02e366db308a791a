package io.flashsale.http;

import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.pipeline.PipelineFailureListener;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;

/**
 * What the server does when its ring fails (a stage threw, out of memory, the journal cannot
 * write): the pipeline already refuses new commands and answers those in flight with the failure,
 * so {@code /health/ready} answers 503 at once. This waits, at most {@code drainMillis}, for the
 * ring to answer everything in it and for the answers to be written, then ends the process with
 * {@link #ENGINE_FAILED} or {@link #JOURNAL_FAILED}. A process that cannot keep its promises goes
 * away instead of hanging; the journal holds every acknowledged command and a restart recovers them.
 *
 * <p>The exit is {@link Runtime#halt}-like: shutdown hooks would drain the ring again and wait on
 * the snapshot writer, without a bound, in a JVM that may be out of memory. Without an exit (an
 * embedded server, a test) the process stays up, not ready.
 *
 * <p>A second thread is the backstop: it ends the process 3 s after the drain's bound whatever
 * the first is doing (stuck on a lock that a thread out of memory holds, a log handler that
 * blocks). Both are started up front: when the heap is gone, starting a thread may fail.
 * {@link #pipelineFailed} from any thread; it only hands over.
 */
final class FailFast implements PipelineFailureListener
{
    /** The ring failed: a stage, the ticker or a helper threw (an engine bug, OutOfMemoryError anywhere). EX_SOFTWARE. */
    static final int ENGINE_FAILED = 70;
    /** The journal could not record a command (disk full, I/O error). EX_IOERR. */
    static final int JOURNAL_FAILED = 74;

    /** How long after the drain's bound the backstop ends the process if the watchdog has not. */
    private static final long DEADLINE_GRACE_MILLIS = 3_000;
    private static final System.Logger LOG = System.getLogger(FailFast.class.getName());

    private final long drainMillis;
    private final BooleanSupplier ringDrained;
    private final LongConsumer finishAnswers;
    private final IntConsumer exit;
    private final CountDownLatch failed = new CountDownLatch(1);
    private final Thread watchdog;
    private final Thread deadline;
    private volatile Outcome outcome;
    private volatile String where;
    private volatile Throwable cause;

    /**
     * @param ringDrained   true once the ring has answered every command in it
     * @param finishAnswers stops the front and waits up to the given milliseconds for the answers being written
     * @param exit          ends the process with the code; null leaves it up
     */
    FailFast(final long drainMillis, final BooleanSupplier ringDrained, final LongConsumer finishAnswers, final IntConsumer exit)
    {
        this.drainMillis = drainMillis;
        this.ringDrained = ringDrained;
        this.finishAnswers = finishAnswers;
        this.exit = exit;
        if (exit == null)
        {
            // Embedded: the front keeps answering (503 from the failed ring, not ready); the owner decides.
            this.watchdog = null;
            this.deadline = null;
            return;
        }
        this.watchdog = daemon(this::watch, "flashsale-fail-fast");
        // The backstop: should the watchdog be stuck (a lock held by a thread that ran out of
        // memory, a log handler that blocks), the process still ends a little later.
        this.deadline = daemon(this::exitByDeadline, "flashsale-fail-fast-deadline");
    }

    private static Thread daemon(final Runnable body, final String name)
    {
        final Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public void pipelineFailed(final Outcome failure, final String stage, final Throwable error)
    {
        if (outcome != null)
        {
            return;
        }
        where = stage;
        cause = error;
        outcome = failure;
        failed.countDown();
    }

    /**
     * The exit code for the failure so far, or 0 while nothing failed. Out of memory is the ring's
     * failure wherever it struck (the journal stage included), so that the code points at the heap,
     * not the disk. Any thread.
     */
    int exitCode()
    {
        final Outcome failure = outcome;
        if (failure == null)
        {
            return 0;
        }
        return failure == Outcome.JOURNAL_FAILED && !(cause instanceof VirtualMachineError) ? JOURNAL_FAILED : ENGINE_FAILED;
    }

    /** The server closed normally: the watchdogs are not needed any more (unless a failure is being handled). */
    void close()
    {
        if (outcome == null && watchdog != null)
        {
            watchdog.interrupt();
            deadline.interrupt();
        }
    }

    private void watch()
    {
        try
        {
            failed.await();
        }
        catch (final InterruptedException ex)
        {
            return;
        }
        final int code = exitCode();
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainMillis);
        try
        {
            while (!ringDrained.getAsBoolean() && System.nanoTime() - deadline < 0)
            {
                Thread.sleep(2);
            }
            finishAnswers.accept(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        catch (final Throwable ex)
        {
            // Draining is a courtesy; exiting is not.
        }
        log("exiting with code ", code);
        exit.accept(code);
    }

    private void exitByDeadline()
    {
        try
        {
            failed.await();
            Thread.sleep(drainMillis + DEADLINE_GRACE_MILLIS);
        }
        catch (final InterruptedException ex)
        {
            return;
        }
        exit.accept(exitCode());
    }

    /** Builds the message inside the try: out of memory, even concatenating may throw. */
    private void log(final String what, final int code)
    {
        try
        {
            LOG.log(System.Logger.Level.ERROR, what + code + ": the ring failed in " + where + " (" + cause +
                "); every acknowledged order is in the journal, a restart recovers it");
            System.out.flush();
            System.err.flush();
        }
        catch (final Throwable ignored)
        {
            // Out of memory for the message: exit all the same.
        }
    }
}
