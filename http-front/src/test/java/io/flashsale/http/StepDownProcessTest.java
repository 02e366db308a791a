package io.flashsale.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.flashsale.http.auth.PurchaseKeys;
import io.flashsale.http.auth.Role;
import io.flashsale.http.auth.ShopperIds;
import io.flashsale.http.auth.TokenIssuer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A sync primary whose journal fails (a child JVM whose journal throws "No space left on device"
 * on cue) steps down, and its standby (a second child JVM, automatic promotion set to the longest
 * silence accepted, ten minutes) takes over at once: the requests in flight get 503
 * journal-failed, the primary exits 74, the standby is the primary of epoch 2, holds every
 * acknowledged order and sells.
 */
class StepDownProcessTest
{
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final int ACKNOWLEDGED = 30;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final TokenIssuer tokens = new TokenIssuer(TestServer.SECRET);
    private final PurchaseKeys keys = new PurchaseKeys(TestServer.SECRET);
    private final String admin = tokens.issue("root", Role.ADMIN, Instant.now().plus(Duration.ofHours(1)));

    @Test
    void aPrimaryWhoseJournalFailsStepsDownAndItsStandbyInSyncPromotesItselfAtOnce() throws Exception
    {
        final Path control = Files.createDirectories(dir.resolve("control"));
        final Path secret = Files.write(dir.resolve("secret"), TestServer.SECRET);
        final Path config = Files.writeString(dir.resolve("standby.yml"), String.join("\n",
            "server: {host: 127.0.0.1, ioThreads: 2}",
            "limits: {enabled: false}",
            "admission: {enabled: false}",
            // Ten minutes of silence: within this test only the step-down can promote it.
            "replication: {failoverAfterMillis: 600000}",
            ""));
        final String link = "127.0.0.1:" + freeUdpPort();
        final List<Long> acknowledged = new ArrayList<>();
        try (ChildServer primary = ChildServer.start(List.of("-Xmx256m"), FailingCoreChild.class, dir.resolve("primary.err"),
                dir.resolve("primary").toString(), "journal", control.toString(), link);
             ChildServer standby = ChildServer.start(List.of("-Xmx256m"), ServerMain.class, dir.resolve("standby.err"),
                "standby", "--config", config.toString(), "--port", "0", "--journal", dir.resolve("standby").toString(),
                "--secret-file", secret.toString(), "--primary", link))
        {
            final String primaryBase = "http://127.0.0.1:" + primary.awaitLine("PORT", PATIENCE);
            final String standbyBase = "http://127.0.0.1:" + standby.awaitLine("flashsale standby serving reads on port", PATIENCE);
            await().atMost(PATIENCE).until(() -> ready(primaryBase).path("replication").path("inSync").asBoolean());
            final long sale = createSale(primaryBase);
            for (int i = 0; i < ACKNOWLEDGED; i++)
            {
                final HttpResponse<String> bought = purchase(primaryBase, sale, "before-" + i).get(30, TimeUnit.SECONDS);
                assertThat(bought.statusCode()).as(bought.body()).isEqualTo(201);
                acknowledged.add(TestServer.JSON.readTree(bought.body()).get("orderId").asLong());
            }
            await().atMost(PATIENCE).until(() -> ready(standbyBase).path("replication").path("inSync").asBoolean());
            assertThat(ready(standbyBase).path("replication").path("failoverAfterMillis").asLong()).isEqualTo(600_000);

            Files.createFile(control.resolve("block"));
            primary.awaitLine("BLOCKED", PATIENCE);
            final List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
            for (int i = 0; i < 4; i++)
            {
                inFlight.add(purchase(primaryBase, sale, "during-" + i));
            }
            awaitInFlight(primaryBase, inFlight.size());
            Files.createFile(control.resolve("fail"));

            for (final CompletableFuture<HttpResponse<String>> request : inFlight)
            {
                final HttpResponse<String> answer = request.get(30, TimeUnit.SECONDS);
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
            }
            assertThat(primary.awaitExit(PATIENCE)).as(primary.stderrText()).isEqualTo(FailFast.JOURNAL_FAILED);
            assertThat(primary.stderrText()).contains("STEPPED DOWN: standby");

            await().atMost(PATIENCE).until(() -> "primary".equals(ready(standbyBase).path("replication").path("role").asText()));
            final JsonNode promoted = ready(standbyBase).path("replication");
            assertThat(promoted.path("epoch").asLong()).isEqualTo(2);
            assertThat(promoted.path("promotedAutomaticallyBecause").asText()).contains("STEPPED DOWN").contains("No space left on device");
            assertThat(promoted.path("promotedAutomaticallyAt").asText()).isNotEmpty();
            for (final long order : acknowledged)
            {
                final HttpResponse<String> found = get(standbyBase, "/admin/orders/" + order, admin);
                assertThat(found.statusCode()).as("order %d on the new primary: %s", order, found.body()).isEqualTo(200);
            }
            final HttpResponse<String> after = purchase(standbyBase, sale, "after-step-down").get(30, TimeUnit.SECONDS);
            assertThat(after.statusCode()).as(after.body()).isEqualTo(201);
            assertThat(get(standbyBase, "/metrics", null).body()).contains("flashsale_replication_epoch 2.0");
        }
    }

    private long createSale(final String base) throws Exception
    {
        final Instant start = Instant.now().minusSeconds(1);
        final HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/sales"))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + admin)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Sneakers\",\"stock\":1000,\"startsAt\":\"" + start +
                "\",\"endsAt\":\"" + start.plus(Duration.ofHours(1)) + "\",\"perUserLimit\":1,\"paymentWindowSeconds\":3600}")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return TestServer.JSON.readTree(created.body()).get("id").asLong();
    }

    private CompletableFuture<HttpResponse<String>> purchase(final String base, final long sale, final String shopper)
    {
        final String body = "{\"qty\":1,\"key\":\"" + keys.keyFor(sale, ShopperIds.userId(shopper)) + "\"}";
        return http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/api/sales/" + sale + "/purchase"))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + tokens.issue(shopper, Role.SHOPPER, Instant.now().plus(Duration.ofHours(1))))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits until the front counts {@code n} requests published to the ring and not yet answered. */
    private void awaitInFlight(final String base, final int n) throws Exception
    {
        await().atMost(PATIENCE).until(() -> get(base, "/metrics", null).body().lines()
            .anyMatch(line -> line.startsWith("flashsale_inflight") && (line.endsWith(" " + n + ".0") || line.endsWith(" " + n))));
    }

    private JsonNode ready(final String base) throws Exception
    {
        return TestServer.JSON.readTree(get(base, "/health/ready", null).body());
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

    private static int freeUdpPort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
