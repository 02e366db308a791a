package io.flashsale.http.api;

import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.order.OrderState;
import io.flashsale.engine.sale.SaleView;
import io.flashsale.http.auth.Principal;
import io.flashsale.http.body.JsonFields;
import io.flashsale.http.route.Route;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import org.xnio.XnioExecutor;

import java.io.ByteArrayOutputStream;

/**
 * One request on its way through the filter chain ({@link Api}): what the filters found out
 * (route, id, principal, sale, parsed body), and, for commands sent to the core, the result the
 * bridge copies in before it hands this request back to the exchange's IO thread as a
 * {@link Runnable}. That hand-off is the only synchronisation: fields written before
 * {@code execute} are visible to {@link #run()}. Requests answered by one hand-off are chained
 * through {@link #nextInBatch}.
 *
 * <p>A flat mutable object, like the ring's command event: each group of fields says which step
 * writes it; later steps only read it. The one object the front allocates per request (besides
 * what Undertow and Jackson need). Attached to the exchange under {@link #KEY}.
 *
 * <p>The exchange's IO thread only, with one exception: while a command is with the core, the
 * bridge's thread writes the result ({@link #result}) and {@link #nextInBatch}, then hands the
 * request back to the IO thread.
 */
public final class RequestState implements Runnable
{
    public static final AttachmentKey<RequestState> KEY = AttachmentKey.create(RequestState.class);
    private static final System.Logger LOG = System.getLogger(RequestState.class.getName());

    // ---- set by the router (Api)
    public final HttpServerExchange exchange;
    public final Route route;
    public final long startNanos;
    /** The path's {id}: a sale or an order, 0 when the route has none. */
    public final long id;

    // ---- set by the filters
    /** Authenticate. */
    public Principal principal;
    /** SaleGate: the sale's published view, open (or sold out for a key). */
    public SaleView sale;
    /** IdempotencyCheck: the Idempotency-Key's hash, 0 without one. */
    public long idempotencyKey;

    // ---- set by the body readers
    public int qty;
    public String purchaseKey;
    public String paymentRef;
    /** The strictly parsed body, for the routes that read it at their end (create sale, demo token). */
    public JsonFields body;

    // ---- ReadBody's own progress through the body's parts
    /** The body's first part, kept as it is: most bodies come in one part and an empty last one. */
    public byte[] bodyFirstPart;
    /** A body arriving in several non-empty parts; null while it came in one. */
    public ByteArrayOutputStream bodyParts;
    public boolean bodyRefused;
    public boolean bodyDone;
    /** Fires ReadBody's 408 if the body is not in by then; cancelled when it is. */
    public XnioExecutor.Key bodyDeadline;

    // ---- set by the publishing handler, then by the bridge with the core's result
    /** What to answer once the result is back, on the IO thread. */
    public Replier replier;
    public Outcome outcome;
    public long resultOrderId;
    public long resultSaleId;
    public int resultQty;
    public long resultDeadline;
    public OrderState resultState;
    /** An admin's order read only: the reservation time (Long.MIN_VALUE when not known) and the shopper's subject (null when not known). */
    public long resultReservedAt;
    public String resultSubject;
    /** The next request answered by the same hand-off to this request's IO thread (the bridge's). */
    public RequestState nextInBatch;

    public RequestState(final HttpServerExchange exchange, final Route route, final long id, final long startNanos)
    {
        this.exchange = exchange;
        this.route = route;
        this.id = id;
        this.startNanos = startNanos;
    }

    /** The core's answer to this request's command. The bridge's thread, before the hand-off. */
    public void result(
        final Outcome outcome, final long orderId, final long saleId, final int qty, final long deadline, final OrderState state)
    {
        this.outcome = outcome;
        this.resultOrderId = orderId;
        this.resultSaleId = saleId;
        this.resultQty = qty;
        this.resultDeadline = deadline;
        this.resultState = state;
    }

    /** What an admin's order read adds to the result. The bridge's thread, before the hand-off. */
    public void inspection(final long reservedAt, final String subject)
    {
        this.resultReservedAt = reservedAt;
        this.resultSubject = subject;
    }

    /** Answers the core's result of this request and of the requests chained after it; on their IO thread. */
    @Override
    public void run()
    {
        RequestState request = this;
        while (request != null)
        {
            final RequestState next = request.nextInBatch;
            request.nextInBatch = null;
            try
            {
                request.replier.reply(request);
            }
            catch (final RuntimeException ex)
            {
                // One failed answer must not strand the others in the chain; this exchange ends unanswered.
                LOG.log(System.Logger.Level.ERROR, "answering " + request.route + " failed", ex);
                request.exchange.endExchange();
            }
            request = next;
        }
    }

    /** Turns the core's result into the HTTP answer. IO thread. */
    @FunctionalInterface
    public interface Replier
    {
        void reply(RequestState request);
    }
}
