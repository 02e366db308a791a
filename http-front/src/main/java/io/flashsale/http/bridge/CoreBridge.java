package io.flashsale.http.bridge;

import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.sale.SaleViews;
import io.flashsale.http.api.RequestState;
import io.flashsale.http.reply.Problem;

/**
 * The seam between the front's handlers and the core: whether the core is there, the sales as the
 * engine last published them, and the commands, sent one request at a time with the engine's
 * answer brought back. The filters, the publishing handlers and the local answers know only this
 * interface; {@link RingBridge} is the one for a core in the same process (the local ring), and
 * another transport (an edge forwarding to a remote core) would be another implementation.
 *
 * <p>The contract of the commands: each returns at once and never blocks. {@link Outcome#PENDING}
 * means the command is on its way; later, on any thread, the bridge copies the result into the
 * request ({@link RequestState#result}), frees the in-flight slot the caller took
 * ({@code FrontContext.inFlight()}), and hands the request to its exchange's IO thread as a task,
 * which answers it through {@link RequestState#replier}. Any other outcome (BUSY, SHUTTING_DOWN,
 * INVALID) means nothing was sent and nothing comes back: the caller frees its slot and answers.
 *
 * <p>IO threads call it; implementations must take concurrent calls.
 */
public interface CoreBridge
{
    /** True once the core can take commands (recovered, reachable); before, the API answers 503 not ready. */
    boolean isReady();

    /** What a request that needs the core is answered while {@link #isReady()} is false (503, with Retry-After). */
    default Problem notReadyProblem()
    {
        return Problem.NOT_READY;
    }

    /** The detail of {@link #notReadyProblem()}. */
    default String notReadyDetail()
    {
        return "the engine is still being assembled (recovery)";
    }

    /** True while the core takes commands: ready and not shutting down. */
    boolean isAccepting();

    /** The sales as the engine last published them, read without locks. Only once ready. */
    SaleViews views();

    /**
     * @param subject the token's subject (the shop's id for the shopper, which {@code userId}
     *                hashes): journaled with the purchase so that followers can say who bought
     */
    Outcome purchase(long saleId, long userId, String subject, int qty, long idempotencyKey, RequestState request);

    Outcome pay(long orderId, long userId, String paymentRef, RequestState request);

    Outcome cancel(long orderId, long userId, RequestState request);

    /** Reads an order for its owner through the core, so the answer is never stale. */
    Outcome queryOrder(long orderId, long userId, RequestState request);

    /**
     * Reads any order for an admin through the core, without the owner check; the result also
     * carries the reservation time and the shopper's subject ({@link RequestState#resultSubject}).
     */
    Outcome inspectOrder(long orderId, RequestState request);

    Outcome createSale(
        String name, long stock, long startsAtMillis, long endsAtMillis, int perUserLimit, long paymentWindowMillis,
        RequestState request);
}
