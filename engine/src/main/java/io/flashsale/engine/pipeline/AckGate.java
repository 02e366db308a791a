package io.flashsale.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import io.flashsale.engine.command.CommandEvent;

/**
 * The replies' side of replication: before a command's reply leaves, waits (through the
 * {@link ReplicationPort}) until the standby has acknowledged the journal sequence the replication
 * stage stamped on it, then hands the command to the reply stage. It runs on a thread of its own,
 * behind the stages that journal, apply and send, so that those go on with the next batches while
 * this one waits: the round trip to the standby overlaps the work instead of stopping it. Replies
 * still leave in ring order, each only after its own record and every earlier one were acknowledged.
 * A command the standby was lost before acknowledging is answered NOT_REPLICATED; once the pipeline
 * has failed nothing is waited for (the replies carry the failure). Reply thread only.
 */
final class AckGate implements EventHandler<CommandEvent>
{
    private final ReplicationPort port;
    private final StageFailures failures;
    private final EventHandler<CommandEvent> replies;
    /** The highest sequence known to be acknowledged: most replies need no call to the port. */
    private long acknowledged = Long.MIN_VALUE;

    AckGate(final ReplicationPort port, final StageFailures failures, final EventHandler<CommandEvent> replies)
    {
        this.port = port;
        this.failures = failures;
        this.replies = replies;
    }

    @Override
    public void onEvent(final CommandEvent command, final long sequence, final boolean endOfBatch) throws Exception
    {
        final long awaited = command.awaitedAck;
        if (awaited > acknowledged && !failures.failed())
        {
            if (port.awaitAcknowledged(awaited))
            {
                acknowledged = awaited;
            }
            else
            {
                command.notReplicated = true;
            }
        }
        replies.onEvent(command, sequence, endOfBatch);
    }
}
