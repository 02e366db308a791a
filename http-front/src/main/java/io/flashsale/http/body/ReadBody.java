package io.flashsale.http.body;

import io.flashsale.http.api.FrontContext;
import io.flashsale.http.api.RequestState;
import io.flashsale.http.reply.Problem;
import io.undertow.io.Receiver;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.Headers;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The body step, last before publishing (in the purchase chain after the admission draw; see
 * {@link io.flashsale.http.api.Api} for the others): reads the JSON body without blocking
 * (Undertow's receiver calls back on the IO thread once the bytes are in), checks its media type
 * (415), size (413) and that it arrives in time (408), and hands it to a {@link BodyReader} that
 * validates it into the {@link RequestState} (400 with what is wrong). IO threads.
 */
public final class ReadBody implements HttpHandler
{
    private static final System.Logger LOG = System.getLogger(ReadBody.class.getName());

    private final FrontContext front;
    private final BodyReader reader;
    private final boolean optional;
    private final HttpHandler next;
    private final Receiver.PartialBytesCallback onPart = this::onPart;
    private final Receiver.ErrorCallback onError = this::onError;

    /** @param optional when true a request without a body skips the reader (cancel) */
    public ReadBody(final FrontContext front, final BodyReader reader, final boolean optional, final HttpHandler next)
    {
        this.front = front;
        this.reader = reader;
        this.optional = optional;
        this.next = next;
    }

    @Override
    public void handleRequest(final HttpServerExchange exchange) throws Exception
    {
        final RequestState call = exchange.getAttachment(RequestState.KEY);
        final long length = exchange.getRequestContentLength();
        final boolean chunked = exchange.getRequestHeaders().contains(Headers.TRANSFER_ENCODING);
        if (optional && (length == 0 || (length < 0 && !chunked)))
        {
            next.handleRequest(exchange);
            return;
        }
        final String contentType = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        if (!isJson(contentType))
        {
            front.responses().problem(call, Problem.UNSUPPORTED_MEDIA_TYPE,
                "the body must be sent as Content-Type: application/json, was " + (contentType == null ? "none" : JsonFields.printable(contentType)));
            return;
        }
        final int max = front.config().server.maxBodyBytes;
        if (length > max)
        {
            front.responses().problem(call, Problem.PAYLOAD_TOO_LARGE, "the body may be at most " + max + " bytes, was " + length);
            return;
        }
        // Read in parts and count, so a chunked body that grows too large still gets its 413
        // (Undertow's own entity limit would just drop the connection).
        exchange.getRequestReceiver().receivePartialBytes(onPart, onError);
        if (!call.bodyDone && !call.bodyRefused)
        {
            // The body did not come with the headers. One trickled in a byte at a time (slow POST)
            // would hold the connection for ever: the rest has a deadline. Armed on the exchange's
            // IO thread, which also reads the remaining parts, so the two never race.
            call.bodyDeadline = exchange.getIoThread().executeAfter(() -> onDeadline(call),
                front.config().server.bodyTimeoutMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void onDeadline(final RequestState call)
    {
        call.bodyDeadline = null;
        if (call.bodyRefused || call.exchange.isResponseStarted())
        {
            return;
        }
        call.bodyRefused = true;
        call.exchange.getRequestReceiver().pause();
        // The rest of the body is never read: the connection cannot carry another request.
        call.exchange.setPersistent(false);
        front.responses().problem(call, Problem.REQUEST_TIMEOUT,
            "the body was not complete within " + front.config().server.bodyTimeoutMillis + " ms of the headers");
    }

    private static void disarm(final RequestState call)
    {
        if (call.bodyDeadline != null)
        {
            call.bodyDeadline.remove();
            call.bodyDeadline = null;
        }
    }

    private void onPart(final HttpServerExchange exchange, final byte[] part, final boolean last)
    {
        final RequestState call = exchange.getAttachment(RequestState.KEY);
        if (call.bodyRefused)
        {
            return;
        }
        final int max = front.config().server.maxBodyBytes;
        if (call.bodyParts == null && (call.bodyFirstPart == null || part.length == 0))
        {
            // The common case: one part with the bytes (kept, not copied), then an empty last one.
            final byte[] body = call.bodyFirstPart == null ? part : call.bodyFirstPart;
            if (body.length > max)
            {
                refuseTooLarge(call, max);
                return;
            }
            if (last)
            {
                onBody(exchange, body);
            }
            else
            {
                call.bodyFirstPart = body;
            }
            return;
        }
        if (call.bodyParts == null)
        {
            call.bodyParts = new java.io.ByteArrayOutputStream(Math.min(max, 1024));
            call.bodyParts.write(call.bodyFirstPart, 0, call.bodyFirstPart.length);
            call.bodyFirstPart = null;
        }
        if (call.bodyParts.size() + part.length > max)
        {
            refuseTooLarge(call, max);
            return;
        }
        call.bodyParts.write(part, 0, part.length);
        if (last)
        {
            onBody(exchange, call.bodyParts.toByteArray());
        }
    }

    private void refuseTooLarge(final RequestState call, final int max)
    {
        disarm(call);
        call.bodyRefused = true;
        call.exchange.getRequestReceiver().pause();
        front.responses().problem(call, Problem.PAYLOAD_TOO_LARGE, "the body may be at most " + max + " bytes");
    }

    private void onBody(final HttpServerExchange exchange, final byte[] body)
    {
        final RequestState call = exchange.getAttachment(RequestState.KEY);
        call.bodyDone = true;
        disarm(call);
        try
        {
            reader.read(call, body);
            next.handleRequest(exchange);
        }
        catch (final BadRequest ex)
        {
            front.responses().problem(call, ex.problem, ex.getMessage());
        }
        catch (final Exception ex)
        {
            LOG.log(System.Logger.Level.ERROR, "handler failed on " + call.route, ex);
            if (!exchange.isResponseStarted())
            {
                front.responses().problem(call, Problem.INTERNAL_ERROR, "unexpected server error");
            }
        }
    }

    private void onError(final HttpServerExchange exchange, final IOException error)
    {
        final RequestState call = exchange.getAttachment(RequestState.KEY);
        disarm(call);
        if (error instanceof RequestTooBigException && !exchange.isResponseStarted())
        {
            front.responses().problem(call, Problem.PAYLOAD_TOO_LARGE, "the body may be at most " + front.config().server.maxBodyBytes + " bytes");
            return;
        }
        // The client went away mid-body: nobody is left to answer.
        exchange.setPersistent(false);
        exchange.endExchange();
    }

    static boolean isJson(final String contentType)
    {
        if (contentType == null)
        {
            return false;
        }
        final int semicolon = contentType.indexOf(';');
        final String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return type.equalsIgnoreCase("application/json");
    }
}
