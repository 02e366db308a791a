package io.flashsale.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.command.ReplyListener;

/**
 * Ring stage gated on both the journal and the business thread: hands each result to the
 * listener its producer gave, tells each listener that had replies when the batch ends, and drops
 * the references so the ring holds no garbage. A listener's exception loses that one reply; an
 * {@link Error} (out of memory) fails the pipeline, and the stage goes on answering the rest.
 */
final class ReplyStage implements EventHandler<CommandEvent>
{
    private static final System.Logger LOG = System.getLogger(ReplyStage.class.getName());
    private static final String WHERE = "reply stage";

    private final StageFailures failures;

    /** Listeners with replies in the current batch; there are few (one per front), so a scan is enough. */
    private final ReplyListener[] inBatch = new ReplyListener[8];
    private int inBatchCount;

    ReplyStage(final StageFailures failures)
    {
        this.failures = failures;
    }

    @Override
    public void onEvent(final CommandEvent command, final long sequence, final boolean endOfBatch)
    {
        if (command.journalFailed)
        {
            command.outcome = Outcome.JOURNAL_FAILED;
        }
        else if (command.notReplicated)
        {
            command.outcome = Outcome.NOT_REPLICATED;
        }
        final ReplyListener listener = command.replyListener;
        if (listener != null)
        {
            try
            {
                listener.onReply(command);
            }
            catch (final Throwable ex)
            {
                listenerFailed(ex, command, sequence);
            }
            noteInBatch(listener);
        }
        command.replyListener = null;
        command.attachment = null;
        if (endOfBatch)
        {
            endBatch();
        }
    }

    /**
     * A listener's exception loses its reply only; an Error fails the pipeline. Never throws, so
     * the rest of the batch is still answered.
     */
    private void listenerFailed(final Throwable ex, final CommandEvent command, final long sequence)
    {
        if (!(ex instanceof RuntimeException))
        {
            failures.fail(Outcome.ENGINE_ERROR, WHERE, sequence, ex);
            return;
        }
        try
        {
            LOG.log(System.Logger.Level.WARNING, command == null ? "reply listener failed at the end of a batch" : "reply listener failed for " + command, ex);
        }
        catch (final Throwable ignored)
        {
            // Out of memory for the message.
        }
    }

    private void noteInBatch(final ReplyListener listener)
    {
        for (int i = 0; i < inBatchCount; i++)
        {
            if (inBatch[i] == listener)
            {
                return;
            }
        }
        if (inBatchCount == inBatch.length)
        {
            endBatch();
        }
        inBatch[inBatchCount++] = listener;
    }

    private void endBatch()
    {
        for (int i = 0; i < inBatchCount; i++)
        {
            try
            {
                inBatch[i].onBatchEnd();
            }
            catch (final Throwable ex)
            {
                listenerFailed(ex, null, -1);
            }
            inBatch[i] = null;
        }
        inBatchCount = 0;
    }
}
