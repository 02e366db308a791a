package io.flashsale.http.page;

import io.flashsale.engine.sale.SaleView;
import io.flashsale.http.admission.OnlineShoppers;
import io.flashsale.http.api.FrontContext;
import io.flashsale.http.body.UnreadBody;
import io.flashsale.http.bridge.CoreBridge;
import io.flashsale.http.limit.ClientAddress;
import io.flashsale.http.reply.Problem;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;

/**
 * Serves the shopper page: {@code /} (the HTML), {@code /assets/<name>.<hash>.<ext>}, and
 * {@code /page/current-sale} (which sale {@code /} shows: {@code {"saleId":3}}, or
 * {@code {"saleId":null}} when none is on or to come); every other path
 * goes on to {@code next} (the API). Put it in front of the API's handler:
 * {@code new ShopperPageHandler(PageAssets.load(demo), context, api)}. Each load of {@code /} counts
 * its client as a shopper online ({@link OnlineShoppers}).
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
    /** Short: the answer changes only when a sale starts or ends, and a CDN may absorb the crowd. */
    static final String CURRENT_SALE_CACHE = "public, max-age=2";
    static final String CURRENT_SALE_PATH = "/page/current-sale";
    // Errors are RFC 9457 problems, like every error the API answers.
    private static final ByteBuffer NOT_FOUND = problem(Problem.NOT_FOUND, "no such asset");
    private static final ByteBuffer METHOD_NOT_ALLOWED = problem(Problem.METHOD_NOT_ALLOWED, "the page answers GET and HEAD only");
    /** No sale on or to come is an ordinary answer, not an error: a page open in an empty shop logs nothing. */
    private static final ByteBuffer NO_SALE = ByteBuffer.wrap("{\"saleId\":null}".getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();
    private static final ByteBuffer NOT_READY = problem(Problem.NOT_READY, "the engine is still being assembled (recovery)");

    private final PageAssets assets;
    private final CoreBridge core;
    private final LongSupplier clockMillis;
    private final HttpHandler next;
    private final String contentSecurityPolicy;
    /** Null when page loads are not counted. */
    private final OnlineShoppers online;
    private final ClientAddress clientAddress;

    /**
     * The page of a front: the core, views, clock, online shoppers and client addresses come from
     * the front's context.
     *
     * @param assets  the page's files, loaded at start-up
     * @param context the front's shared services
     * @param next    everything that is not the page: the API
     */
    public ShopperPageHandler(final PageAssets assets, final FrontContext context, final HttpHandler next)
    {
        this(assets, context.bridge(), context.clockMillis(), context.onlineShoppers(), context.clientAddress(), next);
    }

    /**
     * A page whose loads are not counted as shoppers online; a front uses the constructor with its
     * context.
     *
     * @param assets      the page's files, loaded at start-up
     * @param core        the way to the core, for the published sale views once it is ready
     * @param clockMillis the server's wall clock, the one the sale gates use
     * @param next        everything that is not the page: the API
     */
    public ShopperPageHandler(
        final PageAssets assets,
        final CoreBridge core,
        final LongSupplier clockMillis,
        final HttpHandler next)
    {
        this(assets, core, clockMillis, null, null, next);
    }

    private ShopperPageHandler(
        final PageAssets assets,
        final CoreBridge core,
        final LongSupplier clockMillis,
        final OnlineShoppers online,
        final ClientAddress clientAddress,
        final HttpHandler next)
    {
        this.online = online;
        this.clientAddress = clientAddress;
        this.assets = assets;
        this.core = core;
        this.clockMillis = clockMillis;
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
                if (online != null)
                {
                    online.seenAddress(clientAddress.of(exchange.getSourceAddress().getAddress(),
                        exchange.getRequestHeaders().getFirst(Headers.X_FORWARDED_FOR)));
                }
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
        else if (path.equals(CURRENT_SALE_PATH))
        {
            if (allowed(exchange))
            {
                currentSale(exchange);
            }
        }
        else
        {
            next.handleRequest(exchange);
        }
    }

    private void currentSale(final HttpServerExchange exchange)
    {
        if (!core.isReady())
        {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, 1);
            json(exchange, StatusCodes.SERVICE_UNAVAILABLE, "application/problem+json", "no-store", NOT_READY.duplicate());
            return;
        }
        final SaleView sale = CurrentSale.pick(core.views().all(), clockMillis.getAsLong());
        if (sale == null)
        {
            json(exchange, StatusCodes.OK, "application/json", CURRENT_SALE_CACHE, NO_SALE.duplicate());
            return;
        }
        final byte[] body = ("{\"saleId\":" + sale.id + "}").getBytes(StandardCharsets.US_ASCII);
        json(exchange, StatusCodes.OK, "application/json", CURRENT_SALE_CACHE, ByteBuffer.wrap(body));
    }

    private static void json(
        final HttpServerExchange exchange, final int status, final String contentType, final String cacheControl, final ByteBuffer body)
    {
        UnreadBody.discard(exchange);
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, cacheControl);
        if (exchange.getRequestMethod().equals(Methods.HEAD))
        {
            exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.remaining());
            exchange.endExchange();
            return;
        }
        exchange.getResponseSender().send(body);
    }

    /** The same RFC 9457 shape as the API's problems; the texts are constants, so no escaping. */
    private static ByteBuffer problem(final Problem problem, final String detail)
    {
        final String json = "{\"type\":\"" + problem.type() + "\",\"title\":\"" + problem.title() + "\",\"status\":" +
            problem.status() + ",\"detail\":\"" + detail + "\",\"outcome\":\"" + problem.outcome() + "\"}";
        return ByteBuffer.wrap(json.getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();
    }

    private static boolean allowed(final HttpServerExchange exchange)
    {
        final HttpString method = exchange.getRequestMethod();
        if (method.equals(Methods.GET) || method.equals(Methods.HEAD))
        {
            return true;
        }
        exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
        json(exchange, StatusCodes.METHOD_NOT_ALLOWED, "application/problem+json", "no-store", METHOD_NOT_ALLOWED.duplicate());
        return false;
    }

    private static void send(final HttpServerExchange exchange, final PageFile file, final String cacheControl)
    {
        UnreadBody.discard(exchange);
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
        json(exchange, StatusCodes.NOT_FOUND, "application/problem+json", "no-store", NOT_FOUND.duplicate());
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
