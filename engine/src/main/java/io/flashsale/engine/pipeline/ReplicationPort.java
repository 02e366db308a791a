package io.flashsale.engine.pipeline;

import io.flashsale.engine.command.CommandEvent;

/**
 * Where the replication stage sends journaled commands to a standby, and the gate replies pass:
 * the journal module implements it over an Aeron link; {@link #NONE} replicates nothing.
 *
 * <p>{@link #send}, {@link #endOfBatch} and {@link #sent} are called on the replication stage's
 * thread only, in ring order, after the journal stage has appended the command (in the serial
 * layout the same thread, right after it). Read only the input fields of the event: the business
 * thread may be writing its result fields. {@link #awaitAcknowledged} is called on the reply
 * thread (the {@link AckGate}'s), while the replication stage goes on sending later batches.
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
        public long sent()
        {
            return 0;
        }

        @Override
        public boolean awaitAcknowledged(final long upTo)
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

    /** The journal sequence of the last command handed to {@link #send}: what a reply after it must wait for. */
    long sent();

    /**
     * Called before a reply leaves, with the {@link #sent} value its command was stamped with, after
     * that command's batch has ended ({@link #endOfBatch()}): waits, as the replication mode
     * requires, until the standby has acknowledged every command up to {@code upTo}. Never waits
     * for ever: it returns false when the standby was lost and the mode says the primary must not
     * acknowledge alone; the reply then says {@link io.flashsale.engine.command.Outcome#NOT_REPLICATED}.
     * Reply thread; safe while the replication stage sends.
     *
     * @return true when the reply may leave as it is
     */
    boolean awaitAcknowledged(long upTo);
}
