package io.flashsale.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.flashsale.http.auth.Role;
import io.flashsale.http.auth.ShopperIds;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-based fuzzing of the whole HTTP surface without a framework: a seeded stream of random
 * and mutated requests ({@link HostileRequests}) at every route, each sent as raw bytes on its own
 * connection to a real server. For every request the properties must hold:
 * <ul>
 *   <li>never a 5xx, and never silence: a well-formed request gets an answer, a broken one an
 *       answer or a closed connection, both within a few seconds;</li>
 *   <li>every 4xx to a well-formed request is an RFC 9457 problem ({@code application/problem+json}
 *       with type, title, status, detail, outcome);</li>
 *   <li>the engine changes only by what was accepted: the books of every sale at the end equal the
 *       books at the start plus the effects of the 2xx answers, so nothing refused changed them;</li>
 *   <li>the server is alive and sells throughout.</li>
 * </ul>
 * The seed is printed; {@code -Dflashsale.fuzz.seed=N} replays a run, {@code -Dflashsale.fuzz.requests=N}
 * changes its length.
 */
class HostileInputFuzzTest
{
    private static final int REQUESTS = Integer.getInteger("flashsale.fuzz.requests", 3_000);
    private static final int ANSWER_MILLIS = 5_000;

    /** Units of one sale as the books should show them. */
    private static final class Expected
    {
        long stock;
        long reserved;
        long paid;
        long cancelled;
    }

    @Test
    void hostileRequestsGetRealAnswersAndOnlyWhatWasAcceptedChangesTheBooks() throws Exception
    {
        final long seed = Long.getLong("flashsale.fuzz.seed", new SplittableRandom().nextLong());
        System.out.println("HostileInputFuzzTest: seed " + seed + ", " + REQUESTS + " requests (replay: -Dflashsale.fuzz.seed=" + seed + ")");
        try (TestServer s = new TestServer(config ->
        {
            // The draw would answer 503 now and then; here every refusal must be the request's own fault.
            config.admission.enabled = false;
            config.server.requestParseTimeoutMillis = 300;
            config.server.bodyTimeoutMillis = 300;
        }, new ServerEnvironment().demo(true)))
        {
            final Map<Long, Expected> books = new TreeMap<>();
            final long open = sale(s, books, 1_000, 0);
            final long future = sale(s, books, 50, 3_600_000);
            final long soldOut = sale(s, books, 1, 0);
            final String[] shoppers = {"alice", "bob", "carol", "dave"};
            final List<Long> orders = new ArrayList<>();
            orders.add(buy(s, books, open, "alice", 1));
            orders.add(buy(s, books, open, "bob", 2));
            orders.add(buy(s, books, soldOut, "carol", 1));
            orders.add(buy(s, books, open, "dave", 1));
            final String[] tokens = new String[shoppers.length];
            for (int i = 0; i < shoppers.length; i++)
            {
                tokens[i] = s.shopper(shoppers[i]);
            }
            final Instant now = Instant.ofEpochMilli(s.clock.get());
            final HostileRequests requests = new HostileRequests(new HostileRequests.World(open, future, soldOut,
                orders.stream().mapToLong(Long::longValue).toArray(), shoppers, tokens, s.admin,
                s.server.tokenIssuer().issue("alice", Role.SHOPPER, now.minusSeconds(60)),
                new io.flashsale.http.auth.TokenIssuer("not-the-servers-secret-not-the-servers-secret".getBytes(StandardCharsets.UTF_8))
                    .issue("alice", Role.ADMIN, now.plusSeconds(3600)),
                (sale, shopper) -> s.server.purchaseKeys().keyFor(sale, ShopperIds.userId(shoppers[shopper]))));

            final List<String> failures = new ArrayList<>();
            final Map<String, Integer> statuses = new TreeMap<>();
            for (int i = 0; i < REQUESTS && failures.size() < 20; i++)
            {
                final long requestSeed = seed + i;
                final HostileRequests.Hostile request = requests.make(requestSeed);
                final String where = "request " + i + " (seed " + seed + "): " + request.summary();
                final RawHttp.Response answer;
                try (RawHttp http = new RawHttp(s.server.port()))
                {
                    http.send(request.bytes());
                    answer = http.read(ANSWER_MILLIS, request.head());
                }
                catch (final SocketTimeoutException silence)
                {
                    failures.add(where + "\n    -> no answer and the connection still open after " + ANSWER_MILLIS + " ms");
                    continue;
                }
                statuses.merge((request.wellFormed() ? "" : "broken ") + (answer == null ? "closed" : Integer.toString(answer.status())), 1, Integer::sum);
                final String problem = check(request, answer);
                if (problem != null)
                {
                    failures.add(where + "\n    -> " + (answer == null ? "closed" : answer.status() + " " + answer.headers() + " " + abbreviate(answer.body())) + "\n    " + problem);
                }
                else if (answer != null && answer.status() / 100 == 2 && request.bytes().length > 4 && new String(request.bytes(), 0, 5, StandardCharsets.ISO_8859_1).equals("POST "))
                {
                    account(books, answer);
                }
                if (i % 500 == 499)
                {
                    assertThat(s.get("/health/ready", null).status()).as("ready after request %d (seed %d)", i, seed).isEqualTo(200);
                }
            }
            System.out.println("HostileInputFuzzTest: answers " + statuses);
            assertThat(failures).as("seed %d: requests whose answers broke a property", seed).isEmpty();

            // Alive and selling, and every sale's books are exactly the start plus what was accepted.
            assertThat(s.get("/health/ready", null).status()).isEqualTo(200);
            assertThat(s.purchase(open, "zoe", 1).status()).isEqualTo(201);
            books.get(open).reserved += 1;
            for (final Map.Entry<Long, Expected> sale : books.entrySet())
            {
                final JsonNode actual = s.adminSale(sale.getKey());
                final Expected expected = sale.getValue();
                assertThat(new long[] {actual.get("available").asLong(), actual.get("reserved").asLong(), actual.get("paid").asLong(),
                    actual.get("cancelled").asLong()})
                    .as("seed %d: books of sale %d (available, reserved, paid, cancelled)", seed, sale.getKey())
                    .containsExactly(expected.stock - expected.reserved - expected.paid, expected.reserved, expected.paid, expected.cancelled);
            }
            assertThat(s.get("/admin/sales", s.admin).json().size()).as("seed %d: sales", seed).isEqualTo(books.size());
        }
    }

