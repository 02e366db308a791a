package io.flashsale.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.command.ReplyListener;

/**
 * Ring stage gated on both the journal and the business thread: hands each result to the
 * listener its producer gave, then drops the references so the ring holds no garbage.
 */
final class ReplyStage implements EventHandler<CommandEvent>
{
    private static final System.Logger LOG = System.getLogger(ReplyStage.class.getName());

    @Override
    public void onEvent(final CommandEvent command, final long sequence, final boolean endOfBatch)
    {
        if (command.journalFailed)
        {
            command.outcome = Outcome.JOURNAL_FAILED;
        }
        final ReplyListener listener = command.replyListener;
        if (listener != null)
        {
            try
            {
                listener.onReply(command);
            }
            catch (final RuntimeException ex)
            {
                LOG.log(System.Logger.Level.WARNING, "reply listener failed for " + command, ex);
            }
        }
        command.replyListener = null;
        command.attachment = null;
    }
}
