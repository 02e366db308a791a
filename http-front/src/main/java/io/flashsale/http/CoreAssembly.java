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

import io.flashsale.http.replication.ReplicationRole;
import io.flashsale.journal.link.LinkEndpoint;
import io.flashsale.journal.replication.ReplicationConfig;
import io.flashsale.journal.replication.ReplicationMode;
import io.flashsale.journal.replication.ReplicationPrimary;
import io.flashsale.journal.replication.ReplicationStandby;
import io.flashsale.journal.replication.Replicator;
import io.flashsale.journal.replication.StandbyLost;

import java.nio.file.Path;
import java.util.Locale;
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
    private final ReplicationPrimary replicationPrimary;
    private final ReplicationStandby replicationStandby;

    private CoreAssembly(final DurableEngine durable, final CommandPipeline pipeline,
        final ReplicationPrimary replicationPrimary, final ReplicationStandby replicationStandby)
    {
        this.durable = durable;
        this.pipeline = pipeline;
        this.replicationPrimary = replicationPrimary;
        this.replicationStandby = replicationStandby;
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
        final byte[] secret,
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
        final ServerConfig.Replication replication = config.replication;
        final Replicator replicator = replication.link == null ? null :
            new Replicator(replicationConfig(replication, secret).mode, durable.journalSequence(), durable::newReader);
        if (replicator != null)
        {
            pipelineConfig.replication(replicator);
        }
        if (replication.primary != null)
        {
            // A standby's clock arrives as the primary's TICK records; its own ticks would fork the journal.
            pipelineConfig.tickIntervalMillis(0);
        }
        tweaks.accept(pipelineConfig);
        CommandPipeline pipeline = null;
        ReplicationPrimary primary = null;
        ReplicationStandby standby = null;
        try
        {
            recovered.accept(durable.engine());
            pipeline = CommandPipeline.start(durable.engine(), pipelineConfig);
            if (replicator != null)
            {
                primary = ReplicationPrimary.launch(replicationConfig(replication, secret), replicator, durable::newReader);
            }
            else if (replication.primary != null)
            {
                standby = ReplicationStandby.launch(replicationConfig(replication, secret), pipeline, durable.journalSequence());
            }
        }
        catch (final RuntimeException ex)
        {
            if (pipeline != null)
            {
                pipeline.close();
            }
            durable.close();
            throw ex;
        }
        durable.scheduleSnapshots(pipeline);
        return new CoreAssembly(durable, pipeline, primary, standby);
    }

    static ReplicationConfig replicationConfig(final ServerConfig.Replication replication, final byte[] secret)
    {
        final ReplicationConfig config = new ReplicationConfig()
            .secret(secret)
            .mode(ReplicationMode.valueOf(replication.mode.toUpperCase(Locale.ROOT)))
            .onStandbyLost(StandbyLost.valueOf(replication.onStandbyLost.toUpperCase(Locale.ROOT).replace('-', '_')))
            .peerTimeoutMillis(replication.peerTimeoutMillis);
        if (replication.link != null)
        {
            config.primary(LinkEndpoint.parse(replication.link));
        }
        if (replication.primary != null)
        {
            config.primary(LinkEndpoint.parse(replication.primary));
        }
        if (replication.standbyEndpoint != null)
        {
            config.standby(LinkEndpoint.parse(replication.standbyEndpoint));
        }
        return config;
    }

    /** This node's replication role for the front (none, primary or standby). */
    public ReplicationRole replicationRole()
    {
        return replicationPrimary != null ? ReplicationRole.primary(replicationPrimary) :
            replicationStandby != null ? ReplicationRole.standby(replicationStandby) : ReplicationRole.NONE;
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
            if (replicationStandby != null)
            {
                replicationStandby.close();
            }
            // A sync primary's last replies wait for the standby: its link closes after the ring drained.
            pipeline.close();
            if (replicationPrimary != null)
            {
                replicationPrimary.close();
            }
        }
        finally
        {
            durable.close();
        }
    }
}
