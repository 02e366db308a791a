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
import io.flashsale.journal.link.OutcomeListener;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An edge's way to its core: the {@link CoreBridge} the front's filters and handlers use, over the
 * {@link LinkClient} of the core it follows ({@link EdgeCores}: the primary of the highest epoch).
 * Ready while such a core is heard (with none, every route that needs one answers 503
 * core-unavailable at once, until a core is heard again or a standby is promoted). The views are
 * the followed core's; a command is registered under a fresh correlation id (one sequence for
 * every core, so an outcome names its request whichever core sends it) and sent to the followed
 * core; its outcome, or "unknown" when that core's link was lost first, is copied into the request
 * and handed to the exchange's IO thread, as {@code RingReplies} does for a local ring.
 *
 * <p>Commands: IO threads, never blocking. {@link #onOutcome}, {@link #onOutcomeUnknown}: the
 * agent thread of the core's link client. {@link #attach} once at start, before the HTTP listener starts.
 */
final class LinkBridge implements CoreBridge, OutcomeListener
{
    private static final System.Logger LOG = System.getLogger(LinkBridge.class.getName());
    /** Four times the client's in-flight cap (4,096): probes stay short, a put never fails. */
    private static final int PENDING_CAPACITY = 1 << 14;

    private final PendingCommands pending = new PendingCommands(PENDING_CAPACITY);
    /** One command to fill per IO thread; the client copies it before send returns. */
    private final ThreadLocal<CommandEvent> commands = ThreadLocal.withInitial(CommandEvent::new);
    /** Random start: a late outcome meant for an earlier life of this edge cannot match a new command. */
    private final AtomicLong correlationIds = new AtomicLong(ThreadLocalRandom.current().nextLong() >>> 2);
    private volatile EdgeCores cores;
    private volatile InFlightLimit inFlight;
    private volatile boolean closing;

    void attach(final EdgeCores cores, final InFlightLimit inFlight)
    {
        this.cores = cores;
        this.inFlight = inFlight;
    }

    /** The core's clock as estimated over the followed core's link (the last one followed while none is). Any thread. */
    long coreTimeMillis()
    {
        final EdgeCores followed = cores;
        return followed == null ? System.currentTimeMillis() : followed.viewClient().coreTimeMillis();
    }

    /** New commands are refused (SHUTTING_DOWN); those in flight still get their answers. */
    void closing()
    {
        closing = true;
    }

    @Override
    public boolean isReady()
    {
        final EdgeCores followed = cores;
        return followed != null && followed.chosen() != CoreChoice.NONE;
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
        final EdgeCores followed = cores;
        return followed == null ? "this edge is starting" : followed.count() == 1 ?
            "this edge has not heard from its core (" + followed.describe() + ") for 3 heartbeats; it rejoins by itself" :
            "no core is heard as the primary of the highest epoch (" + followed.highestEpoch() + "): " + followed.describe() +
                "; the edge follows a promoted standby by itself";
    }

    @Override
    public SaleViews views()
    {
        return cores.viewClient().views();
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
        command.timestamp = coreTimeMillis();
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
        final LinkClient link = cores.commandClient();
        if (link == null)
        {
            return Outcome.CORE_UNAVAILABLE;
        }
        final long id = correlationIds.incrementAndGet();
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
            "the command timeout); links lost so far: " + cores.sum(LinkClient::linkLosses));
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
