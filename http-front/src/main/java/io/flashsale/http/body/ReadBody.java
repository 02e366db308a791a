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

    private final FrontContext context;
    private final BodyReader reader;
    private final boolean optional;
    private final HttpHandler next;
    private final Receiver.PartialBytesCallback onPart = this::onPart;
    private final Receiver.ErrorCallback onError = this::onError;

    /** @param optional when true a request without a body skips the reader (cancel) */
    public ReadBody(final FrontContext context, final BodyReader reader, final boolean optional, final HttpHandler next)
    {
        this.context = context;
        this.reader = reader;
        this.optional = optional;
        this.next = next;
    }

    @Override
    public void handleRequest(final HttpServerExchange exchange) throws Exception
    {
        final RequestState request = exchange.getAttachment(RequestState.KEY);
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
            context.responses().problem(request, Problem.UNSUPPORTED_MEDIA_TYPE,
                "the body must be sent as Content-Type: application/json, was " + (contentType == null ? "none" : JsonFields.printable(contentType)));
            return;
        }
        final int max = context.config().server.maxBodyBytes;
        if (length > max)
        {
            context.responses().problem(request, Problem.PAYLOAD_TOO_LARGE, "the body may be at most " + max + " bytes, was " + length);
            return;
        }
        // Read in parts and count, so a chunked body that grows too large still gets its 413
        // (Undertow's own entity limit would just drop the connection).
        exchange.getRequestReceiver().receivePartialBytes(onPart, onError);
        if (!request.bodyDone && !request.bodyRefused)
        {
            // The body did not come with the headers. One trickled in a byte at a time (slow POST)
            // would hold the connection for ever: the rest has a deadline. Armed on the exchange's
            // IO thread, which also reads the remaining parts, so the two never race.
            request.bodyDeadline = exchange.getIoThread().executeAfter(() -> onDeadline(request),
                context.config().server.bodyTimeoutMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void onDeadline(final RequestState request)
    {
        request.bodyDeadline = null;
        if (request.bodyRefused || request.exchange.isResponseStarted())
        {
            return;
        }
        request.bodyRefused = true;
        request.exchange.getRequestReceiver().pause();
        // The rest of the body is never read: the connection cannot carry another request.
        request.exchange.setPersistent(false);
        context.responses().problem(request, Problem.REQUEST_TIMEOUT,
            "the body was not complete within " + context.config().server.bodyTimeoutMillis + " ms of the headers");
    }

    private static void disarm(final RequestState request)
    {
        if (request.bodyDeadline != null)
        {
            request.bodyDeadline.remove();
            request.bodyDeadline = null;
        }
    }

    private void onPart(final HttpServerExchange exchange, final byte[] part, final boolean last)
    {
        final RequestState request = exchange.getAttachment(RequestState.KEY);
        if (request.bodyRefused)
        {
            return;
        }
        final int max = context.config().server.maxBodyBytes;
        if (request.bodyParts == null && (request.bodyFirstPart == null || part.length == 0))
        {
            // The common case: one part with the bytes (kept, not copied), then an empty last one.
            final byte[] body = request.bodyFirstPart == null ? part : request.bodyFirstPart;
            if (body.length > max)
            {
                refuseTooLarge(request, max);
                return;
            }
            if (last)
            {
                onBody(exchange, body);
            }
            else
            {
                request.bodyFirstPart = body;
            }
            return;
        }
        if (request.bodyParts == null)
        {
            request.bodyParts = new java.io.ByteArrayOutputStream(Math.min(max, 1024));
            request.bodyParts.write(request.bodyFirstPart, 0, request.bodyFirstPart.length);
            request.bodyFirstPart = null;
        }
        if (request.bodyParts.size() + part.length > max)
        {
            refuseTooLarge(request, max);
            return;
        }
        request.bodyParts.write(part, 0, part.length);
        if (last)
        {
            onBody(exchange, request.bodyParts.toByteArray());
        }
    }

    private void refuseTooLarge(final RequestState request, final int max)
    {
        disarm(request);
        request.bodyRefused = true;
        request.exchange.getRequestReceiver().pause();
        context.responses().problem(request, Problem.PAYLOAD_TOO_LARGE, "the body may be at most " + max + " bytes");
    }

    private void onBody(final HttpServerExchange exchange, final byte[] body)
    {
        final RequestState request = exchange.getAttachment(RequestState.KEY);
        request.bodyDone = true;
        disarm(request);
        try
        {
            reader.read(request, body);
            next.handleRequest(exchange);
        }
        catch (final BadRequest ex)
        {
            context.responses().problem(request, ex.problem, ex.getMessage());
        }
        catch (final Exception ex)
        {
            LOG.log(System.Logger.Level.ERROR, "handler failed on " + request.route, ex);
            if (!exchange.isResponseStarted())
            {
                context.responses().problem(request, Problem.INTERNAL_ERROR, "unexpected server error");
            }
        }
    }

    private void onError(final HttpServerExchange exchange, final IOException error)
    {
        final RequestState request = exchange.getAttachment(RequestState.KEY);
        disarm(request);
        if (error instanceof RequestTooBigException && !exchange.isResponseStarted())
        {
            context.responses().problem(request, Problem.PAYLOAD_TOO_LARGE, "the body may be at most " + context.config().server.maxBodyBytes + " bytes");
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
