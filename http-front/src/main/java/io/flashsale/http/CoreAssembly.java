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

import io.flashsale.http.replication.AutomaticPromotion;
import io.flashsale.http.replication.ReplicationRole;
import io.flashsale.http.replication.StepDownOnFailure;
import io.flashsale.journal.link.LinkEndpoint;
import io.flashsale.journal.replication.EpochHistory;
import io.flashsale.journal.replication.ReplicationConfig;
import io.flashsale.journal.replication.ReplicationMode;
import io.flashsale.journal.replication.ReplicationPrimary;
import io.flashsale.journal.replication.ReplicationStandby;
import io.flashsale.journal.replication.Replicator;
import io.flashsale.journal.replication.StandbyLost;
import io.flashsale.journal.replication.TailQuarantine;

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
    private final ServerConfig config;
    private final byte[] secret;
    private final Replicator replicator;
    private final EpochHistory epochs;
    private final StepDownOnFailure stepDown;
    private final AutomaticPromotion automaticPromotion;
    private volatile ReplicationPrimary replicationPrimary;
    private volatile Runnable roleChanged;
    /** Set by {@link #close}: a link that opens after it is closed at once. */
    private boolean closing;
    private volatile ReplicationStandby replicationStandby;

    private CoreAssembly(final ServerConfig config, final byte[] secret, final DurableEngine durable, final CommandPipeline pipeline,
        final Replicator replicator, final EpochHistory epochs, final StepDownOnFailure stepDown, final AutomaticPromotion automaticPromotion,
        final ReplicationPrimary replicationPrimary, final ReplicationStandby replicationStandby)
    {
        this.stepDown = stepDown;
        this.automaticPromotion = automaticPromotion;
        this.config = config;
        this.secret = secret;
        this.durable = durable;
        this.pipeline = pipeline;
        this.replicator = replicator;
        this.epochs = epochs;
        this.replicationPrimary = replicationPrimary;
        this.replicationStandby = replicationStandby;
    }

    /**
     * @param recovered sees the recovered engine before the ring starts (and owns it from then on)
     * @param failures  told when the ring fails (the server ends the process), after a replicating primary stepped down
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
        if (config.replication.primary != null)
        {
            try
            {
                TailQuarantine.applyIfMarked(journalConfig(config.journal));
            }
            catch (final java.io.IOException ex)
            {
                throw new java.io.UncheckedIOException("cannot set the diverged tail aside: " + ex.getMessage(), ex);
            }
        }
        final DurableEngine durable = DurableEngine.open(journalConfig(config.journal));
        final StepDownOnFailure stepDown = new StepDownOnFailure(failures);
        final AutomaticPromotion automaticPromotion = new AutomaticPromotion(config.replication.failoverAfterMillis);
        final PipelineConfig pipelineConfig = new PipelineConfig()
            .ringSize(config.core.ringSize)
            .waitStrategy(WaitStrategyKind.valueOf(config.core.waitStrategy))
            .stageLayout(StageLayout.valueOf(config.core.stageLayout))
            .tickIntervalMillis(config.core.tickIntervalMillis)
            .clock(clockMillis)
            .journal(new TimedJournalPort(durable.journalPort(), metrics))
            .snapshots(durable.snapshotPort())
            .failures(stepDown);
        final ServerConfig.Replication replication = config.replication;
        final boolean replicated = replication.link != null || replication.primary != null;
        final EpochHistory epochs = replicated ? EpochHistory.load(Path.of(config.journal.directory)) : null;
        // A standby's ring counts the records too, so that once promoted it leads from the right sequence.
        final Replicator replicator = !replicated ? null :
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
            if (replication.primary != null)
            {
                final CommandPipeline ring = pipeline;
                standby = ReplicationStandby.launch(replicationConfig(replication, secret), ring, durable.journalSequence(), durable::newReader, epochs,
                    keepThrough -> diverged(config, ring, keepThrough), automaticPromotion::request);
            }
            else if (replicator != null)
            {
                primary = ReplicationPrimary.launch(replicationConfig(replication, secret), replicator, durable::newReader, epochs);
                stepDown.leading(primary);
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
        return new CoreAssembly(config, secret, durable, pipeline, replicator, epochs, stepDown, automaticPromotion, primary, standby);
    }

    /**
     * The primary says this journal's tail is from a superseded epoch: mark it to be set aside at the
     * next start, and end this process (the engine holds the tail already), so that a restart
     * quarantines it and catches up. Standby agent thread.
     */
    private static void diverged(final ServerConfig config, final CommandPipeline pipeline, final long keepThrough)
    {
        try
        {
            TailQuarantine.mark(Path.of(config.journal.directory), keepThrough);
        }
        catch (final java.io.IOException ex)
        {
            LOG.log(System.Logger.Level.ERROR, "cannot mark the journal's diverged tail", ex);
        }
        pipeline.fail("replication", new IllegalStateException("this node's journal diverged from the new primary's after sequence " +
            keepThrough + ": restart it; the tail is set aside (quarantine/) before recovery, then it catches up"));
    }

    /** What a promotion did: the new epoch, its first sequence, and the replication address opened (or null). */
    public record Promotion(long epoch, long firstSequence, String link)
    {
    }

    /**
     * Turns this standby into the primary of a new epoch: stops following (no record of the old
     * primary is taken from here on), lets the ring journal and apply what it was given, begins the
     * next epoch in the epoch history (durably, before any write is taken), starts the clock
     * ticking, and opens {@code replication.link} for a standby of its own when one is configured.
     * Control thread (an admin request's worker).
     *
     * @throws IllegalStateException when this node is not a standby (or was promoted already)
     */
    public synchronized Promotion promote()
    {
        final ReplicationStandby standby = replicationStandby;
        if (standby == null)
        {
            throw new IllegalStateException("this node is not a standby");
        }
        final long started = System.nanoTime();
        standby.stopFollowing();
        final long closed = System.nanoTime();
        final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (standby.journaledSequence() < standby.publishedSequence())
        {
            if (System.nanoTime() > deadline || pipeline.hasFailed())
            {
                throw new IllegalStateException("the ring did not journal the replicated records within 30 s (journaled " +
                    standby.journaledSequence() + " of " + standby.publishedSequence() + ")");
            }
            Thread.onSpinWait();
        }
        final long first = standby.journaledSequence() + 1;
        final long epoch = Math.max(epochs.current(), standby.epoch()) + 1;
        final long drained = System.nanoTime();
        epochs.begin(epoch, first);
        final long begun = System.nanoTime();
        replicationStandby = null;
        pipeline.startTicker(config.core.tickIntervalMillis);
        final String link = config.replication.link;
        // Closing the standby's media driver and starting the primary's take a few hundred ms each: the node leads
        // (and sells) meanwhile, acknowledging alone as any primary does before a standby is in sync.
        final Thread relink = new Thread(() -> {
            standby.close();
            if (link != null)
            {
                openLink();
            }
        }, "flashsale-replication-relink");
        relink.setDaemon(true);
        relink.start();
        LOG.log(System.Logger.Level.WARNING, "PROMOTED: this node is the primary of epoch " + epoch + " from sequence " + first +
            (link != null ? "; opening " + link + " for a standby" : "; no replication.link, so no standby can join it") + " (followed no more in " +
            millis(closed - started) + " ms, ring drained in " + millis(drained - closed) + " ms, epoch written in " + millis(begun - drained) + " ms)");
        return new Promotion(epoch, first, link);
    }

    /** A promoted node opens its replication address for a standby of its own. Its own thread. */
    private void openLink()
    {
        final ServerConfig.Replication asPrimary = new ServerConfig.Replication();
        asPrimary.link = config.replication.link;
        asPrimary.mode = config.replication.mode;
        asPrimary.onStandbyLost = config.replication.onStandbyLost;
        asPrimary.peerTimeoutMillis = config.replication.peerTimeoutMillis;
        final ReplicationPrimary opened;
        try
        {
            opened = ReplicationPrimary.launch(replicationConfig(asPrimary, secret), replicator, durable::newReader, epochs);
        }
        catch (final RuntimeException ex)
        {
            LOG.log(System.Logger.Level.ERROR, "the promoted node cannot open " + asPrimary.link + " for a standby (" + ex.getMessage() +
                "); it leads without one until restarted", ex);
            return;
        }
        synchronized (this)
        {
            if (closing)
            {
                opened.close();
                return;
            }
            replicationPrimary = opened;
        }
        stepDown.leading(opened);
        final Runnable listener = roleChanged;
        if (listener != null)
        {
            listener.run();
        }
    }

    /** Told (on any thread) when this node's replication role changed on its own: a promoted node's link opened. */
    public void onRoleChange(final Runnable listener)
    {
        this.roleChanged = listener;
    }

    private static long millis(final long nanos)
    {
        return java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /** The epoch this node is in; 0 without replication. */
    public long epoch()
    {
        final ReplicationStandby standby = replicationStandby;
        return epochs == null ? 0 : standby != null ? standby.epoch() : epochs.current();
    }

    static ReplicationConfig replicationConfig(final ServerConfig.Replication replication, final byte[] secret)
    {
        final ReplicationConfig config = new ReplicationConfig()
            .secret(secret)
            .mode(ReplicationMode.valueOf(replication.mode.toUpperCase(Locale.ROOT)))
            .onStandbyLost(StandbyLost.valueOf(replication.onStandbyLost.toUpperCase(Locale.ROOT).replace('-', '_')))
            .peerTimeoutMillis(replication.peerTimeoutMillis)
            .failoverAfterMillis(replication.failoverAfterMillis);
        if (replication.link != null)
        {
            config.primary(LinkEndpoint.parse(replication.link));
        }
        if (replication.primary != null)
        {
            // A standby joins the primary; its own link (if any) is only opened when it is promoted.
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
        final ReplicationStandby standby = replicationStandby;
        final ReplicationPrimary primary = replicationPrimary;
        return standby != null ? ReplicationRole.standby(standby, this::epoch, automaticPromotion) :
            primary != null ? ReplicationRole.primary(primary, this::epoch, automaticPromotion) :
            replicator != null ? ReplicationRole.promotedAlone(replicator, this::epoch, automaticPromotion) : ReplicationRole.NONE;
    }

    /** A standby's automatic promotion (replication.failoverAfterMillis): the server says how to promote. */
    public AutomaticPromotion automaticPromotion()
    {
        return automaticPromotion;
    }

    /** False while a failed primary's standby has not yet heard that it stepped down: the process should not end yet. Any thread. */
    public boolean stepDownSettled()
    {
        return stepDown.settled();
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
        synchronized (this)
        {
            closing = true;
        }
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
