package io.flashsale.bench.edge;

import io.flashsale.bench.load.Answer;
import io.flashsale.bench.load.LoadGenerator;
import io.flashsale.bench.load.LoadRequest;
import io.flashsale.bench.load.LoadSettings;
import io.flashsale.bench.load.LoadStats;
import io.flashsale.bench.load.Pacing;
import io.flashsale.bench.load.StepStats;
import io.flashsale.bench.load.Workload;
import io.flashsale.bench.scenario.AdminClient;
import io.flashsale.bench.scenario.Crowd;
import io.flashsale.bench.scenario.JsonPeek;
import io.flashsale.bench.system.EdgeDeployment;
import io.flashsale.bench.system.Secrets;
import io.flashsale.bench.system.ServerProcess;
import io.flashsale.http.config.ServerConfig;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The central admission probability across real processes: a core, two edges, nginx. Every edge
 * draws with the one p the core pushes, so a shopper on a crowded edge has the same chance as one
 * on a quiet edge (χ² over the two edges' admitted and shed attempts); and a crowd small enough to
 * fit under the target is never shed.
 */
class EdgeAdmissionTest
{
    @TempDir
    static Path folder;

    private static EdgeDeployment deployment;
    private static byte[] secret;
    private static AdminClient admin;

    @BeforeAll
    static void startDeployment() throws Exception
    {
        secret = Secrets.random();
        final ServerConfig core = new ServerConfig();
        core.journal.directory = folder.resolve("journal").toString();
        // The whole crowd comes from 127.0.0.1: token buckets would refuse it before the draw.
        core.limits.enabled = false;
        final ServerConfig edge = new ServerConfig();
        edge.limits.enabled = false;
        deployment = EdgeDeployment.start(new EdgeDeployment.Options(2, true, List.of("-Xmx256m"), List.of("-Xmx256m")), core, edge, secret, folder);
        admin = new AdminClient("127.0.0.1", deployment.core().port(), secret);
    }

    @AfterAll
    static void stopDeployment()
    {
        if (deployment != null)
        {
            deployment.close();
        }
    }

    @Test
    void aShopperOnABusyEdgeHasTheSameChanceAsOneOnAQuietEdge() throws Exception
    {
        // Five shoppers each already hold their one unit of ten: five units stay available for the
        // whole flood (every admitted attempt ends LIMIT_REACHED), so the draw limits it throughout.
        final Instant now = Instant.now();
        final long saleId = admin.createSale(new AdminClient.SaleTerms("fairness", 10, now.minusSeconds(1), now.plus(Duration.ofHours(1)), 1, 3600));
        final Crowd holders = Crowd.mint(secret, "fair", 5, Duration.ofHours(1)).withKeysFor(saleId);
        for (int i = 0; i < holders.size(); i++)
        {
            admin.purchase(saleId, holders.authorization(i), holders.key(i), 1);
        }
        deployment.awaitSaleOnEdges(saleId, 5);

        final ServerProcess busy = deployment.edges().get(0);
        final ServerProcess quiet = deployment.edges().get(1);
        final CompletableFuture<StepStats> busyFlood = CompletableFuture.supplyAsync(() -> flood(busy, holders, saleId, 600));
        final CompletableFuture<StepStats> quietFlood = CompletableFuture.supplyAsync(() -> flood(quiet, holders, saleId, 60));
        final StepStats onBusy = busyFlood.get(120, TimeUnit.SECONDS);
        final StepStats onQuiet = quietFlood.get(120, TimeUnit.SECONDS);

        final long[] trials = {drawn(onBusy), drawn(onQuiet)};
        final long[] admitted = {trials[0] - onBusy.outcome("503 NOT_ADMITTED"), trials[1] - onQuiet.outcome("503 NOT_ADMITTED")};
        final ChiSquare.Result test = ChiSquare.independence(admitted, trials);
        final String report = String.format("busy edge: %,d of %,d admitted %s; quiet edge: %,d of %,d admitted %s; %s",
            admitted[0], trials[0], onBusy.outcomes(), admitted[1], trials[1], onQuiet.outcomes(), test);
        System.out.println("fairness: " + report);

        // The flood was admission-limited on both edges, else the test would prove nothing.
        assertThat(trials[0] - admitted[0]).as(report).isGreaterThan(trials[0] / 4);
        assertThat(trials[1] - admitted[1]).as(report).isPositive();
        assertThat(admitted[1]).as(report).isPositive();
        assertThat(test.pValue()).as(report).isGreaterThan(0.001);
        // Every admitted attempt reached the core, which refused it by the shoppers' limit: nothing else.
        assertThat(onBusy.outcomes().keySet()).as(report).containsOnly("409 LIMIT_REACHED", "503 NOT_ADMITTED");
        assertThat(onQuiet.outcomes().keySet()).as(report).containsOnly("409 LIMIT_REACHED", "503 NOT_ADMITTED");
    }

    @Test
    void aSmallCrowdIsNeverShed() throws Exception
    {
        // 30 shoppers one after another at ~300/s for 20 units, through nginx and the edges.
        final Instant now = Instant.now();
        final long saleId = admin.createSale(new AdminClient.SaleTerms("small crowd", 20, now.minusSeconds(1), now.plus(Duration.ofHours(1)), 1, 3600));
        final Crowd crowd = Crowd.mint(secret, "small", 30, Duration.ofHours(1)).withKeysFor(saleId);
        deployment.awaitSaleOnEdges(saleId, 20);
        final LoadSettings load = new LoadSettings("127.0.0.1", deployment.frontPort(), 4, 1, Pacing.RATE, 300, 30,
            Duration.ofMillis(100), Duration.ofSeconds(10), Duration.ofSeconds(10));

        final StepStats purchases = LoadGenerator.run(load, loop -> new OnePurchaseEach(crowd, saleId)).steps().get(OnePurchaseEach.STEP);

        assertThat(purchases.outcomes()).as("outcomes").containsOnlyKeys("201 RESERVED", "410 SOLD_OUT");
        assertThat(purchases.outcome("201 RESERVED")).as(purchases.outcomes().toString()).isEqualTo(20);
        assertThat(purchases.outcome("410 SOLD_OUT")).as(purchases.outcomes().toString()).isEqualTo(10);
    }

    /** Attempts answered (the draw saw them); a request with no answer is not counted on either side. */
    private static long drawn(final StepStats stats)
    {
        return stats.count() - stats.errors();
    }

    private static StepStats flood(final ServerProcess edge, final Crowd crowd, final long saleId, final double rate)
    {
        final LoadSettings load = new LoadSettings("127.0.0.1", edge.port(), 8, 1, Pacing.RATE, rate, (long)(rate * 5),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10));
        try
        {
            final LoadStats stats = LoadGenerator.run(load, loop -> new OnePurchaseEach(crowd, saleId));
            return stats.steps().get(OnePurchaseEach.STEP);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** Arrival i: shopper i mod crowd size buys one unit once; the answer is counted by its outcome. Loop thread only. */
    private static final class OnePurchaseEach implements Workload
    {
        static final String STEP = "purchase";

        private final Crowd crowd;
        private final String path;

        OnePurchaseEach(final Crowd crowd, final long saleId)
        {
            this.crowd = crowd;
            this.path = "/api/sales/" + saleId + "/purchase";
        }

        @Override
        public LoadRequest arrive(final long index)
        {
            final int shopper = (int)(index % crowd.size());
            final byte[] body = ("{\"qty\":1,\"key\":\"" + crowd.key(shopper) + "\"}").getBytes(StandardCharsets.US_ASCII);
            return new LoadRequest(STEP, HttpMethod.POST, path, crowd.authorization(shopper), body, shopper, index);
        }

        @Override
        public String onAnswer(final LoadRequest request, final Answer answer, final FollowUps followUps)
        {
            if (answer.status() == 201)
            {
                return "201 RESERVED";
            }
            final String outcome = JsonPeek.stringField(answer.body(), "outcome");
            return answer.status() + " " + (outcome == null ? "?" : outcome);
        }
    }
}
