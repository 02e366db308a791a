package io.flashsale.http.reply;

import io.flashsale.http.api.RequestState;
import io.flashsale.http.body.UnreadBody;
import io.flashsale.http.metrics.FrontMetrics;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;

import java.nio.ByteBuffer;

/**
 * Writes every answer the API gives (JSON or an RFC 9457 problem) and counts it in the metrics,
 * so no response leaves without its route and outcome recorded. IO threads only: the sender is
 * Undertow's non-blocking one.
 */
public final class ResponseWriter
{
    public static final String JSON = "application/json";
    public static final String PROBLEM_JSON = "application/problem+json";
    public static final HttpString RETRY_AFTER = Headers.RETRY_AFTER;
    /** RFC 8470's reason phrase for 425, which Undertow does not know (it would send "Unknown"). */
    static final String TOO_EARLY = "Too Early";

    private final FrontMetrics metrics;

    public ResponseWriter(final FrontMetrics metrics)
    {
        this.metrics = metrics;
    }

    public void json(final RequestState request, final int status, final String outcome, final byte[] body)
    {
        send(request, status, JSON, outcome, body);
    }

    public void send(final RequestState request, final int status, final String contentType, final String outcome, final byte[] body)
    {
        final HttpServerExchange exchange = request.exchange;
        metrics.request(request.route, outcome, request.startNanos);
        UnreadBody.discard(exchange);
        exchange.setStatusCode(status);
        if (status == 425)
        {
            exchange.setReasonPhrase(TOO_EARLY);
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }

    public void problem(final RequestState request, final Problem problem, final String detail)
    {
        problem(request, problem, problemBody(problem, detail, null), 0);
    }

    public void problem(final RequestState request, final Problem problem, final String detail, final long retryAfterSeconds)
    {
        problem(request, problem, problemBody(problem, detail, null), retryAfterSeconds);
    }

    /** Sends a problem whose body was built before (the gates cache theirs). */
    public void problem(final RequestState request, final Problem problem, final byte[] body, final long retryAfterSeconds)
    {
        if (problem.retryable())
        {
            request.exchange.getResponseHeaders().put(RETRY_AFTER, Math.max(1, retryAfterSeconds));
        }
        if (problem == Problem.PAYLOAD_TOO_LARGE)
        {
            // The rest of the body was never read: do not try to reuse the connection.
            request.exchange.setPersistent(false);
        }
        send(request, problem.status(), PROBLEM_JSON, problem.outcome(), body);
    }

    /** The problem document; {@code extra} may add fields (e.g. startsAt for 425). */
    public static byte[] problemBody(final Problem problem, final String detail, final JsonOut.Body extra)
    {
        return JsonOut.object(json -> {
            json.writeStringField("type", problem.type());
            json.writeStringField("title", problem.title());
            json.writeNumberField("status", problem.status());
            json.writeStringField("detail", detail);
            json.writeStringField("outcome", problem.outcome());
            if (extra != null)
            {
                extra.write(json);
            }
        });
    }
}
