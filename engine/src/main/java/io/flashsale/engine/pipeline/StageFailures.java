package io.flashsale.engine.pipeline;

import com.lmax.disruptor.ExceptionHandler;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.Outcome;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Where every failure of the ring goes, and the ring's one bit of failure state. The first
 * failure wins: the pipeline stops accepting commands, one line with the cause is logged, and the
 * {@link PipelineFailureListener} is told. From then on the stages run in failed mode: they journal
 * and apply nothing more and answer every command still in the ring with the failure's outcome, so
 * no publisher waits for a reply that never comes.
 *
 * <p>It is also the Disruptor's exception handler for every stage (the default,
 * {@code FatalExceptionHandler}, lets a stage thread die, and every command published after that
 * waits forever): the backstop for what a stage did not catch itself. Returning normally lets the
 * stage's processor go on to the next event. Any thread.
 */
final class StageFailures implements ExceptionHandler<CommandEvent>
{
    private static final System.Logger LOG = System.getLogger(StageFailures.class.getName());
    private static final int LOG_RESERVE_BYTES = 256 * 1024;

    private final PipelineFailureListener listener;
    private final Runnable stopAccepting;
    private final AtomicReference<Outcome> failure = new AtomicReference<>();
    /**
     * Dropped at the first failure, so that when the heap is gone (a stage out of memory on a
     * small allocation) the collector has something to give back for the line that says why.
     */
    @SuppressWarnings("unused")
    private volatile byte[] logReserve = new byte[LOG_RESERVE_BYTES];

    StageFailures(final PipelineFailureListener listener, final Runnable stopAccepting)
    {
        this.listener = listener;
        this.stopAccepting = stopAccepting;
    }

    /** True once any failure was reported. */
    boolean failed()
    {
        return failure.get() != null;
    }

    /** The outcome commands in flight get, or null while nothing failed. */
    Outcome outcome()
    {
        return failure.get();
    }

    /**
     * Reports a failure. The first one stops the pipeline and reaches the listener; later ones are
     * logged only. Never throws: it runs on threads that are already failing.
     *
     * @param ringSequence the ring sequence being processed, or -1 outside a stage
     */
    void fail(final Outcome outcome, final String where, final long ringSequence, final Throwable cause)
    {
        if (!failure.compareAndSet(null, outcome))
        {
            log(System.Logger.Level.WARNING, "after the ring had failed, this failed too: ", where, ringSequence, cause);
            return;
        }
        stopAccepting.run();
        logReserve = null;
        // The listener before the log line: logging may block or fail when the heap is gone.
        Throwable listenerFailure = null;
        try
        {
            listener.pipelineFailed(outcome, where, cause);
        }
        catch (final Throwable ex)
        {
            listenerFailure = ex;
        }
        log(System.Logger.Level.ERROR, "RING FAILED in ", where, ringSequence, cause);
        if (listenerFailure != null)
        {
            log(System.Logger.Level.ERROR, "the failure listener failed too: ", where, -1, listenerFailure);
        }
    }

    /** Builds the message inside the try: out of memory, even concatenating may throw. */
    private static void log(final System.Logger.Level level, final String what, final String where, final long ringSequence, final Throwable cause)
    {
        try
        {
            LOG.log(level, what + where + " (thread " + Thread.currentThread().getName() +
                (ringSequence >= 0 ? ", ring sequence " + ringSequence : "") + "): " + cause +
                "; commands in flight are answered with the failure, new ones refused", cause);
        }
        catch (final Throwable ignored)
        {
            // Out of memory even for the message: the listener still runs, the process still ends.
        }
    }

    @Override
    public void handleEventException(final Throwable ex, final long sequence, final CommandEvent event)
    {
        if (isMappedWriteFault(ex))
        {
            if (event != null)
            {
                event.journalFailed = true;
            }
            fail(Outcome.JOURNAL_FAILED, "the journal (a fault in a memory-mapped write)", sequence, ex);
            return;
        }
        if (event != null)
        {
            event.outcome = Outcome.ENGINE_ERROR;
        }
        fail(Outcome.ENGINE_ERROR, "a ring stage", sequence, ex);
    }

    /**
     * A write into a memory-mapped file that the file system could not back (full, failing) faults
     * (SIGBUS), and the JVM raises this {@link InternalError} at a later point of the thread, which
     * may be past the journal stage's own catch. Only the journal maps files on the ring's threads.
     */
    static boolean isMappedWriteFault(final Throwable ex)
    {
        return ex instanceof InternalError && ex.getMessage() != null && ex.getMessage().contains("unsafe memory access");
    }

    @Override
    public void handleOnStartException(final Throwable ex)
    {
        fail(Outcome.ENGINE_ERROR, "a ring stage starting", -1, ex);
    }

    @Override
    public void handleOnShutdownException(final Throwable ex)
    {
        log(System.Logger.Level.WARNING, "failed while stopping: ", "a ring stage", -1, ex);
    }
}
