package io.flashsale.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.Outcome;

/**
 * Ring stage that hands journaled commands to the {@link JournalPort}. Anything the port throws
 * fails the pipeline with {@link Outcome#JOURNAL_FAILED}; once the pipeline has failed (here or in
 * another stage) nothing more is journaled. Journal thread only.
 */
final class JournalStage implements EventHandler<CommandEvent>
{
    private static final String WHERE = "journal stage";

    private final JournalPort port;
    private final StageFailures failures;

    JournalStage(final JournalPort port, final StageFailures failures)
    {
        this.port = port;
        this.failures = failures;
    }

    @Override
    public void onEvent(final CommandEvent command, final long sequence, final boolean endOfBatch)
    {
        final Outcome failure = failures.outcome();
        if (failure != null)
        {
            // Behind a failure: record nothing more, promise nothing more.
            command.journalFailed = failure == Outcome.JOURNAL_FAILED;
            return;
        }
        try
        {
            if (command.type.isJournaled())
            {
                port.append(command);
            }
            if (endOfBatch)
            {
                port.endOfBatch();
            }
        }
        catch (final Throwable ex)
        {
            command.journalFailed = true;
            failures.fail(Outcome.JOURNAL_FAILED, WHERE, sequence, ex);
        }
    }
}
