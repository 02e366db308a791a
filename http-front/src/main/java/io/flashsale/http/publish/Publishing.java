package io.flashsale.http.publish;

import io.flashsale.engine.command.Outcome;
import io.flashsale.http.api.FrontContext;
import io.flashsale.http.api.RequestState;
import io.flashsale.http.reply.JsonOut;
import io.flashsale.http.reply.Problem;
import io.undertow.util.SameThreadExecutor;

/**
 * What every publishing handler does either side of the {@link io.flashsale.http.bridge.CoreBridge}:
 * the in-flight cap before, and after, either keeping the exchange open for the reply or answering
 * the refusal (ring full, shutting down); and the detail of a refusal the engine answered.
 * IO threads.
 */
final class Publishing
{
    private static final Runnable KEEP_OPEN = () -> { };

    private Publishing()
    {
    }

    /** False (and the 503 already sent) when too many requests wait for the core. */
    static boolean acquire(final FrontContext context, final RequestState request)
    {
        if (context.inFlight().tryAcquire())
        {
            return true;
        }
        context.responses().problem(request, Problem.BUSY, "too many requests are waiting for the engine", 1);
        return false;
    }

    /**
     * Called with what the bridge answered to a publish. PENDING: the reply comes later on this
     * exchange's IO thread, so the exchange is marked dispatched (Undertow then does not end it when
     * the handler returns). Anything else: nothing was published; free the slot and say why.
     */
    static void settle(final FrontContext context, final RequestState request, final Outcome published)
    {
        if (published == Outcome.PENDING)
        {
            request.exchange.dispatch(SameThreadExecutor.INSTANCE, KEEP_OPEN);
            return;
        }
        context.inFlight().release();
        final Problem problem = Problem.of(published);
        context.responses().problem(request, problem, switch (published)
        {
            case BUSY -> "the engine's queue is full";
            case SHUTTING_DOWN -> "the server is shutting down";
            case INVALID -> "a text field is too long";
            case CORE_UNAVAILABLE -> "this edge cannot reach the core; nothing was sent";
            default -> "the command was not accepted: " + published;
        }, 1);
    }

    /** The detail for a problem the engine answered. */
    static String detail(final RequestState request, final Outcome outcome)
    {
        return switch (outcome)
        {
            case SOLD_OUT -> "sale " + request.id + " has fewer units left than asked for";
            case NOT_STARTED -> "sale " + request.id + " has not started";
            case ENDED -> "sale " + request.id + " has ended";
            case LIMIT_REACHED -> "this purchase would take you above the per-shopper limit of sale " + request.id;
            case UNKNOWN_SALE -> "there is no sale " + request.id;
            case UNKNOWN_ORDER -> "there is no order " + request.id;
            case NOT_OWNER -> "order " + request.id + " belongs to another shopper";
            case ALREADY_PAID -> "order " + request.id + " is already paid";
            case ALREADY_CANCELLED -> "order " + request.id + " is already cancelled";
            case EXPIRED -> "order " + request.id + " expired at " + JsonOut.instant(request.resultDeadline) + "; its units went back to the sale";
            case INVALID -> "the engine refused the values given";
            case JOURNAL_FAILED -> "the journal could not record the command; nothing was done";
            case OUTCOME_UNKNOWN -> "outcome unknown: the link to the core was lost before its answer came; retry with the same Idempotency-Key";
            case NOT_REPLICATED -> "the standby was lost before it acknowledged this command; retry with the same Idempotency-Key once the primary is ready";
            case JOURNAL_FULL -> "the core's journal disk is nearly full; nothing was done: retry later";
            case STANDBY -> "the core this edge reaches is a standby; it takes writes once promoted";
            case REPLICATION_STALLED -> "the core lost its standby and acknowledges nothing until a standby is in sync again";
            default -> "the engine answered " + outcome;
        };
    }
}
