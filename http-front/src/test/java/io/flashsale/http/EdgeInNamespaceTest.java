package io.flashsale.http;

import io.flashsale.http.auth.PurchaseKeys;
import io.flashsale.http.auth.Role;
import io.flashsale.http.auth.ShopperIds;
import io.flashsale.http.auth.TokenIssuer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An edge in a network namespace of its own, its core outside it, joined by a veth pair
 * (10.213.8.0/30: the core's end 10.213.8.1, the edge's 10.213.8.2, addresses that exist only on
 * the pair this test creates and deletes): the link crosses a real network stack, not loopback,
 * and a purchase through the edge lands in the core's books. Skipped only when the machine does
 * not permit {@code ip netns}.
 */
class EdgeInNamespaceTest
{
    private static final String NAMESPACE = "fsedge-e1";
    private static final String CORE_VETH = "fsedgec";
    private static final String EDGE_VETH = "fsedgee";
    private static final String CORE_ADDRESS = "10.213.8.1";
    private static final String EDGE_ADDRESS = "10.213.8.2";
    private static final Duration START = Duration.ofSeconds(90);
    private static final Pattern PORT = Pattern.compile("port (\\d+)");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final TokenIssuer tokens = new TokenIssuer(TestServer.SECRET);

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void anEdgeInItsOwnNamespaceSellsThroughACoreAcrossAVethPair() throws Exception
    {
        // Left over by a run that was killed: start clean (errors ignored).
        run("ip", "link", "del", CORE_VETH);
        run("ip", "netns", "del", NAMESPACE);
        Assumptions.assumeTrue(run("ip", "netns", "add", NAMESPACE) == 0, "ip netns is not permitted here");
        final List<ChildServer> children = new ArrayList<>();
        try
        {
            assertThat(run("ip", "link", "add", CORE_VETH, "type", "veth", "peer", "name", EDGE_VETH)).isZero();
            assertThat(run("ip", "link", "set", EDGE_VETH, "netns", NAMESPACE)).isZero();
            assertThat(run("ip", "addr", "add", CORE_ADDRESS + "/30", "dev", CORE_VETH)).isZero();
            assertThat(run("ip", "-n", NAMESPACE, "addr", "add", EDGE_ADDRESS + "/30", "dev", EDGE_VETH)).isZero();
            assertThat(run("ip", "link", "set", CORE_VETH, "up")).isZero();
            assertThat(run("ip", "-n", NAMESPACE, "link", "set", EDGE_VETH, "up")).isZero();
            assertThat(run("ip", "-n", NAMESPACE, "link", "set", "lo", "up")).isZero();

            final Path secret = Files.write(dir.resolve("secret"), TestServer.SECRET);
            final ChildServer core = ChildServer.start(List.of("-Xmx256m"), ServerMain.class, dir.resolve("core.err"),
                "serve", "--host", CORE_ADDRESS, "--port", "0", "--journal", dir.resolve("journal").toString(),
                "--secret-file", secret.toString(), "--edge-link", CORE_ADDRESS + ":0");
            children.add(core);
            final String coreBase = "http://" + CORE_ADDRESS + ":" + core.awaitLine("flashsale serving on port", START);
            final String link = core.awaitLine("flashsale edge link on", START);
            assertThat(link).startsWith(CORE_ADDRESS + ":");

            final ChildServer edge = ChildServer.startWith(List.of("ip", "netns", "exec", NAMESPACE), List.of("-Xmx192m"),
                ServerMain.class, dir.resolve("edge.err"),
                "edge", "--core", link, "--host", EDGE_ADDRESS, "--port", "0", "--edge-id", "5", "--secret-file", secret.toString());
            children.add(edge);
            final Matcher port = PORT.matcher(edge.awaitLine("flashsale edge serving on", START));
            assertThat(port.find()).isTrue();
            final String edgeBase = "http://" + EDGE_ADDRESS + ":" + port.group(1);

            final long sale = createSale(coreBase);
            await(edgeBase + "/api/sales/" + sale);
            final HttpResponse<String> bought = purchase(edgeBase, sale, "nina");
            assertThat(bought.statusCode()).as(bought.body()).isEqualTo(201);
            final long order = TestServer.JSON.readTree(bought.body()).get("orderId").asLong();
            final HttpResponse<String> inspected = get(coreBase + "/admin/orders/" + order, token("root", Role.ADMIN));
            assertThat(inspected.statusCode()).as(inspected.body()).isEqualTo(200);
            assertThat(TestServer.JSON.readTree(inspected.body()).get("shopper").asText()).isEqualTo("nina");
            // The core saw the edge arrive from the namespace's address, over the veth pair.
            assertThat(core.stderrText()).contains("edge 5 joined from " + EDGE_ADDRESS + ":");
        }
        finally
        {
            for (final ChildServer child : children)
            {
                child.close();
            }
            run("ip", "link", "del", CORE_VETH);
            run("ip", "netns", "del", NAMESPACE);
        }
    }

    private long createSale(final String core) throws Exception
    {
        final Instant start = Instant.now().minusSeconds(1);
        final HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(core + "/admin/sales"))
            .header("Authorization", "Bearer " + token("root", Role.ADMIN))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"veth sale\",\"stock\":10,\"startsAt\":\"" + start + "\",\"endsAt\":\"" +
                start.plus(Duration.ofHours(1)) + "\",\"perUserLimit\":1,\"paymentWindowSeconds\":3600}"))
            .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return TestServer.JSON.readTree(created.body()).get("id").asLong();
    }

    /** Retried with the same Idempotency-Key while the edge says it lost its core for a moment. */
    private HttpResponse<String> purchase(final String edge, final long sale, final String shopper) throws Exception
    {
        final String key = new PurchaseKeys(TestServer.SECRET).keyFor(sale, ShopperIds.userId(shopper));
        HttpResponse<String> answer = null;
        for (int attempt = 0; attempt < 20; attempt++)
        {
            answer = http.send(HttpRequest.newBuilder(URI.create(edge + "/api/sales/" + sale + "/purchase"))
                .header("Authorization", "Bearer " + token(shopper, Role.SHOPPER))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "veth-1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"qty\":1,\"key\":\"" + key + "\"}"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 503)
            {
                return answer;
            }
            Thread.sleep(250);
        }
        return answer;
    }

    private void await(final String url) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "no answer";
        while (System.nanoTime() < deadline)
        {
            final HttpResponse<String> answer = get(url, null);
            if (answer.statusCode() == 200)
            {
                return;
            }
            last = answer.statusCode() + " " + answer.body();
            Thread.sleep(20);
        }
        throw new AssertionError(url + " never answered 200; last: " + last);
    }

    private HttpResponse<String> get(final String url, final String token) throws Exception
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET().timeout(Duration.ofSeconds(20));
        if (token != null)
        {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String token(final String subject, final Role role)
    {
        return tokens.issue(subject, role, Instant.now().plus(Duration.ofHours(1)));
    }

    private static int run(final String... command) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        final int exit = process.waitFor();
        if (exit != 0)
        {
            System.out.println(String.join(" ", command) + " -> " + exit + " " + output);
        }
        return exit;
    }
}
