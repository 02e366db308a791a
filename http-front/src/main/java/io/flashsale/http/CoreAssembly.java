package io.flashsale.http;

import io.flashsale.engine.SaleEngine;
import io.flashsale.engine.pipeline.CommandPipeline;
import io.flashsale.engine.pipeline.PipelineConfig;
import io.flashsale.engine.pipeline.PipelineFailureListener;
import io.flashsale.engine.pipeline.StageLayout;
import io.flashsale.engine.pipeline.WaitStrategyKind;
import io.flashsale.http.config.ServerConfig;
import io.flashsale.http.metrics.FrontMetrics;
import io.flashsale.journal.DurableEngine;
import io.flashsale.journal.JournalConfig;
import io.flashsale.journal.RecoveryReport;
import io.flashsale.journal.SyncPolicy;
import io.flashsale.journal.space.JournalSpaceGuard;

import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Builds the core the front talks to: the engine recovered from the journal (newest snapshot, then
 * replay), the pipeline around it with the journal stage in front of every reply, and the snapshot
 * schedule; and takes them down in the right order (ring drained first, journal closed last).
 *
 * <p>Main thread: opened before the server reports ready, closed after the front stopped taking
 * requests.
 */
public final class CoreAssembly implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(CoreAssembly.class.getName());

    private final DurableEngine durable;
    private final CommandPipeline pipeline;

    private CoreAssembly(final DurableEngine durable, final CommandPipeline pipeline)
    {
        this.durable = durable;
        this.pipeline = pipeline;
    }

    /**
     * @param recovered sees the recovered engine before the ring starts (and owns it from then on)
     * @param failures  told when the ring fails (the server ends the process)
     * @param tweaks    last word on the pipeline settings (tests shrink the ring or block snapshots)
     * @throws io.flashsale.journal.JournalCorruptException when the journal is damaged and the
     *                                                      configuration does not say to cut it
     */
    public static CoreAssembly open(
        final ServerConfig config,
        final LongSupplier clockMillis,
        final FrontMetrics metrics,
        final Consumer<SaleEngine> recovered,
        final PipelineFailureListener failures,
        final Consumer<PipelineConfig> tweaks)
    {
        final DurableEngine durable = DurableEngine.open(journalConfig(config.journal));
        final PipelineConfig pipelineConfig = new PipelineConfig()
            .ringSize(config.core.ringSize)
            .waitStrategy(WaitStrategyKind.valueOf(config.core.waitStrategy))
            .stageLayout(StageLayout.valueOf(config.core.stageLayout))
            .tickIntervalMillis(config.core.tickIntervalMillis)
            .clock(clockMillis)
            .journal(new TimedJournalPort(durable.journalPort(), metrics))
            .snapshots(durable.snapshotPort())
            .failures(failures);
        tweaks.accept(pipelineConfig);
        final CommandPipeline pipeline;
        try
        {
            recovered.accept(durable.engine());
            pipeline = CommandPipeline.start(durable.engine(), pipelineConfig);
        }
        catch (final RuntimeException ex)
        {
            durable.close();
            throw ex;
        }
        durable.scheduleSnapshots(pipeline);
        return new CoreAssembly(durable, pipeline);
    }

    static JournalConfig journalConfig(final ServerConfig.Journal journal)
    {
        return new JournalConfig(Path.of(journal.directory))
            .sync(SyncPolicy.valueOf(journal.sync))
            .snapshotEveryCommands(journal.snapshotEveryCommands)
            .snapshotEverySeconds(journal.snapshotEverySeconds)
            .keepSnapshots(journal.keepSnapshots)
            .truncateTornTail(journal.truncateTornTail)
            .minFreeBytes(journal.minFreeBytes);
    }

    /** Whether the journal's file system is nearly full. Any thread. */
    public JournalSpaceGuard spaceGuard()
    {
        return durable.spaceGuard();
    }

    public CommandPipeline pipeline()
    {
        return pipeline;
    }

    /** What start-up recovered: snapshot used, commands replayed, time taken. */
    public RecoveryReport recovery()
    {
        return durable.recovery();
    }

    /** Drains the ring (every accepted command is journaled, applied and answered), then closes the journal. */
    @Override
    public void close()
    {
        try
        {
            pipeline.close();
        }
        finally
        {
            durable.close();
        }
    }
}
