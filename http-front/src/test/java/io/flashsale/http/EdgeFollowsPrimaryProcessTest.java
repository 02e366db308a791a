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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A primary ({@code serve --replication-link --edge-link}), its hot standby ({@code standby
 * --primary --edge-link}) and an edge given both ({@code edge --core A --core B}), as real
 * processes: purchases through the edge land on the primary; the primary is killed with SIGKILL
 * under load through the edge, which answers 503 (never anything else) until the standby is
 * promoted ({@code promote --node}); then the edge follows the new primary by itself and its
 * purchases land there; every purchase the edge acknowledged is on the new primary; and the old
 * primary started again on its old journal, claiming the primary of the older epoch, is heard by
 * the edge but never sent a command.
 */
class EdgeFollowsPrimaryProcessTest
{
    private static final byte[] SECRET = "edge-follows-primary-test-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final Pattern EDGE_PORT = Pattern.compile("port (\\d+)");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final TokenIssuer tokens = new TokenIssuer(SECRET);
    private final PurchaseKeys keys = new PurchaseKeys(SECRET);
    private final String admin = tokens.issue("root", Role.ADMIN, Instant.now().plus(Duration.ofHours(1)));
    private final List<ChildServer> children = new ArrayList<>();

    @AfterEach
    void stopChildren() throws InterruptedException
    {
        for (final ChildServer child : children)
        {
            child.close();
        }
        try (var logs = Files.list(dir))
        {
            logs.filter(file -> file.toString().endsWith(".err")).sorted().forEach(file -> {
                try
                {
                    final String text = Files.readString(file);
                    System.out.println("==== " + file.getFileName() + "\n" + text.substring(Math.max(0, text.length() - 6_000)));
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
    void theEdgeFollowsThePromotedStandbyAndIgnoresTheOldPrimaryComingBackInTheOlderEpoch() throws Exception
    {
        final Path secret = Files.write(dir.resolve("secret"), SECRET);
        final Path config = Files.writeString(dir.resolve("flashsale.yml"), String.join("\n",
            "server: {host: 127.0.0.1, ioThreads: 2}",
            "limits: {enabled: false}",
            "admission: {enabled: false}",
            ""));
        final String replicationLink = "127.0.0.1:" + freeUdpPort();
        final String primaryEdgeLink = "127.0.0.1:" + freeUdpPort();
        final String standbyEdgeLink = "127.0.0.1:" + freeUdpPort();
        final Path primaryJournal = dir.resolve("primary");
        final ChildServer primary = start("primary", "serve", "--config", config.toString(), "--port", "0",
            "--journal", primaryJournal.toString(), "--secret-file", secret.toString(),
            "--replication-link", replicationLink, "--replication", "sync", "--edge-link", primaryEdgeLink);
        final String primaryBase = "http://127.0.0.1:" + primary.awaitLine("flashsale serving on port", PATIENCE);
        final ChildServer standby = start("standby", "standby", "--config", config.toString(), "--port", "0",
            "--journal", dir.resolve("standby").toString(), "--secret-file", secret.toString(),
            "--primary", replicationLink, "--edge-link", standbyEdgeLink);
        final String standbyBase = "http://127.0.0.1:" + standby.awaitLine("flashsale standby serving reads on port", PATIENCE);
        assertThat(standby.awaitLine("flashsale edge link on", PATIENCE)).isEqualTo(standbyEdgeLink);
        awaitJson(primaryBase + "/health/ready", ready -> ready.path("replication").path("inSync").asBoolean(), "the standby in sync");

        final ChildServer edgeProcess = start("edge", "edge", "--config", config.toString(), "--core", primaryEdgeLink,
            "--core", standbyEdgeLink, "--port", "0", "--edge-id", "5", "--secret-file", secret.toString());
        final Matcher port = EDGE_PORT.matcher(edgeProcess.awaitLine("flashsale edge serving on", PATIENCE));
        assertThat(port.find()).isTrue();
        final String edge = "http://127.0.0.1:" + port.group(1);
        final long sale = createSale(primaryBase);
        awaitStatus(edge + "/api/sales/" + sale, 200);
        awaitMetric(edge, "flashsale_link_cores_heard", 2);
        assertThat(metric(edge, "flashsale_link_primary_epoch")).isEqualTo(1);
        // The standby's link is open to the edge too, which sends it nothing.
        awaitMetric(standbyBase, "flashsale_link_edges_joined", 1);

        // Through the edge, purchases land on the primary.
        final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 20; i++)
        {
            final HttpResponse<String> bought = purchase(edge, sale, "before-" + i);
            assertThat(bought.statusCode()).as(bought.body()).isEqualTo(201);
            final long order = orderId(bought);
            assertThat(get(primaryBase + "/admin/orders/" + order, admin).statusCode()).isEqualTo(200);
            acknowledged.add(order);
        }
        assertThat(metric(standbyBase, "flashsale_link_commands_received_total")).isZero();

        // Load through the edge; the primary dies under it. Every answer is a 201 or an honest 503.
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicInteger refused = new AtomicInteger();
        final List<String> unexpected = new ArrayList<>();
        final List<Thread> buyers = new ArrayList<>();
        for (int t = 0; t < 2; t++)
        {
            final int thread = t;
            final Thread buyer = new Thread(() -> {
                for (int i = 0; !stop.get(); i++)
                {
                    try
                    {
                        final HttpResponse<String> answer = purchase(edge, sale, "load-" + thread + "-" + i);
                        if (answer.statusCode() == 201)
                        {
                            acknowledged.add(orderId(answer));
                        }
                        else if (answer.statusCode() == 503 && answer.headers().firstValue("Retry-After").isPresent())
                        {
                            refused.incrementAndGet();
                        }
                        else
                        {
                            synchronized (unexpected)
                            {
                                unexpected.add(answer.statusCode() + " " + answer.body());
                            }
                        }
                    }
                    catch (final Exception ex)
                    {
                        synchronized (unexpected)
                        {
                            unexpected.add(ex.toString());
                        }
                        return;
                    }
                }
            }, "buyer-" + t);
            buyer.start();
            buyers.add(buyer);
        }
        awaitTrue(() -> acknowledged.size() >= 120, "purchases under load");
        primary.process.destroyForcibly();
        primary.process.waitFor(30, TimeUnit.SECONDS);
        awaitStatus(edge + "/health/ready", 503);
        final HttpResponse<String> whileNone = purchase(edge, sale, "while-none");
        assertThat(whileNone.statusCode()).as(whileNone.body()).isEqualTo(503);
        assertThat(whileNone.headers().firstValue("Retry-After")).isPresent();
        assertThat(json(whileNone).get("outcome").asText()).isEqualTo("CORE_UNAVAILABLE");
        stop.set(true);
        for (final Thread buyer : buyers)
        {
            buyer.join(60_000);
        }
        assertThat(unexpected).isEmpty();

        // Promoted, the standby is the primary of epoch 2: the edge follows it without a restart.
        final ChildServer promote = start("promote", "promote", "--node", standbyBase, "--secret-file", secret.toString());
        assertThat(promote.awaitExit(PATIENCE)).as(promote.stderrText()).isZero();
        final long promotedAt = System.nanoTime();
        awaitStatus(edge + "/health/ready", 200);
        final HttpResponse<String> after = purchase(edge, sale, "after-promotion");
        System.out.println("the edge took a purchase on the new primary " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - promotedAt) +
            " ms after `promote` returned");
        assertThat(after.statusCode()).as(after.body()).isEqualTo(201);
        assertThat(get(standbyBase + "/admin/orders/" + orderId(after), admin).statusCode()).isEqualTo(200);
        assertThat(metric(edge, "flashsale_link_primary_epoch")).isEqualTo(2);
        assertThat(metric(edge, "flashsale_link_core_switches_total")).isEqualTo(1);

        // Every purchase the edge acknowledged is on the new primary.
        for (final long order : acknowledged)
        {
            final HttpResponse<String> found = get(standbyBase + "/admin/orders/" + order, admin);
            assertThat(found.statusCode()).as("order %d on the new primary: %s", order, found.body()).isEqualTo(200);
        }
        System.out.println(acknowledged.size() + " acknowledged orders checked on the new primary; " + refused.get() +
            " purchases answered 503 around the kill");

        // The old primary back on its journal and edge address, the primary of epoch 1 by its own account: ignored.
        final ChildServer oldPrimary = start("old-primary", "serve", "--config", config.toString(), "--port", "0",
            "--journal", primaryJournal.toString(), "--secret-file", secret.toString(),
            "--replication-link", "127.0.0.1:" + freeUdpPort(), "--edge-link", primaryEdgeLink);
        final String oldBase = "http://127.0.0.1:" + oldPrimary.awaitLine("flashsale serving on port", PATIENCE);
        awaitMetric(oldBase, "flashsale_link_edges_joined", 1);
        awaitMetric(edge, "flashsale_link_cores_heard", 2);
        for (int i = 0; i < 20; i++)
        {
            final HttpResponse<String> bought = purchase(edge, sale, "epoch-2-" + i);
            assertThat(bought.statusCode()).as(bought.body()).isEqualTo(201);
            assertThat(get(standbyBase + "/admin/orders/" + orderId(bought), admin).statusCode()).isEqualTo(200);
        }
        assertThat(metric(oldBase, "flashsale_link_commands_received_total")).isZero();
        assertThat(metric(edge, "flashsale_link_primary_epoch")).isEqualTo(2);
    }

    private ChildServer start(final String name, final String... args) throws IOException
    {
        final ChildServer child = ChildServer.start(List.of(name.equals("promote") ? "-Xmx64m" : "-Xmx256m"), ServerMain.class,
            dir.resolve(name + ".err"), args);
        children.add(child);
        return child;
    }

    private long createSale(final String base) throws Exception
    {
        final Instant start = Instant.now().minusSeconds(1);
        final HttpResponse<String> created = post(base + "/admin/sales", admin, "{\"name\":\"Drop\",\"stock\":100000,\"startsAt\":\"" + start +
            "\",\"endsAt\":\"" + start.plus(Duration.ofHours(1)) + "\",\"perUserLimit\":5,\"paymentWindowSeconds\":600}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created).get("id").asLong();
    }

    private HttpResponse<String> purchase(final String base, final long sale, final String shopper) throws Exception
    {
        return post(base + "/api/sales/" + sale + "/purchase", tokens.issue(shopper, Role.SHOPPER, Instant.now().plus(Duration.ofHours(1))),
            "{\"qty\":1,\"key\":\"" + keys.keyFor(sale, ShopperIds.userId(shopper)) + "\"}");
    }

    private static long orderId(final HttpResponse<String> answer) throws IOException
    {
        return json(answer).get("orderId").asLong();
    }

    private static JsonNode json(final HttpResponse<String> answer) throws IOException
    {
        return TestServer.JSON.readTree(answer.body());
    }

    private HttpResponse<String> post(final String url, final String token, final String body) throws Exception
    {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(final String url, final String token) throws Exception
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        if (token != null)
        {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private long metric(final String base, final String name) throws Exception
    {
        final String metrics = get(base + "/metrics", null).body();
        final String line = metrics.lines().filter(l -> l.startsWith(name + " ")).findFirst()
            .orElseThrow(() -> new AssertionError("no " + name + " in " + metrics));
        return (long)Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    private void awaitMetric(final String base, final String name, final long value) throws Exception
    {
        awaitTrue(() -> metric(base, name) == value, name + " = " + value + " at " + base);
    }

    private void awaitStatus(final String url, final int status) throws Exception
    {
        awaitTrue(() -> get(url, null).statusCode() == status, url + " answering " + status);
    }

    private void awaitJson(final String url, final Predicate<JsonNode> wanted, final String what) throws Exception
    {
        awaitTrue(() -> wanted.test(TestServer.JSON.readTree(get(url, null).body())), what);
    }

    @FunctionalInterface
    private interface Check
    {
        boolean holds() throws Exception;
    }

    private static void awaitTrue(final Check check, final String what) throws Exception
    {
        final long deadline = System.nanoTime() + PATIENCE.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline)
        {
            try
            {
                if (check.holds())
                {
                    return;
                }
            }
            catch (final IOException ex)
            {
                last = ex;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("never: " + what + (last == null ? "" : "; last: " + last));
    }

    private static int freeUdpPort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
