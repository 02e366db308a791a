package io.flashsale.http.link;

import io.flashsale.engine.SaleEngine;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.CommandType;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.pipeline.CommandPipeline;
import io.flashsale.engine.pipeline.PipelineConfig;
import io.flashsale.http.admission.AdmissionController;
import io.flashsale.http.admission.OnlineShoppers;
import io.flashsale.http.admission.RingCapacity;
import io.flashsale.http.config.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An edge's command meets the same write gates as one from the core's own front: while the core
 * refuses writes (journal full, a standby, replication stalled) nothing an edge sends reaches the
 * ring, and order reads still do.
 */
class EdgeCommandsTest
{
    private static final long SALE = 1;

    private final AtomicReference<Outcome> gate = new AtomicReference<>();
    private CommandPipeline pipeline;
    private EdgeCommands commands;

    @BeforeEach
    void startRing() throws InterruptedException
    {
        final PipelineConfig config = new PipelineConfig().clock(() -> 1_000L).tickIntervalMillis(0);
        config.threadNamePrefix = "edge-commands-test";
        pipeline = CommandPipeline.start(new SaleEngine(), config);
        final CountDownLatch created = new CountDownLatch(1);
        pipeline.createSale("s", 10, 0, 10_000_000L, 5, 60_000, event -> created.countDown(), null);
        assertThat(created.await(30, TimeUnit.SECONDS)).isTrue();
        final AdmissionController admission = new AdmissionController(
            new ServerConfig.Admission(), System::nanoTime, new RingCapacity(() -> pipeline), new OnlineShoppers(System::nanoTime));
        commands = new EdgeCommands(pipeline, admission, gate::get);
    }

    @AfterEach
    void stopRing()
    {
        pipeline.close();
    }

    @Test
    void aCoreThatRefusesWritesAppliesNoPurchaseFromAnEdge()
    {
        for (final Outcome refusal : new Outcome[] {Outcome.JOURNAL_FULL, Outcome.STANDBY, Outcome.REPLICATION_STALLED})
        {
            gate.set(refusal);
            commands.onCommand(7, refusal.code(), purchase(100 + refusal.code()));
        }
        // Closing drains the ring: anything published would be applied by now.
        pipeline.close();
        assertThat(commands.refused()).isEqualTo(3);
        assertThat(pipeline.views().get(SALE).available()).as("no unit left the sale").isEqualTo(10);
    }

    @Test
    void withTheGatesOpenAnEdgesPurchaseReachesTheRing()
    {
        commands.onCommand(7, 1, purchase(42));
        pipeline.close();
        assertThat(commands.refused()).isZero();
        assertThat(pipeline.views().get(SALE).available()).isEqualTo(9);
    }

    @Test
    void orderReadsPassWhileWritesAreRefused()
    {
        gate.set(Outcome.STANDBY);
        final CommandEvent read = new CommandEvent();
        read.type = CommandType.QUERY_ORDER;
        read.orderId = 1;
        read.userId = 42;
        commands.onCommand(7, 2, read);
        pipeline.close();
        assertThat(commands.refused()).isZero();
    }

    private static CommandEvent purchase(final long user)
    {
        final CommandEvent command = new CommandEvent();
        command.type = CommandType.PURCHASE;
        command.saleId = SALE;
        command.userId = user;
        command.qty = 1;
        command.idempotencyKey = user;
        return command;
    }
}
