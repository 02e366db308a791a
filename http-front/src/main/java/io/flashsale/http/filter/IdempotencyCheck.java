package io.flashsale.http.filter;

import io.flashsale.http.api.FrontContext;
import io.flashsale.http.api.RequestState;
import io.flashsale.http.reply.Problem;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;

/**
 * The purchase chain's Idempotency-Key step, after auth: reads the optional header (1 to 64
 * visible ASCII characters, else 400) into a non-zero 64-bit hash, and answers a repeat of a
 * successful purchase with the original 201 body at once, before the sale gate, the limits and
 * the ring. IO threads.
 */
public final class IdempotencyCheck implements HttpHandler
{
    static final HttpString HEADER = new HttpString("Idempotency-Key");
    public static final HttpString REPLAYED = new HttpString("Idempotent-Replayed");
    static final int MAX_LENGTH = 64;

    private final FrontContext context;
    private final HttpHandler next;

    public IdempotencyCheck(final FrontContext context, final HttpHandler next)
    {
        this.context = context;
        this.next = next;
    }

    @Override
    public void handleRequest(final HttpServerExchange exchange) throws Exception
    {
        final RequestState request = exchange.getAttachment(RequestState.KEY);
        final String key = exchange.getRequestHeaders().getFirst(HEADER);
        if (key != null)
        {
            if (key.isEmpty() || key.length() > MAX_LENGTH || !visibleAscii(key))
            {
                context.responses().problem(request, Problem.INVALID,
                    "the Idempotency-Key header must be 1 to " + MAX_LENGTH + " visible ASCII characters");
                return;
            }
            request.idempotencyKey = hash(key);
            final byte[] original = context.idempotentReplies().find(request.principal.userId(), request.id, request.idempotencyKey);
            if (original != null)
            {
                exchange.getResponseHeaders().put(REPLAYED, "true");
                context.responses().json(request, 201, "DUPLICATE", original);
                return;
            }
        }
        next.handleRequest(exchange);
    }

    private static boolean visibleAscii(final String text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c < 0x21 || c > 0x7e)
            {
                return false;
            }
        }
        return true;
    }

    /** 64-bit FNV-1a; a collision could only ever be with the same shopper's own keys. Never 0. */
    static long hash(final String key)
    {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < key.length(); i++)
        {
            hash ^= key.charAt(i);
            hash *= 0x100000001b3L;
        }
        return hash == 0 ? 1 : hash;
    }
}
