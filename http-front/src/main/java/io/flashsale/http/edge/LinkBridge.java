package io.flashsale.http.edge;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.CommandType;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.sale.SaleViews;
import io.flashsale.http.api.RequestState;
import io.flashsale.http.bridge.CoreBridge;
import io.flashsale.http.limit.InFlightLimit;
import io.flashsale.http.reply.Problem;
import io.flashsale.journal.link.LinkClient;
import io.flashsale.journal.link.LinkEndpoint;
import io.flashsale.journal.link.OutcomeListener;

import java.util.concurrent.RejectedExecutionException;

/**
 * An edge's way to its core: the {@link CoreBridge} the front's filters and handlers use, over a
 * {@link LinkClient}. Ready while the core is heard (a core silent for 3 heartbeats makes every
 * route that needs it answer 503 core-unavailable at once, until the client has rejoined by
 * itself). The views are the client's copy of the core's; a command is registered under a fresh
 * correlation id and sent; its outcome, or "unknown" when the link was lost first, is copied into
 * the request and handed to the exchange's IO thread, as {@code RingReplies} does for a local ring.
 *
 * <p>Commands: IO threads, never blocking. {@link #onOutcome}, {@link #onOutcomeUnknown}: the
 * link client's agent thread. {@link #attach} once at start, before the HTTP listener starts.
 */
final class LinkBridge implements CoreBridge, OutcomeListener
{
    private static final System.Logger LOG = System.getLogger(LinkBridge.class.getName());
    /** Four times the client's in-flight cap (4,096): probes stay short, a put never fails. */
    private static final int PENDING_CAPACITY = 1 << 14;

    private final LinkEndpoint core;
    private final PendingCommands pending = new PendingCommands(PENDING_CAPACITY);
    /** One command to fill per IO thread; the client copies it before send returns. */
    private final ThreadLocal<CommandEvent> commands = ThreadLocal.withInitial(CommandEvent::new);
    private volatile LinkClient client;
    private volatile InFlightLimit inFlight;
    private volatile boolean closing;

    LinkBridge(final LinkEndpoint core)
    {
        this.core = core;
    }

    void attach(final LinkClient client, final InFlightLimit inFlight)
    {
        this.client = client;
        this.inFlight = inFlight;
    }

    /** New commands are refused (SHUTTING_DOWN); those in flight still get their answers. */
    void closing()
    {
        closing = true;
    }

    @Override
    public boolean isReady()
    {
        final LinkClient link = client;
        return link != null && link.isCoreAvailable();
    }

    @Override
    public boolean isAccepting()
    {
        return !closing && isReady();
    }

    @Override
    public Problem notReadyProblem()
    {
        return Problem.CORE_UNAVAILABLE;
    }

    @Override
    public String notReadyDetail()
    {
        return "this edge has not heard from its core (" + core + ") for 3 heartbeats; it rejoins by itself";
    }

    @Override
    public SaleViews views()
    {
        return client.views();
    }

    @Override
    public Outcome purchase(
        final long saleId, final long userId, final String subject, final int qty, final long idempotencyKey, final RequestState request)
    {
        final CommandEvent command = command(CommandType.PURCHASE);
        command.saleId = saleId;
        command.userId = userId;
        command.qty = qty;
        command.idempotencyKey = idempotencyKey;
        if (!text(command, subject))
        {
            return Outcome.INVALID;
        }
        return send(command, request);
    }

    @Override
    public Outcome pay(final long orderId, final long userId, final String paymentRef, final RequestState request)
    {
        final CommandEvent command = orderCommand(CommandType.PAY, orderId, userId);
        if (!text(command, paymentRef))
        {
            return Outcome.INVALID;
        }
        return send(command, request);
    }

    @Override
    public Outcome cancel(final long orderId, final long userId, final RequestState request)
    {
        return send(orderCommand(CommandType.CANCEL, orderId, userId), request);
    }

    @Override
    public Outcome queryOrder(final long orderId, final long userId, final RequestState request)
    {
        return send(orderCommand(CommandType.QUERY_ORDER, orderId, userId), request);
    }

    /** A command about one of the shopper's orders (pay, cancel, read). */
    private CommandEvent orderCommand(final CommandType type, final long orderId, final long userId)
    {
        final CommandEvent command = command(type);
        command.orderId = orderId;
        command.userId = userId;
        return command;
    }

    /** The admin routes are the core's: an edge never routes them here. */
    @Override
    public Outcome inspectOrder(final long orderId, final RequestState request)
    {
        throw new IllegalStateException("an edge does not serve the admin routes");
    }

    /** The admin routes are the core's: an edge never routes them here. */
    @Override
    public Outcome createSale(
        final String name, final long stock, final long startsAtMillis, final long endsAtMillis, final int perUserLimit,
        final long paymentWindowMillis, final RequestState request)
    {
        throw new IllegalStateException("an edge does not serve the admin routes");
    }

    private CommandEvent command(final CommandType type)
    {
        final CommandEvent command = commands.get();
        command.clear();
        command.type = type;
        // The core stamps its own clock; this estimate of it is only what the edge believed.
        command.timestamp = client.coreTimeMillis();
        return command;
    }

    private static boolean text(final CommandEvent command, final String text)
    {
        try
        {
            command.setText(text);
            return true;
        }
        catch (final IllegalArgumentException tooLong)
        {
            return false;
        }
    }

    private Outcome send(final CommandEvent command, final RequestState request)
    {
        if (closing)
        {
            return Outcome.SHUTTING_DOWN;
        }
        final LinkClient link = client;
        final long id = link.nextCorrelationId();
        if (!pending.put(id, request))
        {
            return Outcome.BUSY;
        }
        final long sent = link.sendCommand(id, command);
        if (sent < 0)
        {
            pending.take(id);
            return sent == LinkClient.NOT_JOINED ? Outcome.CORE_UNAVAILABLE : Outcome.BUSY;
        }
        return Outcome.PENDING;
    }

    @Override
    public void onOutcome(final long correlationId, final CommandEvent result)
    {
        final RequestState request = pending.take(correlationId);
        if (request == null)
        {
            LOG.log(System.Logger.Level.WARNING, "an outcome for command " + correlationId + ", which no request waits for");
            return;
        }
        request.result(result.outcome, result.resultOrderId, result.resultSaleId, result.resultQty,
            result.resultDeadline, result.resultOrderState);
        answer(request);
    }

    /** Never reported as bought or as failed: 503 outcome-unknown, retry with the same Idempotency-Key. */
    @Override
    public void onOutcomeUnknown(final long correlationId)
    {
        final RequestState request = pending.take(correlationId);
        if (request == null)
        {
            LOG.log(System.Logger.Level.WARNING, "command " + correlationId + " ended unknown, but no request waits for it");
            return;
        }
        LOG.log(System.Logger.Level.WARNING, "command " + correlationId + " ended unknown (the link was lost or the core took over " +
            "the command timeout); links lost so far: " + client.linkLosses());
        request.result(Outcome.OUTCOME_UNKNOWN, 0, 0, 0, 0, null);
        answer(request);
    }

    private void answer(final RequestState request)
    {
        inFlight.release();
        request.nextInBatch = null;
        try
        {
            request.exchange.getIoThread().execute(request);
        }
        catch (final RejectedExecutionException stopping)
        {
            // The IO thread is stopping with the edge: its connections are being closed anyway.
            LOG.log(System.Logger.Level.DEBUG, "an IO thread refused an answer while stopping", stopping);
        }
    }
}
