package io.flashsale.engine.pipeline;

import io.flashsale.engine.command.CommandEvent;

/**
 * Where the replication stage sends journaled commands to a standby, and the gate replies pass:
 * the journal module implements it over an Aeron link; {@link #NONE} replicates nothing.
 *
 * <p>Called on the replication stage's thread only, in ring order, after the journal stage has
 * appended the command (in the serial layout the same thread, right after it). Read only the
 * input fields of the event: the business thread may be writing its result fields.
 */
public interface ReplicationPort
{
    ReplicationPort NONE = new ReplicationPort()
    {
        @Override
        public void send(final CommandEvent command)
        {
        }

        @Override
        public void endOfBatch()
        {
        }

        @Override
        public boolean awaitAcknowledged()
        {
            return true;
        }
    };

    /**
     * Sends one journaled command ({@link io.flashsale.engine.command.CommandType#isJournaled()}),
     * or keeps it for the batch.
     *
     * @throws Exception when the command cannot be handed to the link; the pipeline then fails
     */
    void send(CommandEvent command) throws Exception;

    /** The end of a ring batch: the place to flush what the batch sent. */
    void endOfBatch() throws Exception;

    /**
     * Called once per batch, after {@link #endOfBatch()} and before any reply of the batch leaves:
     * waits, as the replication mode requires, until the standby has acknowledged every command
     * sent so far. Never waits for ever: it returns false when the standby was lost and the mode
     * says the primary must not acknowledge alone; the batch's replies then say
     * {@link io.flashsale.engine.command.Outcome#NOT_REPLICATED}.
     *
     * @return true when the batch's replies may leave as they are
     */
    boolean awaitAcknowledged();
}
