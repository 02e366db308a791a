package io.flashsale.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.flashsale.http.auth.PurchaseKeys;
import io.flashsale.http.auth.Role;
import io.flashsale.http.auth.ShopperIds;
import io.flashsale.http.auth.TokenIssuer;
import io.flashsale.journal.cli.JournalCli;
import io.flashsale.journal.JournalConfig;
import io.flashsale.journal.queue.JournalQueues;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A primary and a hot standby as an operator runs them, two child JVMs ({@code serve
 * --replication-link}, {@code standby --primary}) over real Aeron on 127.0.0.1: the standby starts
 * behind and catches up, then follows in sync; it serves reads and refuses writes; the primary is
 * killed with SIGKILL under purchase load, and every purchase that was acknowledged is on the
 * standby; promoted ({@code promote --node}), the standby is the primary of epoch 2 and takes
 * purchases; both journals verify and hold the same history up to the promotion.
 */
class StandbyProcessTest
{
    private static final byte[] SECRET = "standby-process-test-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final TokenIssuer tokens = new TokenIssuer(SECRET);
    private final PurchaseKeys keys = new PurchaseKeys(SECRET);
    private final String admin = tokens.issue("root", Role.ADMIN, Instant.now().plus(Duration.ofHours(1)));

    @TempDir
    Path dir;

    private long promotedAt;

