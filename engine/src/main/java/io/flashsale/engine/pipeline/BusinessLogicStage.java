package io.flashsale.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import io.flashsale.engine.SaleEngine;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.CommandType;
import io.flashsale.engine.command.Outcome;

/**
 * Ring stage that applies each command to the engine, takes snapshots when asked, and publishes
 * the views of touched sales at the end of every batch. The business thread.
 *
 * <p>The engine throws on no input (the model and fuzz tests hold it to that), so anything thrown
 * here is a bug or the JVM giving out (OutOfMemoryError), and the state may be half changed: the
 * pipeline fails ({@link Outcome#ENGINE_ERROR}) and nothing more is applied. The journal is the
 * truth; a restart rebuilds the state from it.
 */
final class BusinessLogicStage implements EventHandler<CommandEvent>
{
    private static final String WHERE = "business logic stage";

    private final SaleEngine engine;
    private final SnapshotPort snapshots;
    private final StageFailures failures;

    BusinessLogicStage(final SaleEngine engine, final SnapshotPort snapshots, final StageFailures failures)
    {
        this.engine = engine;
        this.snapshots = snapshots;
        this.failures = failures;
    }

    @Override
    public void onEvent(final CommandEvent command, final long sequence, final boolean endOfBatch)
    {
        if (failures.failed())
        {
            command.outcome = Outcome.ENGINE_ERROR;
            return;
        }
        try
        {
            engine.apply(command);
            if (command.type == CommandType.SNAPSHOT)
            {
                snapshots.onSnapshot(engine);
            }
            if (endOfBatch)
            {
                engine.publishViews();
            }
        }
        catch (final Throwable ex)
        {
            command.outcome = Outcome.ENGINE_ERROR;
            // No string built here: out of memory, that would throw again.
            failures.fail(Outcome.ENGINE_ERROR, WHERE, sequence, ex);
        }
    }
}
