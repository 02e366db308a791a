package io.flashsale.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import io.flashsale.engine.command.CommandEvent;

/** Ring stage that hands journaled commands to the {@link JournalPort}. Journal thread only. */
final class JournalStage implements EventHandler<CommandEvent>
{
    private static final System.Logger LOG = System.getLogger(JournalStage.class.getName());

    private final JournalPort port;
    private final Runnable onFailure;
    private boolean failed;

    JournalStage(final JournalPort port, final Runnable onFailure)
    {
        this.port = port;
        this.onFailure = onFailure;
    }

    @Override
    public void onEvent(final CommandEvent command, final long sequence, final boolean endOfBatch)
    {
        if (failed)
        {
            // The journal is behind the engine from here on: promise nothing more.
            command.journalFailed = true;
        }
        else
        {
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
            catch (final Exception ex)
            {
                failed = true;
                command.journalFailed = true;
                LOG.log(System.Logger.Level.ERROR, "journal failed at ring sequence " + sequence + "; refusing new commands", ex);
                onFailure.run();
            }
        }
    }
}
