package io.flashsale.http.bridge;

import io.flashsale.engine.command.Outcome;
import io.flashsale.http.api.RequestState;

/**
 * The seam between the front's filter chain and the core: it sends one request's command to the
 * engine and brings the engine's answer back. The filters and the publishing handlers know only
 * this interface; {@link RingBridge} is the one for a core in the same process (the local ring),
 * and another transport (an edge forwarding to a remote core) would be another implementation.
 *
 * <p>The contract, for every method: it returns at once and never blocks. {@link Outcome#PENDING}
 * means the command is on its way; later, on any thread, the bridge copies the result into the
 * request ({@link RequestState#result}), frees the in-flight slot the caller took
 * ({@code FrontContext.inFlight()}), and hands the request to its exchange's IO thread as a task,
 * which answers it through {@link RequestState#replier}. Any other outcome (BUSY, SHUTTING_DOWN,
 * INVALID) means nothing was sent and nothing comes back: the caller frees its slot and answers.
 *
 * <p>IO threads call it; implementations must take concurrent calls.
 */
public interface CommandBridge
{
    Outcome purchase(long saleId, long userId, int qty, long idempotencyKey, RequestState request);

    Outcome pay(long orderId, long userId, String paymentRef, RequestState request);

    Outcome cancel(long orderId, long userId, RequestState request);

    /** Reads an order for its owner through the core, so the answer is never stale. */
    Outcome queryOrder(long orderId, long userId, RequestState request);

    Outcome createSale(
        String name, long stock, long startsAtMillis, long endsAtMillis, int perUserLimit, long paymentWindowMillis,
        RequestState request);
}