    /** What is wrong with this answer to this request, or null. */
    private static String check(final HostileRequests.Hostile request, final RawHttp.Response answer) throws IOException
    {
        if (answer == null)
        {
            return request.wellFormed() ? "a well-formed request got no answer" : null;
        }
        if (answer.status() >= 500)
        {
            return "a 5xx";
        }
        if (!request.wellFormed() || answer.status() < 400)
        {
            return null;
        }
        if (!"application/problem+json".equals(answer.header("Content-Type")))
        {
            return "a 4xx without application/problem+json";
        }
        if (request.head())
        {
            return null;
        }
        final JsonNode problem;
        try
        {
            problem = TestServer.JSON.readTree(answer.body());
        }
        catch (final IOException ex)
        {
            return "a problem body that is not JSON";
        }
        if (problem == null || !problem.path("type").asText().startsWith("https://flashsale.dev/problems/")
            || problem.path("title").asText().isBlank() || problem.path("status").asInt() != answer.status()
            || problem.path("detail").asText().isBlank() || problem.path("outcome").asText().isBlank())
        {
            return "a problem without type, title, matching status, detail and outcome";
        }
        return null;
    }

    /** Folds an accepted POST into the expected books: a reservation, a payment, a cancellation or a new sale. */
    private static void account(final Map<Long, Expected> books, final RawHttp.Response answer) throws IOException
    {
        final JsonNode body = TestServer.JSON.readTree(answer.body());
        if (body == null || !body.isObject())
        {
            return;
        }
        if (body.has("orderId"))
        {
            final Expected sale = books.get(body.get("saleId").asLong());
            final long qty = body.get("qty").asLong();
            final String state = body.get("state").asText();
            if (answer.status() == 201 && !"true".equals(answer.header("Idempotent-Replayed")))
            {
                sale.reserved += qty;
            }
            else if (answer.status() == 200 && state.equals("PAID"))
            {
                sale.reserved -= qty;
                sale.paid += qty;
            }
            else if (answer.status() == 200 && state.equals("CANCELLED"))
            {
                sale.reserved -= qty;
                sale.cancelled += qty;
            }
        }
        else if (answer.status() == 201 && body.has("stock") && body.has("id"))
        {
            final Expected created = new Expected();
            created.stock = body.get("stock").asLong();
            books.put(body.get("id").asLong(), created);
        }
    }

    private static long sale(final TestServer s, final Map<Long, Expected> books, final long stock, final long startsInMillis)
    {
        final long id = s.createSale(stock, startsInMillis, 5, 3600);
        final Expected expected = new Expected();
        expected.stock = stock;
        books.put(id, expected);
        return id;
    }

    private static long buy(final TestServer s, final Map<Long, Expected> books, final long sale, final String shopper, final int qty)
    {
        final TestServer.Response bought = s.purchase(sale, shopper, qty);
        assertThat(bought.status()).as(bought.body()).isEqualTo(201);
        books.get(sale).reserved += qty;
        return bought.json().get("orderId").asLong();
    }

    private static String abbreviate(final String text)
    {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
