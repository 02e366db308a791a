package io.flashsale.http;

import io.flashsale.engine.SaleEngine;
import io.flashsale.engine.pipeline.CommandPipeline;
import io.flashsale.engine.pipeline.JournalPort;
import io.flashsale.engine.pipeline.PipelineConfig;
import io.flashsale.engine.pipeline.WaitStrategyKind;
import io.flashsale.http.api.FrontMetrics;
import io.flashsale.http.config.ServerConfig;

import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Builds the core the front talks to: the engine (recovered, once the journal is wired), the
 * pipeline around it, and the journal behind it; and takes them down in the right order. The one
 * place to change when the journal module lands.
 *
 * <p>Main thread: opened before the server reports ready, closed after the front stopped taking
 * requests.
 */
public final class CoreAssembly implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(CoreAssembly.class.getName());

    private final CommandPipeline pipeline;

    private CoreAssembly(final CommandPipeline pipeline)
    {
        this.pipeline = pipeline;
    }

    /**
     * @param tweaks last word on the pipeline settings (tests shrink the ring or block snapshots)
     */
    public static CoreAssembly open(
        final ServerConfig config, final LongSupplier clockMillis, final FrontMetrics metrics, final Consumer<PipelineConfig> tweaks)
    {
        // JOURNAL: once io.flashsale.journal lands, replace the engine and the journal port below with
        //   DurableEngine durable = DurableEngine.open(journalConfig(config.journal.directory));
        //   LOG.log(INFO, durable.recovery());
        //   engine = durable.engine(); journal = durable.journalPort(); snapshots = durable.snapshotPort();
        // then call durable.scheduleSnapshots(pipeline) after start, and durable.close() after pipeline.close().
        LOG.log(System.Logger.Level.WARNING, "journal not wired yet: state is kept in memory only (journal.directory="
            + config.journal.directory + " is reserved)");
        final SaleEngine engine = new SaleEngine();
        final JournalPort journal = JournalPort.NONE;

        final PipelineConfig pipelineConfig = new PipelineConfig()
            .ringSize(config.core.ringSize)
            .waitStrategy(WaitStrategyKind.valueOf(config.core.waitStrategy))
            .tickIntervalMillis(config.core.tickIntervalMillis)
            .clock(clockMillis)
            .journal(new TimedJournalPort(journal, metrics));
        tweaks.accept(pipelineConfig);
        return new CoreAssembly(CommandPipeline.start(engine, pipelineConfig));
    }

    public CommandPipeline pipeline()
    {
        return pipeline;
    }

    /** Drains the ring (every accepted command is journaled, applied and answered), then stops it. */
    @Override
    public void close()
    {
        pipeline.close();
    }
}
