package io.flashsale.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flashsale.http.auth.Role;
import io.flashsale.http.config.AuthSecret;
import io.flashsale.http.config.ServerConfig;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real server on an ephemeral port with a clock the test moves, and a real HTTP client. The
 * rate limits are loose unless a test tightens them.
 */
final class TestServer implements AutoCloseable
{
    static final byte[] SECRET = "test-secret-test-secret-test-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    static final ObjectMapper JSON = new ObjectMapper();

    final AtomicLong clock = new AtomicLong(Instant.parse("2030-01-01T12:00:00Z").toEpochMilli());
    final FlashsaleServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final String base;
    final String admin;

    TestServer()
    {
        this(config -> { }, new ServerEnvironment());
    }

    TestServer(final Consumer<ServerConfig> tweak, final ServerEnvironment environment)
    {
        final ServerConfig config = looseConfig();
        tweak.accept(config);
        environment.clockMillis(clock::get).secret(AuthSecret.of(SECRET, "the test"));
        server = FlashsaleServer.start(config, environment);
        base = "http://127.0.0.1:" + server.port();
        // Tests move the clock by hours; the admin token outlives them all.
        admin = server.tokenIssuer().issue("root", Role.ADMIN, Instant.ofEpochMilli(clock.get()).plus(Duration.ofDays(3650)));
    }

    static ServerConfig looseConfig()
    {
        final ServerConfig config = new ServerConfig();
        config.server.port = 0;
        config.server.host = "127.0.0.1";
        config.server.ioThreads = 2;
        config.limits.shopper = new ServerConfig.Bucket(1_000_000, 1_000_000);
        config.limits.ip = new ServerConfig.Bucket(1_000_000, 1_000_000);
        config.core.tickIntervalMillis = 20;
        try
        {
            config.journal.directory = java.nio.file.Files.createTempDirectory("flashsale-test-journal").toString();
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
        return config;
    }

    String token(final String subject, final Role role)
    {
        return server.tokenIssuer().issue(subject, role, Instant.ofEpochMilli(clock.get()).plus(Duration.ofHours(1)));
    }

    String shopper(final String subject)
    {
        return token(subject, Role.SHOPPER);
    }

    String keyFor(final long saleId, final String subject)
    {
        return server.purchaseKeys().keyFor(saleId, io.flashsale.http.auth.ShopperIds.userId(subject));
    }

    /** Creates a sale through the admin API: starts {@code startsInMillis} from the test clock, lasts an hour. */
    long createSale(final long stock, final long startsInMillis, final int perUserLimit, final int paymentWindowSeconds)
    {
        final Instant start = Instant.ofEpochMilli(clock.get() + startsInMillis);
        final Response created = post("/admin/sales", admin, "{\"name\":\"Sneakers\",\"stock\":" + stock +
            ",\"startsAt\":\"" + start + "\",\"endsAt\":\"" + start.plus(Duration.ofHours(1)) +
            "\",\"perUserLimit\":" + perUserLimit + ",\"paymentWindowSeconds\":" + paymentWindowSeconds + "}");
        assertThat(created.status).as(created.body).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    Response purchase(final long saleId, final String subject, final int qty)
    {
        return post("/api/sales/" + saleId + "/purchase", shopper(subject),
            "{\"qty\":" + qty + ",\"key\":\"" + keyFor(saleId, subject) + "\"}");
    }

    /** The head of a purchase as raw HTTP/1.1, for {@link RawHttp}; {@code framing} is its Content-Length or Transfer-Encoding line. */
    String rawPurchaseHead(final long saleId, final String subject, final String framing)
    {
        return "POST /api/sales/" + saleId + "/purchase HTTP/1.1\r\n" +
            "Host: localhost\r\n" +
            "Authorization: Bearer " + shopper(subject) + "\r\n" +
            "Content-Type: application/json\r\n" +
            framing + "\r\n\r\n";
    }

    JsonNode adminSale(final long saleId)
    {
        final Response response = get("/admin/sales/" + saleId, admin);
        assertThat(response.status).as(response.body).isEqualTo(200);
        return response.json();
    }

    Response get(final String path, final String token)
    {
        return send(request(path, token).GET().build());
    }

    Response post(final String path, final String token, final String body)
    {
        return send(request(path, token).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpRequest.Builder request(final String path, final String token)
    {
        final HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
        if (token != null)
        {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    Response send(final HttpRequest request)
    {
        try
        {
            final HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response);
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

    @Override
    public void close()
    {
        server.close();
    }

    /** One answer. */
    record Response(int status, String body, HttpResponse<String> raw)
    {
        JsonNode json()
        {
            try
            {
                return JSON.readTree(body);
            }
            catch (final IOException ex)
            {
                throw new AssertionError("not JSON: " + body, ex);
            }
        }

        String header(final String name)
        {
            return raw.headers().firstValue(name).orElse(null);
        }

        /** Asserts an RFC 9457 problem with this status and outcome. */
        Response problem(final int expectedStatus, final String outcome)
        {
            assertThat(status).as(body).isEqualTo(expectedStatus);
            assertThat(header("Content-Type")).isEqualTo("application/problem+json");
            final JsonNode problem = json();
            assertThat(problem.get("outcome").asText()).as(body).isEqualTo(outcome);
            assertThat(problem.get("status").asInt()).isEqualTo(expectedStatus);
            assertThat(problem.get("type").asText()).startsWith("https://flashsale.dev/problems/");
            assertThat(problem.get("title").asText()).isNotBlank();
            assertThat(problem.get("detail").asText()).isNotBlank();
            return this;
        }
    }
}
