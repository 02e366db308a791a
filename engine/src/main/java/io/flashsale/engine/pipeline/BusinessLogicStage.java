package io.flashsale.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import io.flashsale.engine.SaleEngine;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.CommandType;
import io.flashsale.engine.command.Outcome;

/**
 * Ring stage that applies each command to the engine, takes snapshots when asked, and publishes
 * the views of touched sales at the end of every batch. The business thread.
 */
final class BusinessLogicStage implements EventHandler<CommandEvent>
{
    private static final System.Logger LOG = System.getLogger(BusinessLogicStage.class.getName());

    private final SaleEngine engine;
    private final SnapshotPort snapshots;

    BusinessLogicStage(final SaleEngine engine, final SnapshotPort snapshots)
    {
        this.engine = engine;
        this.snapshots = snapshots;
    }

    @Override
    public void onEvent(final CommandEvent command, final long sequence, final boolean endOfBatch)
    {
        try
        {
            engine.apply(command);
            if (command.type == CommandType.SNAPSHOT)
            {
                snapshots.onSnapshot(engine);
            }
        }
        catch (final Exception ex)
        {
            command.outcome = Outcome.ENGINE_ERROR;
            LOG.log(System.Logger.Level.ERROR, "engine failed on " + command, ex);
        }
        if (endOfBatch)
        {
            engine.publishViews();
        }
    }
}
