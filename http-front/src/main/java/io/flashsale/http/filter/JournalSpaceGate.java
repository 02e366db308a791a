package io.flashsale.http.filter;

import io.flashsale.http.api.FrontContext;
import io.flashsale.http.api.RequestState;
import io.flashsale.http.reply.Problem;
import io.flashsale.http.reply.ResponseWriter;
import io.flashsale.journal.space.JournalSpaceGuard;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * Right before a state-changing command is published (purchase, pay, cancel, create sale): while
 * the journal's file system is nearly full ({@link JournalSpaceGuard#engaged()}), answers 503
 * journal-full with Retry-After instead, so the command never reaches the ring and Chronicle never
 * writes into a full disk. Reads and idempotent replays do not pass here and go on.
 *
 * <p>IO threads: one volatile read per request; the refusal's body is built once per engagement.
 */
public final class JournalSpaceGate implements HttpHandler
{
    /** Clients come back after this long; the guard looks at the disk ten times a second. */
    private static final long RETRY_AFTER_SECONDS = 5;

    /** The refusal for one engagement, keyed by its reason (the same String object while engaged). */
    private record Refusal(String reason, byte[] body)
    {
    }

    private final FrontContext context;
    private final HttpHandler next;
    private volatile Refusal refusal = new Refusal(null, null);

    public JournalSpaceGate(final FrontContext context, final HttpHandler next)
    {
        this.context = context;
        this.next = next;
    }

    @Override
    public void handleRequest(final HttpServerExchange exchange) throws Exception
    {
        final JournalSpaceGuard guard = context.journalSpace();
        if (!guard.engaged())
        {
            next.handleRequest(exchange);
            return;
        }
        final RequestState request = exchange.getAttachment(RequestState.KEY);
        context.responses().problem(request, Problem.JOURNAL_FULL, refusalBody(guard), RETRY_AFTER_SECONDS);
    }

    private byte[] refusalBody(final JournalSpaceGuard guard)
    {
        final String reason = guard.reason();
        Refusal current = refusal;
        if (current.reason() != reason || current.body() == null)
        {
            final String detail = (reason == null ? "the journal's file system is nearly full" : reason) +
                "; nothing was done: retry later (with the same Idempotency-Key)";
            current = new Refusal(reason, ResponseWriter.problemBody(Problem.JOURNAL_FULL, detail, null));
            refusal = current;
        }
        return current.body();
    }
}
