package io.flashsale.http;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.sale.SaleCounts;
import io.flashsale.engine.sale.SaleView;
import io.flashsale.http.auth.PurchaseKeys;
import io.flashsale.http.auth.Role;
import io.flashsale.http.auth.ShopperIds;
import io.flashsale.http.auth.TokenIssuer;
import io.flashsale.http.config.AuthSecret;
import io.flashsale.http.config.ServerConfig;
import io.flashsale.http.edge.EdgeServer;
import io.flashsale.journal.link.LinkEndpoint;
import io.flashsale.journal.link.LinkHandler;
import io.flashsale.journal.link.LinkServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An edge whose core takes a command and never answers it (a core that dies with the command in
 * it looks the same from the edge): the shopper is told 503 outcome-unknown, "retry with the same
 * Idempotency-Key", never bought and never failed; and a core that answers BUSY at once makes the
 * edge answer 503 busy. The core here is a bare {@link LinkServer} over real Aeron, so the test
 * holds the outcome in its hand.
 */
class EdgeOutcomeUnknownTest
{
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aCommandTheCoreNeverAnswersIs503OutcomeUnknownAndARefusedOneIs503Busy() throws Exception
    {
        final long start = System.currentTimeMillis() - 1_000;
        final SaleView sale = new SaleView(1, "held", 10, start, start + 3_600_000, 2, 60_000);
        final SaleCounts counts = new SaleCounts();
        counts.available = 10;
        final AtomicInteger received = new AtomicInteger();
        final AtomicReference<LinkServer> core = new AtomicReference<>();
        final LinkHandler handler = (edgeId, correlationId, command) -> {
            // The first command is kept and never answered; the second is refused at once, as a full ring is.
            if (received.incrementAndGet() > 1)
            {
                final CommandEvent busy = new CommandEvent();
                busy.outcome = Outcome.BUSY;
                core.get().sendOutcome(edgeId, correlationId, busy);
            }
        };
        try (LinkServer server = LinkServer.launch(new LinkServer.Config()
                .endpoint(new LinkEndpoint("127.0.0.1", 0))
                .secret(TestServer.SECRET)
                .viewSource(link -> {
                    link.broadcastView(sale, counts);
                    link.broadcastAdmission(1, 1.0);
                }), handler))
        {
            core.set(server);
            final ServerConfig config = TestServer.looseConfig();
            config.edge.core = java.util.List.of(server.endpoint().toString());
            config.edge.id = 4;
            // What is tested is a core that lives and never answers: a loaded machine's stall must not look like a lost core.
            config.edge.silenceIntervals = 40;
            try (EdgeServer edge = EdgeServer.start(config, AuthSecret.of(TestServer.SECRET, "the test")))
            {
                final String base = "http://127.0.0.1:" + edge.port();
                await().atMost(Duration.ofSeconds(60)).until(() -> get(base + "/api/sales/1").statusCode() == 200);

                final HttpResponse<String> unknown = purchase(base, "ursula");
                assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(503);
                assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
                assertThat(unknown.headers().firstValue("Retry-After")).isPresent();
                assertThat(TestServer.JSON.readTree(unknown.body()).get("type").asText())
                    .isEqualTo("https://flashsale.dev/problems/outcome-unknown");
                assertThat(TestServer.JSON.readTree(unknown.body()).get("detail").asText())
                    .contains("retry with the same Idempotency-Key");

                final HttpResponse<String> busy = purchase(base, "bruno");
                assertThat(busy.statusCode()).as(busy.body()).isEqualTo(503);
                assertThat(TestServer.JSON.readTree(busy.body()).get("outcome").asText()).isEqualTo("BUSY");
                assertThat(received.get()).isEqualTo(2);
            }
        }
    }

    private HttpResponse<String> purchase(final String base, final String shopper) throws Exception
    {
        final String token = new TokenIssuer(TestServer.SECRET).issue(shopper, Role.SHOPPER, Instant.now().plus(Duration.ofHours(1)));
        final String key = new PurchaseKeys(TestServer.SECRET).keyFor(1, ShopperIds.userId(shopper));
        return http.send(HttpRequest.newBuilder(URI.create(base + "/api/sales/1/purchase"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", shopper + "-1")
            .POST(HttpRequest.BodyPublishers.ofString("{\"qty\":1,\"key\":\"" + key + "\"}"))
            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(final String url) throws Exception
    {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
