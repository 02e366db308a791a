package io.flashsale.bench.drill.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flashsale.bench.load.Answer;
import io.flashsale.bench.load.LoadRequest;
import io.flashsale.bench.load.Workload;
import io.flashsale.bench.scenario.Crowd;
import io.netty.handler.codec.http.HttpMethod;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A rush-like load for one crash cycle. Each arrival is a purchase of one unit by a random shopper
 * in one of the drill's sales, with its own Idempotency-Key; or, now and then, a pay or cancel of
 * an order reserved in an earlier cycle (so recovered orders move on). A reservation is then paid,
 * cancelled, clicked again (same key: must answer the same order) or left to expire. Every
 * acknowledgement goes into the loop's {@link CycleLog}.
 *
 * <p>Loop thread only.
 */
final class CrashWorkload implements Workload
{
    static final String PURCHASE = "purchase";
    static final String AGAIN = "purchase-again";
    static final String PAY = "pay";
    static final String CANCEL = "cancel";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long THINK_NANOS = 300_000_000L;

    private final Crowd crowd;
    private final DrillSales sales;
    private final List<Ack> earlier;
    private final int cycle;
    private final CycleLog log;
    private final SplittableRandom random;
    /** Reservations of this run, by the request tag that follow-ups carry. */
    private final List<Ack> mine;

    /**
     * @param earlier orders reserved in earlier cycles and not closed; read-only here
     */
    CrashWorkload(final Crowd crowd, final DrillSales sales, final List<Ack> earlier, final int cycle, final CycleLog log, final long seed)
    {
        this.crowd = crowd;
        this.sales = sales;
        this.earlier = earlier;
        this.cycle = cycle;
        this.log = log;
        this.random = new SplittableRandom(seed);
        this.mine = log.reserved;
    }

    @Override
    public LoadRequest arrive(final long index)
    {
        if (!earlier.isEmpty() && random.nextInt(10) == 0)
        {
            final Ack old = earlier.get(random.nextInt(earlier.size()));
            return random.nextBoolean() ? pay(old.shopper, old.orderId) : cancel(old.shopper, old.orderId);
        }
        final int shopper = random.nextInt(crowd.size());
        final int sale = random.nextInt(10) < 3 ? DrillSales.LIMITED : DrillSales.OPEN;
        final String key = "c" + cycle + "-" + index;
        return purchase(PURCHASE, shopper, sale, key, index);
    }

    private LoadRequest purchase(final String step, final int shopper, final int sale, final String key, final long tag)
    {
        final long saleId = sales.id(sale);
        final byte[] body = ("{\"qty\":1,\"key\":\"" + sales.key(sale, shopper) + "\"}").getBytes(StandardCharsets.US_ASCII);
        return new LoadRequest(step, HttpMethod.POST, "/api/sales/" + saleId + "/purchase", crowd.authorization(shopper), body,
            shopper, tag, new String[] {"Idempotency-Key", key});
    }

    private LoadRequest pay(final int shopper, final long orderId)
    {
        log.payAsked.addLong(orderId);
        final byte[] body = ("{\"paymentRef\":\"drill-" + orderId + "\"}").getBytes(StandardCharsets.US_ASCII);
        return new LoadRequest(PAY, HttpMethod.POST, "/api/orders/" + orderId + "/pay", crowd.authorization(shopper), body, shopper, orderId);
    }

    private LoadRequest cancel(final int shopper, final long orderId)
    {
        log.cancelAsked.addLong(orderId);
        return new LoadRequest(CANCEL, HttpMethod.POST, "/api/orders/" + orderId + "/cancel", crowd.authorization(shopper), null, shopper, orderId);
    }

    @Override
    public String onAnswer(final LoadRequest request, final Answer answer, final FollowUps followUps)
    {
        return switch (request.step)
        {
            case PURCHASE -> onPurchase(request, answer, followUps);
            case AGAIN -> onAgain(request, answer);
            case PAY -> onClose(request, answer, log.paid, "PAID");
            case CANCEL -> onClose(request, answer, log.cancelled, "CANCELLED");
            default -> throw new IllegalStateException("not a crash drill step: " + request.step);
        };
    }

