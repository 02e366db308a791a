package io.flashsale.bench.journal;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.CommandType;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.command.ReplyListener;
import io.flashsale.engine.pipeline.CommandPipeline;
import io.flashsale.engine.pipeline.PipelineConfig;
import io.flashsale.engine.pipeline.StageLayout;
import io.flashsale.journal.DurableEngine;
import io.flashsale.journal.JournalConfig;
import io.flashsale.journal.SyncPolicy;
import io.flashsale.journal.codec.CommandCodec;
import io.flashsale.journal.queue.JournalQueues;
import io.flashsale.journal.queue.JournalWriter;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Commands per second through ring + journal + engine + reply ({@link #pipeline}), next to a raw
 * Chronicle append loop of the same records, with the same sync rule ({@link #rawAppend}): one
 * thread encoding PURCHASE records and appending them, forcing the file every
 * {@code rawSyncEvery} records under BATCH (set it to the pipeline's mean ring batch to compare
 * like with like; {@link JournalFigures} does). The ratio of the two is the figure that matters.
 *
 * <p>Each invocation publishes {@value #COMMANDS} purchases (yielding while the ring is full) and
 * waits for all their replies. The pipeline runs with the default PARKING wait strategy in both
 * stage layouts: PARALLEL (journal ‖ logic → reply, three threads) and SERIAL (one thread).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JournalThroughputBenchmark
{
    static final int COMMANDS = 16_384;
    /** Where the pipeline run writes "sync commands syncs" lines for {@link JournalFigures}. */
    static final String STATS_PROPERTY = "flashsale.bench.stats";
    private static final int USERS = 1 << 20;

    @Param({"ASYNC", "BATCH"})
    public SyncPolicy sync;

    /** How the ring's work is spread over threads (pipeline only). */
    @Param({"PARALLEL", "SERIAL"})
    public StageLayout layout;

    /** Raw loop under BATCH: records per force. */
    @Param({"64"})
    public int rawSyncEvery;

    private Path dir;

    private DurableEngine durable;
    private CommandPipeline pipeline;
    private final AtomicLong replies = new AtomicLong();
    private final ReplyListener listener = event -> replies.lazySet(replies.get() + 1); // one reply thread
    private long published;
    private long saleId;
    private int user;

    private SingleChronicleQueue queue;
    private ExcerptAppender appender;
    private FileChannel syncChannel;
    private final CommandCodec codec = new CommandCodec();
    private final CommandEvent purchase = new CommandEvent();
    private long rawSequence;

    @Setup(Level.Trial)
    public void setUp(final BenchmarkParams params) throws Exception
    {
        dir = Files.createTempDirectory("journal-bench");
        if (params.getBenchmark().endsWith("pipeline"))
        {
            durable = DurableEngine.open(new JournalConfig(dir).sync(sync).snapshotEveryCommands(0).snapshotEverySeconds(0));
            pipeline = CommandPipeline.start(durable.engine(), new PipelineConfig()
                .journal(durable.journalPort())
                .snapshots(durable.snapshotPort())
                .tickIntervalMillis(0)
                .stageLayout(layout));
            final long now = System.currentTimeMillis();
            final AtomicLong created = new AtomicLong();
            pipeline.createSale("bench", Integer.MAX_VALUE, now - 1, now + 86_400_000L, 1_000, 3_600_000L,
                event -> created.set(event.resultSaleId), null);
            while (created.get() == 0)
            {
                Thread.yield();
            }
            saleId = created.get();
            published = 1;
            replies.set(1);
        }
        else
        {
            queue = JournalQueues.openForWriting(dir.resolve("journal"), RollCycles.FAST_DAILY);
            appender = queue.createAppender();
            purchase.type = CommandType.PURCHASE;
            purchase.saleId = 1;
            purchase.qty = 1;
        }
    }

    @Benchmark
    @OperationsPerInvocation(COMMANDS)
    public void pipeline()
    {
        for (int i = 0; i < COMMANDS; i++)
        {
            while (pipeline.purchase(saleId, nextUser(), 1, 0, listener, null) == Outcome.BUSY)
            {
                Thread.yield();
            }
        }
        published += COMMANDS;
        while (replies.get() < published)
        {
            Thread.yield();
        }
    }

    @Benchmark
    @OperationsPerInvocation(COMMANDS)
    public void rawAppend() throws IOException
    {
        purchase.timestamp = System.currentTimeMillis();
        int sinceSync = 0;
        for (int i = 0; i < COMMANDS; i++)
        {
            purchase.userId = nextUser();
            final int length = codec.encode(purchase, ++rawSequence, CommandCodec.NO_RING_SEQUENCE);
            try (DocumentContext dc = appender.writingDocument())
            {
                dc.wire().bytes().write(codec.array(), 0, length);
            }
            if (sync == SyncPolicy.BATCH && ++sinceSync == rawSyncEvery)
            {
                force();
                sinceSync = 0;
            }
        }
        if (sync == SyncPolicy.BATCH && sinceSync > 0)
        {
            force();
        }
    }

    private void force() throws IOException
    {
        if (syncChannel == null)
        {
            syncChannel = FileChannel.open(appender.currentFile().toPath(), StandardOpenOption.WRITE);
        }
        syncChannel.force(false);
    }

    private long nextUser()
    {
        user = (user + 1) & (USERS - 1);
        return user + 1;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        if (pipeline != null)
        {
            pipeline.close();
            final JournalWriter writer = (JournalWriter)durable.journalPort();
            final String stats = System.getProperty(STATS_PROPERTY);
            if (stats != null)
            {
                Files.writeString(Path.of(stats), sync + " " + layout + " " + writer.appendedSequence() + " " + writer.syncCount() + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            durable.close();
        }
        if (queue != null)
        {
            if (syncChannel != null)
            {
                syncChannel.close();
            }
            appender.close();
            queue.close();
        }
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(path);
            }
        }
    }
}
