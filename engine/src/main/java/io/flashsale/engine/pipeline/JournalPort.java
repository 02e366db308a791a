package io.flashsale.engine.pipeline;

import io.flashsale.engine.command.CommandEvent;

/**
 * Where the journal stage writes commands. The journal module implements it with a Chronicle
 * Queue; {@link #NONE} keeps nothing.
 *
 * <p>Called on the journal stage thread only, in ring order, in parallel with the business
 * thread. Replies wait for both, so nothing is promised to a shopper before {@link #append}
 * has returned for its command. Read only the input fields of the event: the business thread is
 * writing its result fields at the same time.
 */
public interface JournalPort
{
    JournalPort NONE = new JournalPort()
    {
        @Override
        public void append(final CommandEvent command)
        {
        }

        @Override
        public void endOfBatch()
        {
        }
    };

    /**
     * Records one journaled command ({@link io.flashsale.engine.command.CommandType#isJournaled()}).
     *
     * @throws Exception when the command could not be recorded; its reply then says so and the
     *                   pipeline stops taking commands
     */
    void append(CommandEvent command) throws Exception;

    /** The end of a ring batch: the place to sync, once per batch rather than per command. */
    void endOfBatch() throws Exception;
}
