package io.flashsale.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.flashsale.http.auth.PurchaseKeys;
import io.flashsale.http.auth.Role;
import io.flashsale.http.auth.ShopperIds;
import io.flashsale.http.auth.TokenIssuer;
import io.flashsale.http.config.AuthSecret;
import io.flashsale.http.config.ServerConfig;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real server process whose ring fails while requests wait in it: every request in flight is
 * answered (503 problem+json with the failure), the process exits with its code instead of staying
 * up, and the next start recovers every acknowledged order.
 */
class FailFastProcessTest
{
    private static final int ACKNOWLEDGED = 20;
    private static final int IN_FLIGHT = 16;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final TokenIssuer tokens = new TokenIssuer(TestServer.SECRET);
    private final PurchaseKeys keys = new PurchaseKeys(TestServer.SECRET);

    @ParameterizedTest(name = "{0} failure: exit {1}")
    @CsvSource({"engine, 70, ENGINE_ERROR, engine-error", "journal, 74, JOURNAL_FAILED, journal-failed"})
    void aFailedRingAnswersEveryRequestInFlightThenEndsTheProcessAndARestartRecoversEveryAcknowledgedOrder(
        final String mode, final int exitCode, final String outcome, final String type) throws Exception
    {
        final Path journal = dir.resolve("journal");
        final Path control = Files.createDirectories(dir.resolve("control"));
        final Map<Long, String> acknowledged = new LinkedHashMap<>();
        final long sale;
        try (ChildServer child = ChildServer.start(List.of("-Xmx256m"), FailingCoreChild.class, dir.resolve("stderr.txt"),
            journal.toString(), mode, control.toString()))
        {
            final String base = "http://127.0.0.1:" + child.awaitLine("PORT", Duration.ofSeconds(60));
            sale = createSale(base);
            for (int i = 0; i < ACKNOWLEDGED; i++)
            {
                final HttpResponse<String> bought = purchase(base, sale, "before-" + i).get(20, TimeUnit.SECONDS);
                assertThat(bought.statusCode()).as(bought.body()).isEqualTo(201);
                acknowledged.put(TestServer.JSON.readTree(bought.body()).get("orderId").asLong(), "before-" + i);
            }

            Files.createFile(control.resolve("block"));
            child.awaitLine("BLOCKED", Duration.ofSeconds(30));
            final List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
            for (int i = 0; i < IN_FLIGHT; i++)
            {
                inFlight.add(purchase(base, sale, "during-" + i));
            }
            awaitInFlight(base, IN_FLIGHT);
            Files.createFile(control.resolve("fail"));

            for (final CompletableFuture<HttpResponse<String>> request : inFlight)
            {
                final HttpResponse<String> answer = request.get(20, TimeUnit.SECONDS);
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
                assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
                final JsonNode problem = TestServer.JSON.readTree(answer.body());
                assertThat(problem.get("outcome").asText()).isEqualTo(outcome);
                assertThat(problem.get("type").asText()).isEqualTo("https://flashsale.dev/problems/" + type);
            }
            assertThat(child.awaitExit(Duration.ofSeconds(30))).as(child.stderrText()).isEqualTo(exitCode);
            assertThat(child.stderrText()).contains("RING FAILED", "injected", "exiting with code " + exitCode);
        }

        final ServerConfig config = TestServer.looseConfig();
        config.journal.directory = journal.toString();
        try (FlashsaleServer restarted = FlashsaleServer.start(config, new ServerEnvironment().secret(AuthSecret.of(TestServer.SECRET, "the test"))))
        {
            final String base = "http://127.0.0.1:" + restarted.port();
            for (final Map.Entry<Long, String> order : acknowledged.entrySet())
            {
                final HttpResponse<String> read = send(HttpRequest.newBuilder(URI.create(base + "/api/orders/" + order.getKey()))
                    .header("Authorization", "Bearer " + token(order.getValue(), Role.SHOPPER)).GET());
                assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
                assertThat(TestServer.JSON.readTree(read.body()).get("state").asText()).isEqualTo("RESERVED");
            }
            final HttpResponse<String> counts = send(HttpRequest.newBuilder(URI.create(base + "/admin/sales/" + sale))
                .header("Authorization", "Bearer " + token("root", Role.ADMIN)).GET());
            // Exactly what was acknowledged: nothing answered with the failure was kept.
            assertThat(TestServer.JSON.readTree(counts.body()).get("reserved").asLong()).as(counts.body()).isEqualTo(ACKNOWLEDGED);
        }
    }

    private long createSale(final String base) throws Exception
    {
        final Instant start = Instant.now().minusSeconds(1);
        final HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(base + "/admin/sales"))
            .header("Authorization", "Bearer " + token("root", Role.ADMIN))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Sneakers\",\"stock\":1000,\"startsAt\":\"" + start +
                "\",\"endsAt\":\"" + start.plus(Duration.ofHours(1)) + "\",\"perUserLimit\":1,\"paymentWindowSeconds\":3600}")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return TestServer.JSON.readTree(created.body()).get("id").asLong();
    }

    private CompletableFuture<HttpResponse<String>> purchase(final String base, final long sale, final String shopper)
    {
        final String body = "{\"qty\":1,\"key\":\"" + keys.keyFor(sale, ShopperIds.userId(shopper)) + "\"}";
        return http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/api/sales/" + sale + "/purchase"))
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", "Bearer " + token(shopper, Role.SHOPPER))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits until the front counts {@code n} requests published to the ring and not yet answered. */
    private void awaitInFlight(final String base, final int n) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String last = "";
        while (System.nanoTime() < deadline)
        {
            final String metrics = send(HttpRequest.newBuilder(URI.create(base + "/metrics")).GET()).body();
            last = metrics.lines().filter(line -> line.startsWith("flashsale_inflight")).findFirst().orElse("no flashsale_inflight line");
            if (last.endsWith(" " + n + ".0") || last.endsWith(" " + n))
            {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("never " + n + " requests in flight; last: " + last);
    }

    private String token(final String subject, final Role role)
    {
        return tokens.issue(subject, role, Instant.now().plus(Duration.ofHours(1)));
    }

    private HttpResponse<String> send(final HttpRequest.Builder request) throws Exception
    {
        return http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