    @Test
    void standbyCatchesUpFollowsInSyncServesReadsRefusesWritesAndHoldsEveryAcknowledgedOrderAfterThePrimaryIsKilled() throws Exception
    {
        final Path secret = Files.write(dir.resolve("secret"), SECRET);
        final Path config = Files.writeString(dir.resolve("flashsale.yml"), String.join("\n",
            "server: {host: 127.0.0.1, ioThreads: 2}",
            "limits: {enabled: false}",
            "admission: {enabled: false}",
            ""));
        final String link = "127.0.0.1:" + freeUdpPort();
        final String standbyLink = "127.0.0.1:" + freeUdpPort();
        final Path primaryJournal = dir.resolve("primary");
        final Path standbyJournal = dir.resolve("standby");
        try (ChildServer primary = ChildServer.start(List.of("-Xmx256m"), ServerMain.class, dir.resolve("primary.err"),
                "serve", "--config", config.toString(), "--port", "0", "--journal", primaryJournal.toString(),
                "--secret-file", secret.toString(), "--replication-link", link, "--replication", "sync"))
        {
            final String primaryBase = "http://127.0.0.1:" + primary.awaitLine("flashsale serving on port", PATIENCE);
            final long sale = createSale(primaryBase, 100_000);
            // Before any standby: the primary does not wait for one it never had.
            final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
            for (int i = 0; i < 200; i++)
            {
                acknowledged.add(purchase(primaryBase, sale, "early-" + i));
            }
            assertThat(acknowledged).hasSize(200).doesNotContain(-1L);

            try (ChildServer standby = ChildServer.start(List.of("-Xmx256m"), ServerMain.class, dir.resolve("standby.err"),
                    "standby", "--config", config.toString(), "--port", "0", "--journal", standbyJournal.toString(),
                    "--secret-file", secret.toString(), "--primary", link, "--replication-link", standbyLink))
            {
                final String standbyBase = "http://127.0.0.1:" + standby.awaitLine("flashsale standby serving reads on port", PATIENCE);
                await().atMost(PATIENCE).until(() -> ready(primaryBase).path("replication").path("inSync").asBoolean());
                for (int i = 0; i < 200; i++)
                {
                    acknowledged.add(purchase(primaryBase, sale, "synced-" + i));
                }
                // Sync: each 201 above came after the standby acknowledged it, so its books already match.
                final JsonNode primaryBooks = adminSale(primaryBase, sale);
                final JsonNode standbyBooks = adminSale(standbyBase, sale);
                for (final String count : List.of("available", "reserved", "paid", "cancelled", "expired"))
                {
                    assertThat(standbyBooks.get(count)).as(count).isEqualTo(primaryBooks.get(count));
                }
                assertThat(get(standbyBase, "/api/sales/" + sale, null).statusCode()).isEqualTo(200);
                assertThat(adminSale(standbyBase, sale).get("reserved").asLong()).isEqualTo(400);
                final JsonNode standbyReady = ready(standbyBase);
                assertThat(standbyReady.path("replication").path("role").asText()).isEqualTo("standby");
                assertThat(get(primaryBase, "/metrics", null).body()).contains("flashsale_replication_standby_in_sync 1.0");

                final HttpResponse<String> refused = post(standbyBase, "/api/sales/" + sale + "/purchase", tokens.issue("zoe", Role.SHOPPER,
                    Instant.now().plus(Duration.ofHours(1))), purchaseBody(sale, "zoe"));
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
                assertThat(refused.headers().firstValue("Retry-After")).isPresent();
                assertThat(TestServer.JSON.readTree(refused.body()).get("type").asText()).endsWith("/standby");

                // Purchase load from three shoppers' threads; the primary dies under it.
                final AtomicBoolean stop = new AtomicBoolean();
                final List<Thread> buyers = new ArrayList<>();
                for (int t = 0; t < 3; t++)
                {
                    final int thread = t;
                    final Thread buyer = new Thread(() -> {
                        for (int i = 0; !stop.get(); i++)
                        {
                            try
                            {
                                final long order = purchase(primaryBase, sale, "load-" + thread + "-" + i);
                                if (order > 0)
                                {
                                    acknowledged.add(order);
                                }
                            }
                            catch (final RuntimeException ex)
                            {
                                return;
                            }
                        }
                    });
                    buyer.start();
                    buyers.add(buyer);
                }
                await().atMost(PATIENCE).until(() -> acknowledged.size() >= 600);
                primary.process.destroyForcibly();
                final long killedAt = System.nanoTime();
                primary.process.waitFor(30, TimeUnit.SECONDS);
                stop.set(true);
                for (final Thread buyer : buyers)
                {
                    buyer.join(30_000);
                }

                // Every order the primary acknowledged is on the standby.
                for (final long order : acknowledged)
                {
                    final HttpResponse<String> found = get(standbyBase, "/admin/orders/" + order, admin);
                    assertThat(found.statusCode()).as("order %d on the standby: %s", order, found.body()).isEqualTo(200);
                }

                // Promoted, the standby is the primary of epoch 2 and takes purchases.
                final long promoteStarted = System.nanoTime();
                final ChildServer promote = ChildServer.start(List.of(), ServerMain.class, dir.resolve("promote.err"),
                    "promote", "--node", standbyBase, "--secret-file", secret.toString());
                final JsonNode promotion = TestServer.JSON.readTree("{" + promote.awaitLine("{", PATIENCE));
                assertThat(promotion.get("promoted").asBoolean()).isTrue();
                assertThat(promotion.get("epoch").asLong()).isEqualTo(2);
                assertThat(promote.awaitExit(PATIENCE)).as(promote.stderrText()).isZero();
                final long firstPurchase = purchase(standbyBase, sale, "after-promotion");
                final long now = System.nanoTime();
                assertThat(firstPurchase).isPositive();
                System.out.println("first purchase accepted by the promoted standby " + TimeUnit.NANOSECONDS.toMillis(now - promoteStarted) +
                    " ms after `promote` was started (a JVM start included), " + TimeUnit.NANOSECONDS.toMillis(now - killedAt) +
                    " ms after the kill (this test's checks of every acknowledged order included)");
                final JsonNode promoted = ready(standbyBase).path("replication");
                assertThat(promoted.path("role").asText()).isEqualTo("primary");
                assertThat(promoted.path("epoch").asLong()).isEqualTo(2);
                assertThat(Files.readString(standbyJournal.resolve("epochs")).trim()).matches("2 \\d+");
                promotedAt = Long.parseLong(Files.readString(standbyJournal.resolve("epochs")).trim().split(" ")[1]);
                // Its own ticks and purchases are journaled in epoch 2.
                assertThat(get(standbyBase, "/admin/orders/" + firstPurchase, admin).statusCode()).isEqualTo(200);

                // The old primary's journal as the kill left it verifies and holds the same history up to the promotion.
                assertThat(verify(primaryJournal)).isZero();
                final List<byte[]> primaryRecords = records(primaryJournal);
                final List<byte[]> standbyRecords = records(standbyJournal);
                final int shared = (int)(promotedAt - 1);
                assertThat(shared).isGreaterThanOrEqualTo(601).isLessThanOrEqualTo(primaryRecords.size());
                for (int i = 0; i < shared; i++)
                {
                    assertThat(standbyRecords.get(i)).as("record %d", i + 1).isEqualTo(primaryRecords.get(i));
                }

                // The old primary rejoins as the new primary's standby; a tail it journaled past the promotion
                // (never acknowledged) is set aside at a restart first.
                final boolean hadTail = primaryRecords.size() > shared;
                rejoin(config, secret, primaryJournal, standbyLink, standbyBase, hadTail);
                for (int i = 0; i < 50; i++)
                {
                    assertThat(purchase(standbyBase, sale, "epoch-2-" + i)).isPositive();
                }
                final long last = ready(standbyBase).path("replication").path("journalSequence").asLong();
                await().atMost(PATIENCE).until(() -> ready(standbyBase).path("replication").path("acknowledgedSequence").asLong() >= last);
                System.out.println("the old primary rejoined as a standby " + (hadTail ? "after setting its unacknowledged tail aside" : "(it had no tail)"));
                oldStandby.close();
            }
        }
        assertThat(verify(primaryJournal)).isZero();
        assertThat(verify(standbyJournal)).isZero();
        final List<byte[]> oldPrimary = records(primaryJournal);
        final List<byte[]> newPrimary = records(standbyJournal);
        assertThat(oldPrimary.size()).isGreaterThan((int)promotedAt + 50);
        for (int i = 0; i < oldPrimary.size(); i++)
        {
            assertThat(oldPrimary.get(i)).as("record %d", i + 1).isEqualTo(newPrimary.get(i));
        }
    }

