package io.flashsale.http.page;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flashsale.http.FlashsaleServer;
import io.flashsale.http.ServerEnvironment;
import io.flashsale.http.auth.Role;
import io.flashsale.http.config.AuthSecret;
import io.flashsale.http.config.ServerConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real flashsale server on an ephemeral port, in demo mode unless told otherwise, for the page's tests, with what they
 * need around it: an admin who creates sales, a plain HTTP client, and the admission controller's
 * monotonic clock in the test's hands. That clock stands still until the test moves it, so an
 * admission probability pushed down by a flood stays down while the page retries, and comes back
 * up the moment the test lets time pass: no race with the controller's 100 ms windows. Nothing
 * else reads that clock (sale gates, tokens and the page's /api/time use the real wall clock).
 * Test thread only.
 */
final class PageServer implements AutoCloseable
{
    static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicLong admissionNanos = new AtomicLong(System.nanoTime());
    private final FlashsaleServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String adminToken;

    PageServer(final Path journalDirectory, final boolean demo)
    {
        final ServerConfig config = new ServerConfig();
        config.server.host = "127.0.0.1";
        config.server.port = 0;
        config.server.ioThreads = 2;
        config.journal.directory = journalDirectory.toString();
        // A flood in the admission test comes from one shopper; the token buckets would stop it first.
        config.limits.enabled = false;
        // The admission clock stands still here, so a window's rate is its attempts over a tenth of
        // the interval: with the shortest interval a flood of a thousand attempts drives p below
        // 1e-3 (N attempts make N a millisecond, p = alwaysAdmitPerSecond ÷ rate = 1/N), while a
        // shopper's single attempt still fits the floor.
        config.admission.intervalMillis = 10;
        config.core.ringSize = 1024;
        final byte[] secret = "page-tests-secret-0123456789abcdef-0123456789".getBytes(StandardCharsets.US_ASCII);
        final ServerEnvironment environment = new ServerEnvironment()
            .demo(demo)
            .secret(AuthSecret.of(secret, "the page tests"))
            .nanoClock(admissionNanos::get);
        this.server = FlashsaleServer.start(config, environment);
        this.adminToken = server.tokenIssuer().issue("page-test-admin", Role.ADMIN, Instant.now().plus(Duration.ofHours(1)));
    }

    /** A server in demo mode (the page offers demo sign-in). */
    static PageServer start()
    {
        return start(true);
    }

    /** A server in demo mode, or not (the page then takes its token from the host shop). */
    static PageServer start(final boolean demo)
    {
        try
        {
            return new PageServer(Files.createTempDirectory("flashsale-page-journal"), demo);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    String baseUrl()
    {
        return "http://127.0.0.1:" + server.port();
    }

    String shopperToken(final String name)
    {
        return server.tokenIssuer().issue(name, Role.SHOPPER, Instant.now().plus(Duration.ofHours(1)));
    }

    /** Moves the admission controller's clock forward, as if that much time had passed. */
    void advanceAdmissionClock(final Duration by)
    {
        admissionNanos.addAndGet(by.toNanos());
    }

    /** Creates a sale through the admin API and answers its id. */
    long createSale(final String name, final long stock, final Instant startsAt, final Duration length, final int perUserLimit,
        final int paymentWindowSeconds)
    {
        final String body = json(Map.of(
            "name", name,
            "stock", stock,
            "startsAt", startsAt.toString(),
            "endsAt", startsAt.plus(length).toString(),
            "perUserLimit", perUserLimit,
            "paymentWindowSeconds", paymentWindowSeconds));
        final HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/admin/sales"))
            .header("Authorization", "Bearer " + adminToken)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
        if (response.statusCode() != 201)
        {
            throw new IllegalStateException("creating a sale answered " + response.statusCode() + ": " + response.body());
        }
        return parse(response.body()).get("id").asLong();
    }

    /** The admin view of a sale: counts and admission figures. */
    JsonNode adminSale(final long saleId)
    {
        return parse(send(HttpRequest.newBuilder(uri("/admin/sales/" + saleId)).header("Authorization", "Bearer " + adminToken).GET()).body());
    }

    HttpResponse<String> get(final String path, final Map<String, String> headers)
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        headers.forEach(request::header);
        return send(request);
    }

    HttpResponse<String> send(final HttpRequest.Builder request)
    {
        return send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> sendBytes(final HttpRequest.Builder request)
    {
        return send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private <T> HttpResponse<T> send(final HttpRequest.Builder request, final HttpResponse.BodyHandler<T> body)
    {
        try
        {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), body);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    URI uri(final String path)
    {
        return URI.create(baseUrl() + path);
    }

    static JsonNode parse(final String text)
    {
        try
        {
            return JSON.readTree(text);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("not JSON: " + text, ex);
        }
    }

    static String json(final Object value)
    {
        try
        {
            return JSON.writeValueAsString(value);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void close()
    {
        server.close();
    }
}
