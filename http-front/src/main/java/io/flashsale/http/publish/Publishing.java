package io.flashsale.http.publish;

import io.flashsale.engine.command.Outcome;
import io.flashsale.http.api.FrontContext;
import io.flashsale.http.api.RequestState;
import io.flashsale.http.reply.JsonOut;
import io.flashsale.http.reply.Problem;
import io.undertow.util.SameThreadExecutor;

/**
 * What every publishing handler does either side of the {@link io.flashsale.http.bridge.CommandBridge}:
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
    static boolean acquire(final FrontContext front, final RequestState call)
    {
        if (front.inFlight().tryAcquire())
        {
            return true;
        }
        front.responses().problem(call, Problem.BUSY, "too many requests are waiting for the engine", 1);
        return false;
    }

    /**
     * Called with what the bridge answered to a publish. PENDING: the reply comes later on this
     * exchange's IO thread, so the exchange is marked dispatched (Undertow then does not end it when
     * the handler returns). Anything else: nothing was published; free the slot and say why.
     */
    static void settle(final FrontContext front, final RequestState call, final Outcome published)
    {
        if (published == Outcome.PENDING)
        {
            call.exchange.dispatch(SameThreadExecutor.INSTANCE, KEEP_OPEN);
            return;
        }
        front.inFlight().release();
        final Problem problem = Problem.of(published);
        front.responses().problem(call, problem, switch (published)
        {
            case BUSY -> "the engine's queue is full";
            case SHUTTING_DOWN -> "the server is shutting down";
            case INVALID -> "a text field is too long";
            default -> "the command was not accepted: " + published;
        }, 1);
    }

    /** The detail for a problem the engine answered. */
    static String detail(final RequestState call, final Outcome outcome)
    {
        return switch (outcome)
        {
            case SOLD_OUT -> "sale " + call.id + " has fewer units left than asked for";
            case NOT_STARTED -> "sale " + call.id + " has not started";
            case ENDED -> "sale " + call.id + " has ended";
            case LIMIT_REACHED -> "this purchase would take you above the per-shopper limit of sale " + call.id;
            case UNKNOWN_SALE -> "there is no sale " + call.id;
            case UNKNOWN_ORDER -> "there is no order " + call.id;
            case NOT_OWNER -> "order " + call.id + " belongs to another shopper";
            case ALREADY_PAID -> "order " + call.id + " is already paid";
            case ALREADY_CANCELLED -> "order " + call.id + " is already cancelled";
            case EXPIRED -> "order " + call.id + " expired at " + JsonOut.instant(call.resultDeadline) + "; its units went back to the sale";
            case INVALID -> "the engine refused the values given";
            case JOURNAL_FAILED -> "the journal could not record the command; nothing was done";
            default -> "the engine answered " + outcome;
        };
    }
}
