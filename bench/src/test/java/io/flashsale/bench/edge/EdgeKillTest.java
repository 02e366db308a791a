package io.flashsale.bench.edge;

import com.fasterxml.jackson.databind.JsonNode;
import io.flashsale.bench.load.LoadGenerator;
import io.flashsale.bench.load.LoadSettings;
import io.flashsale.bench.load.LoadStats;
import io.flashsale.bench.load.Pacing;
import io.flashsale.bench.scenario.AdminClient;
import io.flashsale.bench.scenario.Books;
import io.flashsale.bench.scenario.Crowd;
import io.flashsale.bench.system.EdgeDeployment;
import io.flashsale.bench.system.Secrets;
import io.flashsale.http.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An edge killed with SIGKILL under purchase load behind nginx (real processes: core, two edges,
 * Debian's nginx): nginx routes around it, every reservation a shopper was told of is in the
 * core's books under that shopper, and shoppers who retry with the same Idempotency-Key (as the
 * 503 tells them) never buy twice, although the sale would let each of them buy ten units.
 */
class EdgeKillTest
{
    private static final int SHOPPERS = 1_200;
    private static final double RATE = 300;

    @Test
    void nginxRoutesAroundAKilledEdgeAndNoAcknowledgedOrderIsLostOrDoubled(@TempDir final Path folder) throws Exception
    {
        final byte[] secret = Secrets.random();
        final ServerConfig core = new ServerConfig();
        core.journal.directory = folder.resolve("journal").toString();
        core.limits.enabled = false;
        // Admission would shed some attempts (503 too): this test is about the edge's death alone.
        core.admission.enabled = false;
        final ServerConfig edge = new ServerConfig();
        edge.limits.enabled = false;
        edge.admission.enabled = false;
        try (EdgeDeployment deployment = EdgeDeployment.start(new EdgeDeployment.Options(2, true, List.of("-Xmx256m"), List.of("-Xmx256m")),
            core, edge, secret, folder))
        {
            final AdminClient admin = new AdminClient("127.0.0.1", deployment.core().port(), secret);
            final Instant now = Instant.now();
            final long saleId = admin.createSale(new AdminClient.SaleTerms("edge kill", 1_000_000, now.minusSeconds(1),
                now.plus(Duration.ofHours(1)), 10, 3600));
            final Crowd crowd = Crowd.mint(secret, "edge-kill", SHOPPERS, Duration.ofHours(1)).withKeysFor(saleId);
            deployment.awaitSaleOnEdges(saleId, -1);

            final RetriedPurchases shoppers = new RetriedPurchases(crowd, saleId, "kill", 8);
            final LoadSettings load = new LoadSettings("127.0.0.1", deployment.frontPort(), 16, 1, Pacing.RATE, RATE, SHOPPERS,
                Duration.ofMillis((long)(SHOPPERS / RATE * 1000)), Duration.ofSeconds(20), Duration.ofSeconds(10));
            final CompletableFuture<LoadStats> running = CompletableFuture.supplyAsync(() -> run(load, shoppers));
            Thread.sleep(1_500);
            assertThat(running).as("the load still runs when the edge is killed").isNotDone();
            deployment.killEdge(0);
            final LoadStats stats = running.get(120, TimeUnit.SECONDS);
            final String outcomes = stats.steps().get(RetriedPurchases.STEP).outcomes().toString();

            assertThat(shoppers.violations()).as(outcomes).isEmpty();
            // Routed around: every shopper got an answer it could act on, almost all of them a reservation.
            assertThat(shoppers.acknowledged().size() + shoppers.unknown().size()).as(outcomes).isEqualTo(SHOPPERS);
            assertThat(shoppers.acknowledged().size()).as(outcomes).isGreaterThanOrEqualTo(SHOPPERS * 95 / 100);

            // Every acknowledged order is on the core's books, under the shopper who was told of it.
            final List<String> lost = new ArrayList<>();
            for (final Map.Entry<String, Long> ack : shoppers.acknowledged().entrySet())
            {
                final JsonNode order = admin.order(ack.getValue());
                final String buyer = "bench-edge-kill-" + shoppers.shopperOf(ack.getKey());
                if (order == null || order.path("saleId").asLong() != saleId || !buyer.equals(order.path("shopper").asText()))
                {
                    lost.add(ack + " -> " + order);
                }
            }
            assertThat(lost).as("acknowledged orders missing or wrong on the core").isEmpty();

            // Never bought twice: one key per shopper, so the units reserved are the keys acknowledged,
            // plus at most the keys whose outcome stayed unknown.
            final Books books = admin.books(saleId);
            final long units = books.reserved() + books.paid();
            assertThat(units).as(books.toString()).isBetween((long)shoppers.acknowledged().size(),
                (long)shoppers.acknowledged().size() + shoppers.unknown().size());
            assertThat(books.distinctBuyers()).as(books.toString()).isEqualTo(units);
            System.out.printf("edge kill: %s, %,d retries, %,d acknowledged, %,d unknown; %s%nnginx: %s%n", outcomes, shoppers.retries(),
                shoppers.acknowledged().size(), shoppers.unknown().size(), books, deployment.nginx().errorLogTail());
        }
    }

    static LoadStats run(final LoadSettings load, final RetriedPurchases shoppers)
    {
        try
        {
            return LoadGenerator.run(load, loop -> shoppers);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
