package io.flashsale.http.api;

import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.order.OrderState;
import io.flashsale.engine.sale.SaleView;
import io.flashsale.http.auth.Principal;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;

/**
 * One request on its way through the filter chain: what the filters found out (route, id,
 * principal, sale, parsed body), and, for commands sent to the ring, the result the reply thread
 * copies in before it hands this call back to the exchange's IO thread as a {@link Runnable}.
 * That hand-off is the only synchronisation: fields written before {@code execute} are visible
 * to {@link #run()}. Calls answered by one hand-off are chained through {@link #nextInBatch}.
 *
 * <p>The one object the front allocates per request (besides what Undertow and Jackson need).
 */
final class Call implements Runnable
{
    static final AttachmentKey<Call> KEY = AttachmentKey.create(Call.class);
    private static final System.Logger LOG = System.getLogger(Call.class.getName());

    final HttpServerExchange exchange;
    final Route route;
    final long startNanos;
    final long id;

    Principal principal;
    SaleView sale;

    // ---- parsed body
    int qty;
    String purchaseKey;
    long idempotencyKey;
    String paymentRef;
    JsonFields body;
    /** The body's first part, kept as it is: most bodies come in one part and an empty last one. */
    byte[] bodyFirstPart;
    /** A body arriving in several non-empty parts; null while it came in one. */
    java.io.ByteArrayOutputStream bodyParts;
    boolean bodyRefused;
    boolean bodyDone;
    /** Fires {@link ReadBody}'s 408 if the body is not in by then; cancelled when it is. */
    org.xnio.XnioExecutor.Key bodyDeadline;

    // ---- result, written by the reply thread
    Outcome outcome;
    long resultOrderId;
    long resultSaleId;
    int resultQty;
    long resultDeadline;
    OrderState resultState;
    /** What to answer once the result is back, on the IO thread. */
    Replier replier;
    /** The next call answered by the same hand-off to this call's IO thread ({@link RingReplies}). */
    Call nextInBatch;

    Call(final HttpServerExchange exchange, final Route route, final long id, final long startNanos)
    {
        this.exchange = exchange;
        this.route = route;
        this.id = id;
        this.startNanos = startNanos;
    }

    /** Answers the ring's result of this call and of the calls chained after it; on their IO thread. */
    @Override
    public void run()
    {
        Call call = this;
        while (call != null)
        {
            final Call next = call.nextInBatch;
            call.nextInBatch = null;
            try
            {
                call.replier.reply(call);
            }
            catch (final RuntimeException ex)
            {
                // One failed answer must not strand the others in the chain; this exchange ends unanswered.
                LOG.log(System.Logger.Level.ERROR, "answering " + call.route + " failed", ex);
                call.exchange.endExchange();
            }
            call = next;
        }
    }

    /** Turns a ring result into the HTTP answer. IO thread. */
    @FunctionalInterface
    interface Replier
    {
        void reply(Call call);
    }
}
