package io.flashsale.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.Outcome;

/**
 * Ring stage behind the journal stage that hands journaled commands to the {@link ReplicationPort},
 * flushes them at the end of each ring batch (one message per batch), and stamps every command
 * with the journal sequence its reply must see acknowledged ({@link CommandEvent#awaitedAck}). It
 * never waits for the standby: the {@link AckGate} in front of the replies does, so the next
 * batches are journaled, applied and sent while one batch's acknowledgement is on its way. Anything
 * the port throws fails the pipeline with {@link Outcome#JOURNAL_FAILED}. Replication stage thread only.
 */
final class ReplicationStage implements EventHandler<CommandEvent>
{
    private static final String WHERE = "replication stage";

    private final ReplicationPort port;
    private final StageFailures failures;

    ReplicationStage(final ReplicationPort port, final StageFailures failures)
    {
        this.port = port;
        this.failures = failures;
    }

    @Override
    public void onEvent(final CommandEvent command, final long sequence, final boolean endOfBatch)
    {
        if (failures.failed())
        {
            return;
        }
        try
        {
            if (command.type.isJournaled())
            {
                port.send(command);
            }
            command.awaitedAck = port.sent();
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
