package io.flashsale.bench.baseline;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The Redis baseline's answers, shaped like flashsale's (JSON, and RFC 9457 problems with the
 * same {@code outcome} names), so the same generator scenario reads both. IO threads.
 */
final class BaselineResponses
{
    private BaselineResponses()
    {
    }

    static void json(final HttpServerExchange exchange, final int status, final String body)
    {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)));
    }

    static void problem(final HttpServerExchange exchange, final int status, final String outcome, final String detail)
    {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/problem+json");
        if (status == 503 || status == 429)
        {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, "1");
        }
        exchange.getResponseSender().send(ByteBuffer.wrap(problemBody(status, outcome, detail)));
    }

    static byte[] problemBody(final int status, final String outcome, final String detail)
    {
        final String slug = outcome.toLowerCase().replace('_', '-');
        return ("{\"type\":\"https://flashsale.dev/problems/" + slug + "\",\"title\":\"" + outcome + "\",\"status\":" + status
            + ",\"detail\":\"" + detail.replace("\"", "'") + "\",\"outcome\":\"" + outcome + "\"}").getBytes(StandardCharsets.UTF_8);
    }
}
