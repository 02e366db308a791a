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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The central admission probability across real processes: a core, two edges, nginx. Every edge
 * draws with the one p the core pushes, so a shopper on a crowded edge has the same chance as one
 * on a quiet edge (χ² over the two edges' admitted and shed attempts); and a crowd small enough to
 * fit under the target is never shed.
 */
class CentralAdmissionTest
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
        // The floor under which nobody is shed, at 400/s instead of 1,000/s: above the small crowd's
        // 300/s (never shed), below the fairness flood's 660/s (which must be admission-limited to
        // prove anything), and within what this machine's generator reaches on two shared cores.
        core.admission.alwaysAdmitPerSecond = 400;
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
        // Both floods over the same five seconds, from one start instant, each on a thread of its own.
        final long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        final ExecutorService floods = Executors.newFixedThreadPool(2);
        final OnePurchaseEach busyShoppers = new OnePurchaseEach(holders, saleId, start);
        final OnePurchaseEach quietShoppers = new OnePurchaseEach(holders, saleId, start);
        final StepStats onBusy;
        final StepStats onQuiet;
        try
        {
            final Future<StepStats> busyFlood = floods.submit(() -> flood(busy, busyShoppers, 600, start));
            final Future<StepStats> quietFlood = floods.submit(() -> flood(quiet, quietShoppers, 60, start));
            onBusy = busyFlood.get(120, TimeUnit.SECONDS);
            onQuiet = quietFlood.get(120, TimeUnit.SECONDS);
        }
        finally
        {
            floods.shutdownNow();
        }

        final long[] admitted = {passedTheDraw(onBusy), passedTheDraw(onQuiet)};
        final long[] trials = {admitted[0] + onBusy.outcome("503 NOT_ADMITTED"), admitted[1] + onQuiet.outcome("503 NOT_ADMITTED")};
        final ChiSquare.Result pooled = ChiSquare.independence(admitted, trials);
        final ChiSquare.Result sameMoment = ChiSquare.mantelHaenszel(OnePurchaseEach.strata(busyShoppers, quietShoppers));
        final String report = String.format("busy edge: %,d of %,d admitted %s; quiet edge: %,d of %,d admitted %s; "
                + "by 100 ms (Cochran-Mantel-Haenszel) %s; pooled over the run (Pearson) %s; let through per half second: busy [%s], quiet [%s]",
            admitted[0], trials[0], onBusy.outcomes(), admitted[1], trials[1], onQuiet.outcomes(), sameMoment, pooled,
            busyShoppers.admittedShares(), quietShoppers.admittedShares());
        System.out.println("fairness: " + report);

        // The flood was admission-limited on both edges, else the test would prove nothing.
        assertThat(trials[0] - admitted[0]).as(report).isGreaterThan(trials[0] / 4);
        assertThat(trials[1] - admitted[1]).as(report).isPositive();
        assertThat(admitted[1]).as(report).isPositive();
        // The same p at the same moment on both edges. (Pooled over the run the busy edge fares worse by
        // construction: its own surges are what lower p, so its attempts crowd into moments of low p.)
        assertThat(sameMoment.pValue()).as(report).isGreaterThan(0.001);
        // The holders could buy nothing more.
        assertThat(onBusy.outcomes()).as(report).doesNotContainKey("201 RESERVED");
        assertThat(onQuiet.outcomes()).as(report).doesNotContainKey("201 RESERVED");
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

    /**
     * Attempts the draw let through: every answer but "not admitted", and but "core unavailable"
     * (an edge that lost its core refuses before the draw); a request with no answer is not counted.
     */
    private static long passedTheDraw(final StepStats stats)
    {
        return stats.count() - stats.errors() - stats.outcome("503 NOT_ADMITTED") - stats.outcome("503 CORE_UNAVAILABLE");
    }

    private static StepStats flood(final ServerProcess edge, final OnePurchaseEach shoppers, final double rate, final long startNanos)
    {
        final LoadSettings load = new LoadSettings("127.0.0.1", edge.port(), 8, 1, Pacing.RATE, rate, (long)(rate * 5),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10));
        try
        {
            final LoadStats stats = LoadGenerator.run(load, loop -> shoppers, startNanos);
            return stats.steps().get(OnePurchaseEach.STEP);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Arrival i: shopper i mod crowd size buys one unit once; the answer is counted by its outcome,
     * and by 100 ms of the run (the core's interval) whether the draw let it through. Loop thread only.
     */
    private static final class OnePurchaseEach implements Workload
    {
        static final String STEP = "purchase";
        private static final int BINS = 300;
        private static final long BIN_NANOS = 100_000_000L;

        private final Crowd crowd;
        private final String path;
        private final long startNanos;
        final long[] drawn = new long[BINS];
        final long[] shed = new long[BINS];

        OnePurchaseEach(final Crowd crowd, final long saleId)
        {
            this(crowd, saleId, System.nanoTime());
        }

        /** @param startNanos the run's start instant, from which the half seconds count */
        OnePurchaseEach(final Crowd crowd, final long saleId, final long startNanos)
        {
            this.startNanos = startNanos;
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
            final int bin = (int)Math.max(0, Math.min(BINS - 1, (System.nanoTime() - startNanos) / BIN_NANOS));
            if (!"CORE_UNAVAILABLE".equals(outcome))
            {
                drawn[bin]++;
                shed[bin] += "NOT_ADMITTED".equals(outcome) ? 1 : 0;
            }
            return answer.status() + " " + (outcome == null ? "?" : outcome);
        }

        /** Share let through by the draw, per half second: "0.15 0.12 ...". */
        String admittedShares()
        {
            final StringBuilder shares = new StringBuilder();
            for (int i = 0; i < BINS; i += 5)
            {
                long in = 0;
                long out = 0;
                for (int j = i; j < i + 5; j++)
                {
                    in += drawn[j];
                    out += shed[j];
                }
                if (in > 0)
                {
                    shares.append(String.format(" %.2f", 1 - out / (double)in));
                }
            }
            return shares.toString().trim();
        }

        /** One stratum per 100 ms: {let through here, drawn here, let through there, drawn there}. */
        static long[][] strata(final OnePurchaseEach here, final OnePurchaseEach there)
        {
            final long[][] strata = new long[BINS][];
            for (int i = 0; i < BINS; i++)
            {
                strata[i] = new long[] {here.drawn[i] - here.shed[i], here.drawn[i], there.drawn[i] - there.shed[i], there.drawn[i]};
            }
            return strata;
        }
    }
}
