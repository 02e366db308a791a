package io.flashsale.http.replication;

import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.pipeline.PipelineFailureListener;
import io.flashsale.journal.replication.ReplicationPrimary;

/**
 * A primary whose ring failed steps down: its standby is told at once (so one in sync takes over
 * without waiting out the silence), then the server's own failure handling runs (not ready, drain,
 * exit). The primary is set once it leads (at start, or when a standby is promoted). Called on the
 * failing thread: hands over only.
 */
public final class StepDownOnFailure implements PipelineFailureListener
{
    private final PipelineFailureListener next;
    private volatile ReplicationPrimary primary;

    public StepDownOnFailure(final PipelineFailureListener next)
    {
        this.next = next;
    }

    /** The replication primary to step down when the ring fails. */
    public void leading(final ReplicationPrimary primary)
    {
        this.primary = primary;
    }

    /** True once a failed primary's standby knows it stepped down, or when there is nothing to tell. Any thread. */
    public boolean settled()
    {
        final ReplicationPrimary p = primary;
        return p == null || p.stepDownSettled();
    }

    @Override
    public void pipelineFailed(final Outcome outcome, final String where, final Throwable cause)
    {
        final ReplicationPrimary p = primary;
        if (p != null)
        {
            try
            {
                p.stepDown(outcome + " in " + where + ": " + cause);
            }
            catch (final Throwable outOfMemory)
            {
                // No room for the reason: a constant one.
                p.stepDown("the ring failed");
            }
        }
        next.pipelineFailed(outcome, where, cause);
    }
}
