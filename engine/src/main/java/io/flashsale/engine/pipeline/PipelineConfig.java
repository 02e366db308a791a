package io.flashsale.engine.pipeline;

import java.util.function.LongSupplier;

/**
 * The knobs of a {@link CommandPipeline}. Plain fields with sane defaults; set what you need
 * before {@link CommandPipeline#start}.
 */
public final class PipelineConfig
{
    /** Slots in the ring; a power of two. A full ring answers BUSY. */
    public int ringSize = 1 << 14;
    public WaitStrategyKind waitStrategy = WaitStrategyKind.PARKING;
    public StageLayout stageLayout = StageLayout.SERIAL;
    /** How often a TICK is published so that unpaid orders expire when nobody buys; 0 for never. */
    public long tickIntervalMillis = 250;
    /** The clock that stamps commands when they are published, in epoch milliseconds. */
    public LongSupplier clock = System::currentTimeMillis;
    public JournalPort journal = JournalPort.NONE;
    public SnapshotPort snapshots = SnapshotPort.NONE;
    /** Where journaled commands go to a standby, and the gate replies wait at; none by default. */
    public ReplicationPort replication = ReplicationPort.NONE;
    /** Told when the pipeline fails (a stage, the ticker or a helper threw); the server ends the process. */
    public PipelineFailureListener failures = PipelineFailureListener.NONE;
    /** How long {@link CommandPipeline#close()} waits for accepted commands to drain. */
    public long shutdownTimeoutMillis = 10_000;
    /** Name prefix of the stage threads. */
    public String threadNamePrefix = "flashsale";

    public PipelineConfig ringSize(final int size)
    {
        this.ringSize = size;
        return this;
    }

    public PipelineConfig waitStrategy(final WaitStrategyKind kind)
    {
        this.waitStrategy = kind;
        return this;
    }

    public PipelineConfig stageLayout(final StageLayout layout)
    {
        this.stageLayout = layout;
        return this;
    }

    public PipelineConfig tickIntervalMillis(final long millis)
    {
        this.tickIntervalMillis = millis;
        return this;
    }

    public PipelineConfig clock(final LongSupplier epochMillis)
    {
        this.clock = epochMillis;
        return this;
    }

    public PipelineConfig journal(final JournalPort port)
    {
        this.journal = port;
        return this;
    }

    public PipelineConfig replication(final ReplicationPort port)
    {
        this.replication = port;
        return this;
    }

    public PipelineConfig snapshots(final SnapshotPort port)
    {
        this.snapshots = port;
        return this;
    }

    public PipelineConfig failures(final PipelineFailureListener listener)
    {
        this.failures = listener;
        return this;
    }

    public PipelineConfig shutdownTimeoutMillis(final long millis)
    {
        this.shutdownTimeoutMillis = millis;
        return this;
    }
}
