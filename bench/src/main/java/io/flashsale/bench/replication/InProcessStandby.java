package io.flashsale.bench.replication;

import io.flashsale.engine.pipeline.CommandPipeline;
import io.flashsale.engine.pipeline.PipelineConfig;
import io.flashsale.journal.DurableEngine;
import io.flashsale.journal.JournalConfig;
import io.flashsale.journal.link.LinkEndpoint;
import io.flashsale.journal.replication.EpochHistory;
import io.flashsale.journal.replication.ReplicationConfig;
import io.flashsale.journal.replication.ReplicationStandby;

import java.nio.file.Path;

/**
 * A hot standby in the bench's own process, as the replication benches need one: its journal in
 * {@code directory} (no snapshots, no ticks: only what the primary sends), its ring and engine, and
 * its link to the primary. Main thread.
 */
final class InProcessStandby implements AutoCloseable
{
    final DurableEngine durable;
    final CommandPipeline pipeline;
    final ReplicationStandby link;

    InProcessStandby(final Path directory, final LinkEndpoint primary, final byte[] secret, final long peerTimeoutMillis)
    {
        durable = DurableEngine.open(new JournalConfig(directory).snapshotEveryCommands(0).snapshotEverySeconds(0));
        pipeline = CommandPipeline.start(durable.engine(), new PipelineConfig()
            .journal(durable.journalPort()).snapshots(durable.snapshotPort()).tickIntervalMillis(0));
        link = ReplicationStandby.launch(new ReplicationConfig().primary(primary).secret(secret).peerTimeoutMillis(peerTimeoutMillis),
            pipeline, durable.journalSequence(), durable::newReader, EpochHistory.load(directory), keepThrough -> { });
    }

    @Override
    public void close()
    {
        link.close();
        pipeline.close();
        durable.close();
    }
}
