package io.flashsale.bench.drill.diskfull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flashsale.http.auth.PurchaseKeys;
import io.flashsale.http.auth.Role;
import io.flashsale.http.auth.ShopperIds;
import io.flashsale.http.auth.TokenIssuer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The drills' purchase load: {@code clients} threads, each buying one unit for a new shopper as
 * soon as its previous answer came (closed loop), every request bounded in time and carrying its
 * own Idempotency-Key. Each answer is tallied under the phase the drill was in when it was
 * sent; every 201 is kept as an acknowledged order (with when it was sent and answered) to look
 * for afterwards. A load may pause after a 503, as a client honouring Retry-After would, so that
 * a node refusing everything is not hammered by spinning clients. Phases are the drill's own enum
 * ({@link Phase} for the disk-full and failover drills); a load starts in {@link Phase#BEFORE}
 * unless told otherwise before {@link #start}.
 *
 * <p>{@link #start}, {@link #phase} and {@link #stop} from the drill's thread; the clients
 * run on their own threads.
 */
public final class PurchaseLoad
{
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * An order the server acknowledged (201), who bought it, with which Idempotency-Key, and when
     * (System.nanoTime) the purchase was sent and its answer came.
     */
    public record Ack(long orderId, String shopper, String idempotencyKey, long sentNanos, long answeredNanos)
    {
    }

    private final String base;
    private final long saleId;
    private final TokenIssuer tokens;
    private final PurchaseKeys keys;
    private final Duration bound;
    private final String shopperPrefix;
    private final long pauseAfter503Millis;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<Enum<?>, PhaseTally> tallies = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Ack> acknowledged = new ConcurrentLinkedQueue<>();
    private final List<Thread> clients = new ArrayList<>();
    private volatile Enum<?> phase = Phase.BEFORE;
    private volatile boolean running;

    public PurchaseLoad(final String base, final long saleId, final byte[] secret, final Duration bound)
    {
        this(base, saleId, secret, bound, "diskfull", 0);
    }

    /**
     * @param shopperPrefix       names this load's shoppers ({@code prefix-client-n}), so that two
     *                            loads on one sale never share a shopper
     * @param pauseAfter503Millis how long a client waits after a 503 before its next purchase
     */
    public PurchaseLoad(final String base, final long saleId, final byte[] secret, final Duration bound, final String shopperPrefix,
        final long pauseAfter503Millis)
    {
        this.shopperPrefix = shopperPrefix;
        this.pauseAfter503Millis = pauseAfter503Millis;
        this.base = base;
        this.saleId = saleId;
        this.tokens = new TokenIssuer(secret);
        this.keys = new PurchaseKeys(secret);
        this.bound = bound;
    }

    public void start(final int count)
    {
        running = true;
        for (int i = 0; i < count; i++)
        {
            final int client = i;
            final Thread thread = new Thread(() -> buy(client), "purchase-client-" + i);
            thread.setDaemon(true);
            clients.add(thread);
            thread.start();
        }
    }

    public void phase(final Enum<?> next)
    {
        phase = next;
    }

    /** Stops the clients and waits for their last answers (each bounded). */
    public void stop() throws InterruptedException
    {
        running = false;
        for (final Thread client : clients)
        {
            client.join(bound.toMillis() + 5_000);
        }
    }

    public PhaseTally tally(final Enum<?> of)
    {
        return tallies.computeIfAbsent(of, p -> new PhaseTally());
    }

    public List<Ack> acknowledged()
    {
        return List.copyOf(acknowledged);
    }

    private void buy(final int client)
    {
        final Instant expiry = Instant.now().plus(Duration.ofHours(2));
        long n = 0;
        while (running)
        {
            final String shopper = shopperPrefix + "-" + client + "-" + n++;
            final String idempotencyKey = shopper + "-1";
            final PhaseTally sentIn = tally(phase);
            final HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/sales/" + saleId + "/purchase"))
                .timeout(bound)
                .header("Authorization", "Bearer " + tokens.issue(shopper, Role.SHOPPER, expiry))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString("{\"qty\":1,\"key\":\"" + keys.keyFor(saleId, ShopperIds.userId(shopper)) + "\"}"))
                .build();
            final long sent = System.nanoTime();
            try
            {
                final HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                final long answered = System.nanoTime();
                sentIn.answered(kind(answer, shopper, idempotencyKey, sent, answered), TimeUnit.NANOSECONDS.toMillis(answered - sent));
                if (answer.statusCode() == 503 && pauseAfter503Millis > 0)
                {
                    Thread.sleep(pauseAfter503Millis);
                }
            }
            catch (final IOException ex)
            {
                // A timeout past the bound, or a connection the server dropped: no answer.
                sentIn.unanswered(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** "201" (and the order kept), or the status and the problem's outcome. */
    private String kind(final HttpResponse<String> answer, final String shopper, final String idempotencyKey, final long sent,
        final long answered)
    {
        final int status = answer.statusCode();
        JsonNode body = null;
        try
        {
            body = answer.body().isEmpty() ? null : JSON.readTree(answer.body());
        }
        catch (final IOException notJson)
        {
            return status + " (not JSON)";
        }
        if (status == 201 && body != null)
        {
            acknowledged.add(new Ack(body.path("orderId").asLong(), shopper, idempotencyKey, sent, answered));
            return PhaseTally.RESERVED;
        }
        return status + (body != null && body.has("outcome") ? " " + body.path("outcome").asText() : "");
    }
}
