package io.flashsale.http.page;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Serves the shopper page: {@code /} (the HTML) and {@code /assets/<name>.<hash>.<ext>}; every
 * other path goes on to {@code next} (the API). Put it in front of the API's handler:
 * {@code new ShopperPageHandler(PageAssets.load(demo), api)}.
 *
 * <p>Caching is meant for a CDN in front of the fronts: versioned assets never change, so they are
 * {@code public, max-age=31536000, immutable}; the HTML names the current versions and may be kept
 * for a few seconds only (enough for a CDN to absorb the crowd loading the page at the start),
 * then revalidated by its ETag. An unknown asset name is a 404 that must not be cached, since
 * during a rolling deploy it may exist on the next front.
 *
 * <p>IO threads: it only writes bytes that are already in memory, so it never blocks.
 */
public final class ShopperPageHandler implements HttpHandler
{
    static final String HTML_CACHE = "public, max-age=5";
    static final String ASSET_CACHE = "public, max-age=31536000, immutable";
    private static final HttpString CONTENT_SECURITY_POLICY = new HttpString("Content-Security-Policy");
    private static final HttpString CONTENT_TYPE_OPTIONS = new HttpString("X-Content-Type-Options");
    private static final HttpString REFERRER_POLICY = new HttpString("Referrer-Policy");
    private static final ByteBuffer NOT_FOUND = ByteBuffer.wrap("No such asset\n".getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();

    private final PageAssets assets;
    private final HttpHandler next;
    private final String contentSecurityPolicy;

    public ShopperPageHandler(final PageAssets assets, final HttpHandler next)
    {
        this.assets = assets;
        this.next = next;
        this.contentSecurityPolicy = assets.contentSecurityPolicy();
    }

    @Override
    public void handleRequest(final HttpServerExchange exchange) throws Exception
    {
        final String path = exchange.getRequestPath();
        if (path.equals("/"))
        {
            if (allowed(exchange))
            {
                exchange.getResponseHeaders().put(CONTENT_SECURITY_POLICY, contentSecurityPolicy);
                // The page reads a host shop's token from the URL fragment; never leak the URL.
                exchange.getResponseHeaders().put(REFERRER_POLICY, "no-referrer");
                send(exchange, assets.html(), HTML_CACHE);
            }
        }
        else if (path.startsWith(PageAssets.ASSETS_PATH))
        {
            if (allowed(exchange))
            {
                final PageFile file = assets.asset(path.substring(PageAssets.ASSETS_PATH.length()));
                if (file == null)
                {
                    notFound(exchange);
                }
                else
                {
                    send(exchange, file, ASSET_CACHE);
                }
            }
        }
        else
        {
            next.handleRequest(exchange);
        }
    }

    private static boolean allowed(final HttpServerExchange exchange)
    {
        final HttpString method = exchange.getRequestMethod();
        if (method.equals(Methods.GET) || method.equals(Methods.HEAD))
        {
            return true;
        }
        exchange.setStatusCode(StatusCodes.METHOD_NOT_ALLOWED);
        exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.endExchange();
        return false;
    }

    private static void send(final HttpServerExchange exchange, final PageFile file, final String cacheControl)
    {
        final var headers = exchange.getResponseHeaders();
        headers.put(Headers.CACHE_CONTROL, cacheControl);
        headers.put(Headers.ETAG, file.etag());
        headers.put(CONTENT_TYPE_OPTIONS, "nosniff");
        if (matches(exchange.getRequestHeaders().getFirst(Headers.IF_NONE_MATCH), file.etag()))
        {
            exchange.setStatusCode(StatusCodes.NOT_MODIFIED);
            exchange.endExchange();
            return;
        }
        headers.put(Headers.CONTENT_TYPE, file.contentType());
        headers.put(Headers.CONTENT_LENGTH, file.length());
        if (exchange.getRequestMethod().equals(Methods.HEAD))
        {
            exchange.endExchange();
            return;
        }
        exchange.getResponseSender().send(file.body());
    }

    private static void notFound(final HttpServerExchange exchange)
    {
        exchange.setStatusCode(StatusCodes.NOT_FOUND);
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseSender().send(NOT_FOUND.duplicate());
    }

    /** If-None-Match holds {@code *} or a list of tags, possibly weak ({@code W/"…"}). */
    static boolean matches(final String ifNoneMatch, final String etag)
    {
        if (ifNoneMatch == null)
        {
            return false;
        }
        for (final String candidate : ifNoneMatch.split(","))
        {
            final String tag = candidate.strip();
            if (tag.equals("*") || tag.equals(etag) || tag.equals("W/" + etag))
            {
                return true;
            }
        }
        return false;
    }
}
