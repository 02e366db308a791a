package io.flashsale.bench.baseline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flashsale.http.auth.AuthFailure;
import io.flashsale.http.auth.Principal;
import io.flashsale.http.auth.PurchaseKeys;
import io.flashsale.http.auth.Role;
import io.flashsale.http.auth.TokenVerifier;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Redis baseline's routes, the subset of flashsale's API the load scenarios use, with the same
 * front-end work flashsale does before its ring: JWT verification (the same verifier and cache),
 * the sale's time window from memory, purchase-key check, JSON body. What differs is behind it:
 * the stock and the buyers live in Redis and every purchase is a Lua script round trip.
 *
 * <pre>
 *   GET  /api/sales/{id}/key        shopper token
 *   POST /api/sales/{id}/purchase   shopper token, {"qty":1,"key":"..."}
 *   POST /admin/sales               admin token, flashsale's new-sale body
 *   GET  /admin/sales/{id}          admin token: stock, available, reserved, distinctBuyers
 *   GET  /health/ready
 * </pre>
 *
 * IO threads.
 */
final class BaselineApi implements HttpHandler
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Runnable KEEP_OPEN = () -> { };

    private final TokenVerifier tokens;
    private final PurchaseKeys purchaseKeys;
    private final RedisAsyncCommands<String, String> redis;
    private final BaselinePurchase purchase;
    private final Map<Long, BaselineSale> sales = new ConcurrentHashMap<>();

    BaselineApi(final TokenVerifier tokens, final PurchaseKeys purchaseKeys, final RedisAsyncCommands<String, String> redis, final String scriptSha)
    {
        this.tokens = tokens;
        this.purchaseKeys = purchaseKeys;
        this.redis = redis;
        this.purchase = new BaselinePurchase(redis, scriptSha, purchaseKeys);
    }

    @Override
    public void handleRequest(final HttpServerExchange exchange)
    {
        final String method = exchange.getRequestMethod().toString();
        final String[] path = exchange.getRequestPath().substring(1).split("/");
        if (path.length == 2 && path[0].equals("health") && method.equals("GET"))
        {
            BaselineResponses.json(exchange, 200, "{\"status\":\"READY\"}");
            return;
        }
        if (path.length == 4 && path[0].equals("api") && path[1].equals("sales"))
        {
            final Principal shopper = authenticate(exchange, Role.SHOPPER);
            if (shopper == null)
            {
                return;
            }
            final BaselineSale sale = openSale(exchange, id(path[2]));
            if (sale == null)
            {
                return;
            }
            if (path[3].equals("purchase") && method.equals("POST"))
            {
                purchase.handle(exchange, sale, shopper);
                return;
            }
            if (path[3].equals("key") && method.equals("GET"))
            {
                BaselineResponses.json(exchange, 200, "{\"saleId\":" + sale.id() + ",\"key\":\"" + purchaseKeys.keyFor(sale.id(), shopper.userId()) + "\"}");
                return;
            }
        }
        if (path.length >= 2 && path[0].equals("admin") && path[1].equals("sales"))
        {
            if (authenticate(exchange, Role.ADMIN) == null)
            {
                return;
            }
            if (path.length == 2 && method.equals("POST"))
            {
                exchange.getRequestReceiver().receiveFullBytes(this::createSale);
                return;
            }
            if (path.length == 3 && method.equals("GET"))
            {
                books(exchange, id(path[2]));
                return;
            }
        }
        BaselineResponses.problem(exchange, 404, "NOT_FOUND", "no route");
    }

    private Principal authenticate(final HttpServerExchange exchange, final Role role)
    {
        final Object verified = tokens.verifyHeader(exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION));
        if (verified instanceof AuthFailure)
        {
            BaselineResponses.problem(exchange, 401, "UNAUTHENTICATED", "a valid bearer token is required");
            return null;
        }
        final Principal principal = (Principal)verified;
        if (principal.role() != role)
        {
            BaselineResponses.problem(exchange, 403, "FORBIDDEN", "this token's role may not use this route");
            return null;
        }
        return principal;
    }

    private BaselineSale openSale(final HttpServerExchange exchange, final long id)
    {
        final BaselineSale sale = sales.get(id);
        if (sale == null)
        {
            BaselineResponses.problem(exchange, 404, "UNKNOWN_SALE", "there is no sale " + id);
            return null;
        }
        final long now = System.currentTimeMillis();
        if (now < sale.startsAtMillis())
        {
            BaselineResponses.problem(exchange, 425, "NOT_STARTED", "sale " + id + " has not started");
            return null;
        }
        if (now >= sale.endsAtMillis())
        {
            BaselineResponses.problem(exchange, 410, "ENDED", "sale " + id + " has ended");
            return null;
        }
        return sale;
    }

    private void createSale(final HttpServerExchange exchange, final byte[] body)
    {
        final JsonNode json;
        try
        {
            json = JSON.readTree(body);
        }
        catch (final IOException ex)
        {
            BaselineResponses.problem(exchange, 400, "INVALID", "the body is not JSON");
            return;
        }
        final String name = json.path("name").asText("sale");
        final long stock = json.path("stock").asLong(0);
        final long perUser = json.path("perUserLimit").asLong(0);
        final long window = json.path("paymentWindowSeconds").asLong(0);
        final long startsAt;
        final long endsAt;
        try
        {
            startsAt = Instant.parse(json.path("startsAt").asText()).toEpochMilli();
            endsAt = Instant.parse(json.path("endsAt").asText()).toEpochMilli();
        }
        catch (final RuntimeException ex)
        {
            BaselineResponses.problem(exchange, 400, "INVALID", "startsAt and endsAt must be ISO-8601 instants");
            return;
        }
        if (stock < 1 || perUser < 1 || endsAt <= startsAt)
        {
            BaselineResponses.problem(exchange, 400, "INVALID", "stock and perUserLimit must be at least 1, endsAt after startsAt");
            return;
        }
        exchange.dispatch(SameThreadExecutor.INSTANCE, KEEP_OPEN);
        redis.incr("bench:sales").thenCompose(id ->
        {
            final BaselineSale sale = new BaselineSale(id, name, stock, startsAt, endsAt, perUser, window);
            return redis.set(sale.keys()[0], Long.toString(stock)).thenApply(ok -> sale);
        }).whenComplete((sale, error) -> exchange.getIoThread().execute(() ->
        {
            if (error != null)
            {
                BaselineResponses.problem(exchange, 503, "BUSY", "redis failed: " + error);
                return;
            }
            sales.put(sale.id(), sale);
            BaselineResponses.json(exchange, 201, "{\"id\":" + sale.id() + ",\"stock\":" + stock + ",\"available\":" + stock + "}");
        }));
    }

    private void books(final HttpServerExchange exchange, final long id)
    {
        final BaselineSale sale = sales.get(id);
        if (sale == null)
        {
            BaselineResponses.problem(exchange, 404, "UNKNOWN_SALE", "there is no sale " + id);
            return;
        }
        exchange.dispatch(SameThreadExecutor.INSTANCE, KEEP_OPEN);
        final String[] keys = sale.keys();
        redis.get(keys[0]).thenCombine(redis.hlen(keys[1]), (available, buyers) -> List.of(Long.parseLong(available), buyers))
            .whenComplete((counts, error) -> exchange.getIoThread().execute(() ->
            {
                if (error != null)
                {
                    BaselineResponses.problem(exchange, 503, "BUSY", "redis failed: " + error);
                    return;
                }
                final long available = counts.get(0);
                // The baseline has no payment step: every unit sold stays reserved.
                BaselineResponses.json(exchange, 200, "{\"id\":" + id + ",\"stock\":" + sale.stock() + ",\"available\":" + available
                    + ",\"reserved\":" + (sale.stock() - available) + ",\"paid\":0,\"cancelled\":0,\"expired\":0,\"distinctBuyers\":" + counts.get(1) + "}");
            }));
    }

    private static long id(final String text)
    {
        try
        {
            return Long.parseLong(text);
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }
}