    private String onPurchase(final LoadRequest request, final Answer answer, final FollowUps followUps)
    {
        if (answer.status() != 201)
        {
            if (answer.status() == 503 && io.flashsale.bench.edge.RetriedPurchases.outcomeNotKnown(outcome(answer)))
            {
                // An edge lost the link with the command on it, or nginx lost the edge: it may have been applied.
                final long saleId = saleOf(request.path);
                log.unknownPurchases.put(saleId, log.unknownPurchases.get(saleId) + 1);
            }
            return label(answer);
        }
        final JsonNode order = parse(answer);
        final long saleId = order.path("saleId").asLong();
        final Ack ack = new Ack(order.path("orderId").asLong(), saleId, (int)request.shopper, order.path("qty").asInt(),
            request.headers[1], Instant.parse(order.path("paymentDeadline").asText()).toEpochMilli(), cycle);
        mine.add(ack);
        log.firstReservation.countDown();
        final int draw = random.nextInt(10);
        final long think = random.nextLong(THINK_NANOS);
        final int sale = saleId == sales.id(DrillSales.LIMITED) ? DrillSales.LIMITED : DrillSales.OPEN;
        if (draw < 5)
        {
            followUps.after(think, pay(ack.shopper, ack.orderId));
        }
        else if (draw < 7)
        {
            followUps.after(think, cancel(ack.shopper, ack.orderId));
        }
        else if (draw < 8)
        {
            // A double click: the same key again, tagged with the order it must answer.
            followUps.after(think, purchase(AGAIN, ack.shopper, sale, ack.idempotencyKey, ack.orderId));
        }
        return "201 RESERVED";
    }

    private String onAgain(final LoadRequest request, final Answer answer)
    {
        if (answer.status() == 201)
        {
            final long orderId = parse(answer).path("orderId").asLong();
            if (orderId != request.tag)
            {
                log.idempotencyViolations.add("key " + request.headers[1] + " reserved order " + request.tag + ", repeated it answered order " + orderId);
            }
            else
            {
                log.duplicatesConfirmed++;
            }
            return "201 DUPLICATE";
        }
        // The server may shed the repeat before it reaches the engine (503, 429); a definite other answer is wrong.
        if (answer.status() != 503 && answer.status() != 429)
        {
            log.idempotencyViolations.add("key " + request.headers[1] + " reserved order " + request.tag + ", repeated it answered "
                + answer.status() + " " + answer.body());
        }
        return label(answer);
    }

    private String onClose(final LoadRequest request, final Answer answer, final org.agrona.collections.LongArrayList into, final String success)
    {
        if (answer.status() == 200)
        {
            into.addLong(request.tag);
            return "200 " + success;
        }
        return label(answer);
    }

    @Override
    public void onError(final LoadRequest request, final String error, final FollowUps followUps)
    {
        if (request.step.equals(PURCHASE))
        {
            final long saleId = saleOf(request.path);
            log.unknownPurchases.put(saleId, log.unknownPurchases.get(saleId) + 1);
        }
    }

    private static long saleOf(final String purchasePath)
    {
        // "/api/sales/{id}/purchase"
        final int start = "/api/sales/".length();
        return Long.parseLong(purchasePath.substring(start, purchasePath.indexOf('/', start)));
    }

    private static JsonNode parse(final Answer answer)
    {
        try
        {
            return JSON.readTree(answer.body());
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("a " + answer.status() + " answer that is not JSON: " + answer.body(), ex);
        }
    }

    private static String outcome(final Answer answer)
    {
        return io.flashsale.bench.scenario.JsonPeek.stringField(answer.body(), "outcome");
    }

    /** "410 SOLD_OUT", from the problem's outcome; the status alone when there is none. */
    static String label(final Answer answer)
    {
        try
        {
            final JsonNode body = JSON.readTree(answer.body());
            final String outcome = body == null ? null : body.path("outcome").asText(null);
            return answer.status() + (outcome == null ? "" : " " + outcome);
        }
        catch (final IOException ex)
        {
            return answer.status() + " (not JSON)";
        }
    }
}
