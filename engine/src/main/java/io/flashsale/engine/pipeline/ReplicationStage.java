package io.flashsale.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.Outcome;

/**
 * Ring stage behind the journal stage that hands journaled commands to the {@link ReplicationPort}
 * and, at the end of each batch, holds the batch's replies at the port's gate: in sync mode until
 * the standby has acknowledged them. Per batch, not per command: while one batch waits for its
 * acknowledgement the next one gathers in the ring, so a round trip is paid once for many
 * commands. When the gate says the batch was not replicated, every command of it is marked and
 * answered {@link Outcome#NOT_REPLICATED}. Anything the port throws fails the pipeline with
 * {@link Outcome#JOURNAL_FAILED}. Replication stage thread only.
 */
final class ReplicationStage implements EventHandler<CommandEvent>
{
    private static final String WHERE = "replication stage";

    private final ReplicationPort port;
    private final StageFailures failures;
    private RingBuffer<CommandEvent> ring;
    private long batchStart = -1;

    ReplicationStage(final ReplicationPort port, final StageFailures failures)
    {
        this.port = port;
        this.failures = failures;
    }

    /** Before the ring starts. */
    void ring(final RingBuffer<CommandEvent> ring)
    {
        this.ring = ring;
    }

    @Override
    public void onEvent(final CommandEvent command, final long sequence, final boolean endOfBatch)
    {
        if (batchStart < 0)
        {
            batchStart = sequence;
        }
        if (!failures.failed())
        {
            try
            {
                if (command.type.isJournaled())
                {
                    port.send(command);
                }
                if (endOfBatch)
                {
                    port.endOfBatch();
                    if (!port.awaitAcknowledged())
                    {
                        markBatchNotReplicated(sequence);
                    }
                }
            }
            catch (final Throwable ex)
            {
                command.journalFailed = true;
                failures.fail(Outcome.JOURNAL_FAILED, WHERE, sequence, ex);
            }
        }
        if (endOfBatch)
        {
            batchStart = -1;
        }
    }

    private void markBatchNotReplicated(final long end)
    {
        for (long s = batchStart; s <= end; s++)
        {
            ring.get(s).notReplicated = true;
        }
    }
}
