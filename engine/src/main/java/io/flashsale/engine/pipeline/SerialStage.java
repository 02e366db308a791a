package io.flashsale.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import io.flashsale.engine.command.CommandEvent;

/**
 * The {@link StageLayout#SERIAL} layout's one stage: journals and applies each command as it comes,
 * and at the end of the ring batch (once the journal stage has closed the batch, forcing it under
 * BATCH sync) answers the whole batch in ring order. The batch's events stay untouched until this
 * stage moves past them, so the replies read them from the ring. Stage thread only.
 */
final class SerialStage implements EventHandler<CommandEvent>
{
    private final EventHandler<CommandEvent> journal;
    private final EventHandler<CommandEvent> logic;
    private final EventHandler<CommandEvent> replies;
    private RingBuffer<CommandEvent> ring;
    private long batchStart = -1;

    SerialStage(final EventHandler<CommandEvent> journal, final EventHandler<CommandEvent> logic, final EventHandler<CommandEvent> replies)
    {
        this.journal = journal;
        this.logic = logic;
        this.replies = replies;
    }

    /** Before the ring starts. */
    void ring(final RingBuffer<CommandEvent> ring)
    {
        this.ring = ring;
    }

    @Override
    public void onEvent(final CommandEvent command, final long sequence, final boolean endOfBatch) throws Exception
    {
        if (batchStart < 0)
        {
            batchStart = sequence;
        }
        try
        {
            journal.onEvent(command, sequence, endOfBatch);
            logic.onEvent(command, sequence, endOfBatch);
        }
        finally
        {
            // Whatever escaped goes to the ring's exception handler, which fails the pipeline; the
            // batch is answered all the same, or its publishers would wait for ever.
            if (endOfBatch)
            {
                for (long s = batchStart; s <= sequence; s++)
                {
                    replies.onEvent(ring.get(s), s, s == sequence);
                }
                batchStart = -1;
            }
        }
    }
}