    /** Starts the old primary as a standby of the promoted node until it is in sync (restarting it once when it had a tail to set aside). */
    private void rejoin(final Path config, final Path secret, final Path journal, final String link, final String newPrimaryBase,
        final boolean hadTail) throws Exception
    {
        final String[] args = {"standby", "--config", config.toString(), "--port", "0", "--journal", journal.toString(),
            "--secret-file", secret.toString(), "--primary", link};
        ChildServer old = ChildServer.start(List.of("-Xmx256m"), ServerMain.class, dir.resolve("old-1.err"), args);
        try
        {
            if (hadTail)
            {
                // Told where it diverged, it marks its journal and ends; the restart sets the tail aside.
                assertThat(old.awaitExit(PATIENCE)).isNotZero();
                assertThat(journal.resolve("diverged-after")).exists();
                old = ChildServer.start(List.of("-Xmx256m"), ServerMain.class, dir.resolve("old-2.err"), args);
                old.awaitLine("flashsale standby serving reads on port", PATIENCE);
                assertThat(journal.resolve("diverged-after")).doesNotExist();
                assertThat(Files.list(journal.resolve("quarantine")).count()).isPositive();
            }
            await().atMost(PATIENCE).until(() -> ready(newPrimaryBase).path("replication").path("inSync").asBoolean());
        }
        catch (final AssertionError | RuntimeException ex)
        {
            old.close();
            throw ex;
        }
        oldStandby = old;
    }

    private ChildServer oldStandby;

    @org.junit.jupiter.api.AfterEach
    void stopOldStandby() throws InterruptedException
    {
        if (oldStandby != null)
        {
            oldStandby.close();
        }
    }

    private long createSale(final String base, final long stock) throws Exception
    {
        final Instant start = Instant.now().minusSeconds(1);
        final HttpResponse<String> created = post(base, "/admin/sales", admin, "{\"name\":\"Drop\",\"stock\":" + stock +
            ",\"startsAt\":\"" + start + "\",\"endsAt\":\"" + start.plus(Duration.ofHours(1)) +
            "\",\"perUserLimit\":5,\"paymentWindowSeconds\":600}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return TestServer.JSON.readTree(created.body()).get("id").asLong();
    }

    /** The order id of an acknowledged purchase, -1 for any other answer. */
    private long purchase(final String base, final long sale, final String shopper)
    {
        try
        {
            final HttpResponse<String> answer = post(base, "/api/sales/" + sale + "/purchase",
                tokens.issue(shopper, Role.SHOPPER, Instant.now().plus(Duration.ofHours(1))), purchaseBody(sale, shopper));
            return answer.statusCode() == 201 ? TestServer.JSON.readTree(answer.body()).get("orderId").asLong() : -1;
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private String purchaseBody(final long sale, final String shopper)
    {
        return "{\"qty\":1,\"key\":\"" + keys.keyFor(sale, ShopperIds.userId(shopper)) + "\"}";
    }

    private JsonNode ready(final String base) throws Exception
    {
        return TestServer.JSON.readTree(get(base, "/health/ready", null).body());
    }

    private JsonNode adminSale(final String base, final long sale) throws Exception
    {
        return TestServer.JSON.readTree(get(base, "/admin/sales/" + sale, admin).body());
    }

    private HttpResponse<String> get(final String base, final String path, final String token) throws IOException, InterruptedException
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET();
        if (token != null)
        {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(final String base, final String path, final String token, final String body)
        throws IOException, InterruptedException
    {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private int verify(final Path journal) throws Exception
    {
        try (ChildServer tool = ChildServer.start(List.of(), JournalCli.class, dir.resolve("verify-" + journal.getFileName() + ".err"),
            "verify", "--journal", journal.toString(), "--no-progress"))
        {
            return tool.awaitExit(PATIENCE);
        }
    }

    private static List<byte[]> records(final Path journal) throws IOException
    {
        final List<byte[]> records = new ArrayList<>();
        try (SingleChronicleQueue queue = JournalQueues.openForReading(new JournalConfig(journal).queueDirectory());
             ExcerptTailer tailer = queue.createTailer())
        {
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        return records;
                    }
                    records.add(dc.wire().bytes().toByteArray());
                }
            }
        }
    }

    private static int freeUdpPort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
