package io.flashsale.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.flashsale.http.auth.PurchaseKeys;
import io.flashsale.http.auth.Role;
import io.flashsale.http.auth.ShopperIds;
import io.flashsale.http.auth.TokenIssuer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
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
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A core ({@code serve --edge-link}) and two edges ({@code edge --core}) as real processes on free
 * ports: purchases through either edge reach the core's books, an idempotent retry through the
 * other edge gets the same order, everything a shopper gets wrong (and the gates) is answered at
 * the edge without a command crossing the link, and a core killed with SIGKILL makes the edges
 * answer 503 core-unavailable until it is back on the same journal and port, when they serve again
 * without a restart and every acknowledged order is there. (Only holders of the secret join: the
 * link's own LinkAuthenticationTest.)
 */
class EdgeProcessTest
{
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Pattern EDGE_PORT = Pattern.compile("port (\\d+)");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final TokenIssuer tokens = new TokenIssuer(TestServer.SECRET);
    private final PurchaseKeys keys = new PurchaseKeys(TestServer.SECRET);
    private final List<ChildServer> children = new ArrayList<>();

    @AfterEach
    void stopChildren() throws InterruptedException
    {
        for (final ChildServer child : children)
        {
            child.close();
        }
        // What the processes logged, for the report of a failed run.
        try (var logs = Files.list(dir))
        {
            logs.filter(file -> file.toString().endsWith(".err")).sorted().forEach(file -> {
                try
                {
                    System.out.println("==== " + file.getFileName() + "\n" + Files.readString(file));
                }
                catch (final IOException ex)
                {
                    System.out.println("==== " + file.getFileName() + ": " + ex);
                }
            });
        }
        catch (final IOException ex)
        {
            System.out.println("no logs: " + ex);
        }
    }

    @Test
    void edgesSellThroughTheCoreAnswerWhatTheyCanThemselvesAndOutliveACoreRestart() throws Exception
    {
        final Path secret = Files.write(dir.resolve("secret"), TestServer.SECRET);
        final Path journal = dir.resolve("journal");
        ChildServer core = startCore(journal, secret, "127.0.0.1:0");
        final String coreBase = "http://127.0.0.1:" + core.awaitLine("flashsale serving on port", START);
        final String link = core.awaitLine("flashsale edge link on", START);
        final String edge1 = startEdge(link, secret, 1);
        final String edge2 = startEdge(link, secret, 2);
        awaitStatus(edge1 + "/health/ready", 200);
        awaitStatus(edge2 + "/health/ready", 200);

        final long sale = createSale(coreBase, "Sneakers", 10, Instant.now().minusSeconds(1));
        awaitStatus(edge1 + "/api/sales/" + sale, 200);
        awaitStatus(edge2 + "/api/sales/" + sale, 200);

        // A purchase through each edge is reserved and is in the core's books.
        final HttpResponse<String> alice = purchase(edge1, sale, "alice", "alice-1");
        assertThat(alice.statusCode()).as(alice.body()).isEqualTo(201);
        assertThat(json(alice).get("state").asText()).isEqualTo("RESERVED");
        final long aliceOrder = json(alice).get("orderId").asLong();
        final HttpResponse<String> bob = purchase(edge2, sale, "bob", "bob-1");
        assertThat(bob.statusCode()).as(bob.body()).isEqualTo(201);
        final long bobOrder = json(bob).get("orderId").asLong();
        assertThat(bobOrder).isNotEqualTo(aliceOrder);
        final HttpResponse<String> inspected = get(coreBase + "/admin/orders/" + aliceOrder, token("root", Role.ADMIN));
        assertThat(inspected.statusCode()).as(inspected.body()).isEqualTo(200);
        assertThat(json(inspected).get("shopper").asText()).isEqualTo("alice");
        assertThat(json(inspected).get("state").asText()).isEqualTo("RESERVED");

        awaitAnswer(coreBase + "/metrics", answer -> metric(answer.body(), "flashsale_link_edges_joined") == 2, "two edges joined");

        // The same Idempotency-Key through the other edge: the same order, never a second one.
        final HttpResponse<String> retry = purchase(edge2, sale, "alice", "alice-1");
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(201);
        assertThat(json(retry).get("orderId").asLong()).isEqualTo(aliceOrder);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");

        // Bad input, auth failures and the gates are answered at the edge: nothing crosses the link.
        final long notStarted = createSale(coreBase, "Later", 10, Instant.now().plus(Duration.ofHours(1)));
        final long single = createSale(coreBase, "Single", 1, Instant.now().minusSeconds(1));
        awaitStatus(edge1 + "/api/sales/" + notStarted, 200);
        awaitBody(edge1 + "/api/sales/" + single, body -> body.contains("\"available\":1"));
        awaitBody(edge2 + "/api/sales/" + single, body -> body.contains("\"available\":1"));
        final HttpResponse<String> carol = purchase(edge1, single, "carol", "carol-1");
        assertThat(carol.statusCode()).as(carol.body()).isEqualTo(201);
        awaitBody(edge2 + "/api/sales/" + single, body -> body.contains("\"available\":0"));
        final long crossedBefore = commandsFromEdges(coreBase);
        final String carolToken = token("carol", Role.SHOPPER);
        assertProblem(retryingLinkLoss(() -> send(edge1 + "/api/sales/" + sale + "/purchase", carolToken, "application/json", "{\"qty\":"), false),
            400, "INVALID");
        assertProblem(retryingLinkLoss(() -> send(edge1 + "/api/sales/" + sale + "/purchase", carolToken, "text/plain", "hello"), false),
            415, "UNSUPPORTED_MEDIA_TYPE");
        assertProblem(retryingLinkLoss(() -> send(edge2 + "/api/sales/" + sale + "/purchase", carolToken, "application/json",
            "{\"qty\":1,\"key\":\"not-the-key\"}"), false), 403, "BAD_PURCHASE_KEY");
        assertProblem(retryingLinkLoss(() -> send(edge2 + "/api/sales/" + sale + "/purchase", null, "application/json", "{\"qty\":1}"), false),
            401, "UNAUTHENTICATED");
        assertProblem(retryingLinkLoss(() -> send(edge1 + "/api/sales/abc/purchase", carolToken, "application/json", "{\"qty\":1}"), false),
            400, "INVALID");
        assertProblem(purchase(edge1, notStarted, "carol", null), 425, "NOT_STARTED");
        assertProblem(purchase(edge2, single, "dave", null), 410, "SOLD_OUT");
        assertProblem(get(edge1 + "/admin/sales", token("root", Role.ADMIN)), 404, "NOT_FOUND");
        assertThat(commandsFromEdges(coreBase)).isEqualTo(crossedBefore);

        // The edge's clock is the core's (loose bound: two HTTP round trips on a loaded machine).
        final long coreBefore = epochMillis(coreBase);
        final long edgeTime = epochMillis(edge1);
        final long coreAfter = epochMillis(coreBase);
        assertThat(edgeTime).isBetween(coreBefore - 250, coreAfter + 250);

        // The core dies: the edges answer 503 core-unavailable at once and are not ready.
        core.process.destroyForcibly();
        core.process.waitFor();
        awaitStatus(edge1 + "/health/ready", 503);
        assertProblem(get(edge1 + "/health/ready", null), 503, "CORE_UNAVAILABLE");
        final HttpResponse<String> whileDown = purchaseOnce(edge2, sale, "erin", "erin-1");
        assertProblem(whileDown, 503, "CORE_UNAVAILABLE");
        assertThat(whileDown.headers().firstValue("Retry-After")).isPresent();
        assertProblem(get(edge1 + "/api/orders/" + aliceOrder, token("alice", Role.SHOPPER)), 503, "CORE_UNAVAILABLE");

        // Back on the same journal and port: the edges rejoin by themselves, the orders are there.
        core = startCore(journal, secret, link);
        core.awaitLine("flashsale edge link on", START);
        awaitStatus(edge1 + "/health/ready", 200);
        awaitStatus(edge2 + "/health/ready", 200);
        final HttpResponse<String> aliceRead = readOrder(edge2, aliceOrder, "alice");
        assertThat(aliceRead.statusCode()).as(aliceRead.body()).isEqualTo(200);
        assertThat(json(aliceRead).get("state").asText()).isEqualTo("RESERVED");
        final HttpResponse<String> bobRead = readOrder(edge1, bobOrder, "bob");
        assertThat(bobRead.statusCode()).as(bobRead.body()).isEqualTo(200);
        assertProblem(readOrder(edge1, bobOrder, "alice"), 403, "NOT_OWNER");
        final HttpResponse<String> erin = purchase(edge2, sale, "erin", "erin-1");
        assertThat(erin.statusCode()).as(erin.body()).isEqualTo(201);
    }

    private ChildServer startCore(final Path journal, final Path secret, final String link) throws IOException
    {
        final ChildServer core = ChildServer.start(List.of("-Xmx256m"), ServerMain.class, dir.resolve("core-" + children.size() + ".err"),
            "serve", "--host", "127.0.0.1", "--port", "0", "--journal", journal.toString(), "--secret-file", secret.toString(),
            "--edge-link", link);
        children.add(core);
        return core;
    }

    private String startEdge(final String core, final Path secret, final int id) throws Exception
    {
        final ChildServer edge = ChildServer.start(List.of("-Xmx192m"), ServerMain.class, dir.resolve("edge-" + id + ".err"),
            "edge", "--core", core, "--host", "127.0.0.1", "--port", "0", "--edge-id", Integer.toString(id),
            "--secret-file", secret.toString());
        children.add(edge);
        final Matcher port = EDGE_PORT.matcher(edge.awaitLine("flashsale edge serving on", START));
        assertThat(port.find()).isTrue();
        return "http://127.0.0.1:" + port.group(1);
    }

    private long createSale(final String core, final String name, final int stock, final Instant start) throws Exception
    {
        final HttpResponse<String> created = send(core + "/admin/sales", token("root", Role.ADMIN), "application/json",
            "{\"name\":\"" + name + "\",\"stock\":" + stock + ",\"startsAt\":\"" + start + "\",\"endsAt\":\"" +
                start.plus(Duration.ofHours(2)) + "\",\"perUserLimit\":1,\"paymentWindowSeconds\":3600}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created).get("id").asLong();
    }

    /**
     * A purchase as a shopper's client makes it: a 503 that says the edge lost its core for a moment
     * (a loaded machine can starve a heartbeat) is retried with the same Idempotency-Key.
     */
    private HttpResponse<String> purchase(final String base, final long sale, final String shopper, final String idempotencyKey)
        throws Exception
    {
        return retryingLinkLoss(() -> purchaseOnce(base, sale, shopper, idempotencyKey), idempotencyKey != null);
    }

    /** An order read, retried as a purchase is when the edge lost its core for a moment. */
    private HttpResponse<String> readOrder(final String base, final long order, final String shopper) throws Exception
    {
        return retryingLinkLoss(() -> get(base + "/api/orders/" + order, token(shopper, Role.SHOPPER)), true);
    }

    /** CORE_UNAVAILABLE sent nothing: always retried; OUTCOME_UNKNOWN only when the retry cannot buy twice. */
    private static HttpResponse<String> retryingLinkLoss(final Call call, final boolean safeToRetry) throws Exception
    {
        HttpResponse<String> answer = call.send();
        for (int attempt = 0; attempt < 20 && answer.statusCode() == 503 &&
            (answer.body().contains("CORE_UNAVAILABLE") || safeToRetry && answer.body().contains("OUTCOME_UNKNOWN")); attempt++)
        {
            Thread.sleep(250);
            answer = call.send();
        }
        return answer;
    }

    @FunctionalInterface
    private interface Call
    {
        HttpResponse<String> send() throws Exception;
    }

    private HttpResponse<String> purchaseOnce(final String base, final long sale, final String shopper, final String idempotencyKey)
        throws Exception
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/sales/" + sale + "/purchase"))
            .header("Authorization", "Bearer " + token(shopper, Role.SHOPPER))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"qty\":1,\"key\":\"" + keys.keyFor(sale, ShopperIds.userId(shopper)) + "\"}"));
        if (idempotencyKey != null)
        {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(final String url, final String token, final String contentType, final String body) throws Exception
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null)
        {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(final String url, final String token) throws Exception
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (token != null)
        {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private long commandsFromEdges(final String core) throws Exception
    {
        return metric(get(core + "/metrics", null).body(), "flashsale_link_commands_received_total");
    }

    private static long metric(final String metrics, final String name)
    {
        final String line = metrics.lines().filter(l -> l.startsWith(name + " ")).findFirst()
            .orElseThrow(() -> new AssertionError("no " + name + " in " + metrics));
        return (long)Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    private long epochMillis(final String base) throws Exception
    {
        return json(get(base + "/api/time", null)).get("epochMillis").asLong();
    }

    private void awaitStatus(final String url, final int status) throws Exception
    {
        awaitAnswer(url, answer -> answer.statusCode() == status, "status " + status);
    }

    private void awaitBody(final String url, final Predicate<String> body) throws Exception
    {
        awaitAnswer(url, answer -> answer.statusCode() == 200 && body.test(answer.body()), "the expected body");
    }

    private void awaitAnswer(final String url, final Predicate<HttpResponse<String>> wanted, final String what) throws Exception
    {
        final long deadline = System.nanoTime() + PATIENCE.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline)
        {
            try
            {
                final HttpResponse<String> answer = get(url, null);
                if (wanted.test(answer))
                {
                    return;
                }
                last = answer.statusCode() + " " + answer.body();
            }
            catch (final IOException refused)
            {
                last = refused.toString();
            }
            Thread.sleep(20);
        }
        throw new AssertionError(url + " never answered " + what + "; last: " + last);
    }

    private static void assertProblem(final HttpResponse<String> answer, final int status, final String outcome) throws IOException
    {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(TestServer.JSON.readTree(answer.body()).get("outcome").asText()).as(answer.body()).isEqualTo(outcome);
    }

    private static JsonNode json(final HttpResponse<String> answer) throws IOException
    {
        return TestServer.JSON.readTree(answer.body());
    }

    private String token(final String subject, final Role role)
    {
        return tokens.issue(subject, role, Instant.now().plus(Duration.ofHours(1)));
    }
}
