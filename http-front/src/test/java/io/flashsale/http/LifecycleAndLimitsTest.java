package io.flashsale.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.flashsale.engine.command.Outcome;
import io.flashsale.http.config.ConfigException;
import io.flashsale.http.config.ServerConfig;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Readiness, start refusal, rate limits, the in-flight cap and a full ring, through real HTTP. */
class LifecycleAndLimitsTest
{
    @Test
    void readyOnlyAfterTheCoreIsAssembled() throws Exception
    {
        final ServerConfig config = TestServer.looseConfig();
        try (FlashsaleServer server = FlashsaleServer.bind(config, new ServerEnvironment()
            .secret(io.flashsale.http.config.AuthSecret.of(TestServer.SECRET, "test"))))
        {
            final HttpClient http = HttpClient.newHttpClient();
            final String base = "http://127.0.0.1:" + server.port();
            assertThat(get(http, base + "/health/live").statusCode()).isEqualTo(200);
            final HttpResponse<String> notReady = get(http, base + "/health/ready");
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).contains("NOT_READY");
            assertThat(get(http, base + "/api/sales/1").statusCode()).isEqualTo(503);
            assertThat(get(http, base + "/api/time").statusCode()).isEqualTo(200);

            server.assembleCore();
            assertThat(get(http, base + "/health/ready").statusCode()).isEqualTo(200);
            assertThat(get(http, base + "/api/sales/1").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void withoutAnySecretTheServerDoesNotStart()
    {
        assertThatThrownBy(() -> FlashsaleServer.start(TestServer.looseConfig(), new ServerEnvironment().variables(Map.of())))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("no JWT secret");
    }

    @Test
    void tokenBucketsAnswer429WithRetryAfter()
    {
        try (TestServer s = new TestServer(config -> config.limits.shopper = new ServerConfig.Bucket(3, 1.0 / 60), new ServerEnvironment()))
        {
            final long sale = s.createSale(100, 0, 10, 60);
            for (int i = 0; i < 3; i++)
            {
                assertThat(s.get("/api/sales/" + sale + "/key", s.shopper("greedy")).status()).isEqualTo(200);
            }
            final TestServer.Response limited = s.purchase(sale, "greedy", 1).problem(429, "RATE_LIMITED");
            assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
            assertThat(s.purchase(sale, "patient", 1).status()).as("other shoppers keep their own bucket").isEqualTo(201);
            assertThat(s.get("/metrics", null).body()).containsPattern("flashsale_ratelimit_rejections_total\\{scope=\"shopper\"} 1\\.0");
        }
        try (TestServer s = new TestServer(config -> config.limits.ip = new ServerConfig.Bucket(2, 1.0 / 60), new ServerEnvironment()))
        {
            final long sale = s.createSale(100, 0, 10, 60);
            assertThat(s.purchase(sale, "a", 1).status()).isEqualTo(201);
            assertThat(s.purchase(sale, "b", 1).status()).isEqualTo(201);
            s.purchase(sale, "c", 1).problem(429, "RATE_LIMITED");
        }
    }

    @Test
    void behindATrustedProxyEachForwardedClientHasItsOwnIpBucketAndOthersCannotForgeOne()
    {
        try (TestServer s = new TestServer(config ->
        {
            config.limits.ip = new ServerConfig.Bucket(2, 1.0 / 60);
            config.limits.trustedProxies = java.util.List.of("127.0.0.1");
        }, new ServerEnvironment()))
        {
            final long sale = s.createSale(100, 0, 10, 60);
            assertThat(keyVia(s, sale, "a", "203.0.113.1").status()).isEqualTo(200);
            assertThat(keyVia(s, sale, "b", "203.0.113.1").status()).isEqualTo(200);
            keyVia(s, sale, "c", "203.0.113.1").problem(429, "RATE_LIMITED");
            // Another client behind the same proxy has a full bucket of its own.
            assertThat(keyVia(s, sale, "d", "203.0.113.2").status()).isEqualTo(200);
            // A client that writes its own header before the proxy's entry gains nothing.
            keyVia(s, sale, "e", "203.0.113.99, 203.0.113.1").problem(429, "RATE_LIMITED");
        }
        try (TestServer s = new TestServer(config -> config.limits.ip = new ServerConfig.Bucket(2, 1.0 / 60), new ServerEnvironment()))
        {
            // No trusted proxy: the header is the client's word and changes nothing.
            final long sale = s.createSale(100, 0, 10, 60);
            assertThat(keyVia(s, sale, "a", "203.0.113.1").status()).isEqualTo(200);
            assertThat(keyVia(s, sale, "b", "203.0.113.2").status()).isEqualTo(200);
            keyVia(s, sale, "c", "203.0.113.3").problem(429, "RATE_LIMITED");
        }
    }

    private static TestServer.Response keyVia(final TestServer s, final long sale, final String shopper, final String forwardedFor)
    {
        return s.send(s.request("/api/sales/" + sale + "/key", s.shopper(shopper)).header("X-Forwarded-For", forwardedFor).GET().build());
    }

    @Test
    void aFullRingAndTheInFlightCapAnswer503AndEveryAcceptedRequestIsAnswered() throws Exception
    {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch blocked = new CountDownLatch(1);
        final ServerEnvironment environment = new ServerEnvironment().pipelineTweaks(pipeline -> pipeline.ringSize(16).tickIntervalMillis(0).snapshots(engine -> {
            blocked.countDown();
            release.await(30, TimeUnit.SECONDS);
        }));
        try (TestServer s = new TestServer(config -> config.limits.maxInFlight = 6, environment))
        {
            final long sale = s.createSale(100, 0, 10, 60);
            // Park the business thread on a snapshot, so nothing published from here on is answered yet.
            assertThat(s.server.pipeline().snapshot(null, null)).isEqualTo(Outcome.PENDING);
            assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();

            final List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
            for (int i = 0; i < 6; i++)
            {
                pending.add(s.http.sendAsync(s.request("/api/sales/" + sale + "/purchase", s.shopper("p" + i))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"qty\":1,\"key\":\"" + s.keyFor(sale, "p" + i) + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString()));
            }
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> s.server.pipeline().remainingCapacity() == 16 - 1 - 6);
            // Six waiting: the in-flight cap refuses the seventh before the ring.
            final TestServer.Response capped = s.purchase(sale, "p7", 1).problem(503, "BUSY");
            assertThat(capped.header("Retry-After")).isEqualTo("1");
            assertThat(pending).noneMatch(CompletableFuture::isDone);

            release.countDown();
            for (final CompletableFuture<HttpResponse<String>> response : pending)
            {
                assertThat(response.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
            }
            final JsonNode counts = s.adminSale(sale);
            assertThat(counts.get("reserved").asLong()).isEqualTo(6);
        }
    }

    @Test
    void aRingWithNoRoomLeftAnswers503Busy() throws Exception
    {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch blocked = new CountDownLatch(1);
        final ServerEnvironment environment = new ServerEnvironment().pipelineTweaks(pipeline -> pipeline.ringSize(4).tickIntervalMillis(0)
            .snapshots(engine -> {
                blocked.countDown();
                release.await(30, TimeUnit.SECONDS);
            }));
        try (TestServer s = new TestServer(config -> { }, environment))
        {
            final long sale = s.createSale(100, 0, 10, 60);
            assertThat(s.server.pipeline().snapshot(null, null)).isEqualTo(Outcome.PENDING);
            assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
            final List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
            for (int i = 0; i < 3; i++)
            {
                pending.add(s.http.sendAsync(s.request("/api/sales/" + sale + "/purchase", s.shopper("q" + i))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"qty\":1,\"key\":\"" + s.keyFor(sale, "q" + i) + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString()));
            }
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> s.server.pipeline().remainingCapacity() == 0);
            s.purchase(sale, "q9", 1).problem(503, "BUSY");
            release.countDown();
            for (final CompletableFuture<HttpResponse<String>> response : pending)
            {
                assertThat(response.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
            }
        }
    }

    private static HttpResponse<String> get(final HttpClient http, final String url) throws Exception
    {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
