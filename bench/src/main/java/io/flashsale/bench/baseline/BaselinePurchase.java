package io.flashsale.bench.baseline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flashsale.http.auth.Principal;
import io.flashsale.http.auth.PurchaseKeys;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;

import java.io.IOException;

/**
 * POST /api/sales/{id}/purchase on the Redis baseline: after auth and the time gate, read the
 * body without blocking, check quantity and purchase key, then EVALSHA the purchase script through
 * Lettuce and answer from the exchange's IO thread when Redis replies, as flashsale answers from
 * the ring. IO threads (the Redis callback runs on Lettuce's thread and only hands over).
 */
final class BaselinePurchase
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Runnable KEEP_OPEN = () -> { };

    private final RedisAsyncCommands<String, String> redis;
    private final String scriptSha;
    private final PurchaseKeys purchaseKeys;

    BaselinePurchase(final RedisAsyncCommands<String, String> redis, final String scriptSha, final PurchaseKeys purchaseKeys)
    {
        this.redis = redis;
        this.scriptSha = scriptSha;
        this.purchaseKeys = purchaseKeys;
    }

    void handle(final HttpServerExchange exchange, final BaselineSale sale, final Principal shopper)
    {
        exchange.getRequestReceiver().receiveFullBytes((ex, body) -> onBody(ex, sale, shopper, body),
            (ex, error) -> BaselineResponses.problem(ex, 400, "INVALID", "the body could not be read"));
    }

    private void onBody(final HttpServerExchange exchange, final BaselineSale sale, final Principal shopper, final byte[] body)
    {
        final long qty;
        final String key;
        try
        {
            final JsonNode json = JSON.readTree(body);
            qty = json.path("qty").asLong(0);
            key = json.path("key").asText(null);
        }
        catch (final IOException ex)
        {
            BaselineResponses.problem(exchange, 400, "INVALID", "the body is not JSON");
            return;
        }
        if (qty < 1 || qty > sale.perUserLimit())
        {
            BaselineResponses.problem(exchange, 400, "INVALID", "qty must be between 1 and " + sale.perUserLimit());
            return;
        }
        if (!purchaseKeys.matches(sale.id(), shopper.userId(), key))
        {
            BaselineResponses.problem(exchange, 403, "BAD_PURCHASE_KEY", "not your purchase key for this sale");
            return;
        }
        exchange.dispatch(SameThreadExecutor.INSTANCE, KEEP_OPEN);
        redis.<Long>evalsha(scriptSha, ScriptOutputType.INTEGER, sale.keys(),
                Long.toString(shopper.userId()), Long.toString(qty), Long.toString(sale.perUserLimit()))
            .whenComplete((result, error) -> exchange.getIoThread().execute(() -> reply(exchange, sale, qty, result, error)));
    }

    private static void reply(final HttpServerExchange exchange, final BaselineSale sale, final long qty, final Long result, final Throwable error)
    {
        if (error != null || result == null)
        {
            BaselineResponses.problem(exchange, 503, "BUSY", "redis failed: " + error);
            return;
        }
        final long code = result;
        if (code == PurchaseScript.SOLD_OUT)
        {
            BaselineResponses.problem(exchange, 410, "SOLD_OUT", "sale " + sale.id() + " has fewer units left than asked for");
        }
        else if (code == PurchaseScript.LIMIT_REACHED)
        {
            BaselineResponses.problem(exchange, 409, "LIMIT_REACHED", "above the per-shopper limit of sale " + sale.id());
        }
        else if (code == PurchaseScript.UNKNOWN_SALE)
        {
            BaselineResponses.problem(exchange, 404, "UNKNOWN_SALE", "there is no sale " + sale.id());
        }
        else
        {
            BaselineResponses.json(exchange, 201, "{\"orderId\":" + code + ",\"saleId\":" + sale.id() + ",\"qty\":" + qty + ",\"state\":\"RESERVED\"}");
        }
    }
}
