package io.flashsale.bench.scenario;

import io.flashsale.bench.load.Answer;
import io.flashsale.bench.load.LoadRequest;
import io.netty.handler.codec.http.HttpMethod;

import java.nio.charset.StandardCharsets;

/**
 * The shopper side of the HTTP API, as load requests: fetch the purchase key, purchase, pay,
 * cancel; and the outcome label of an answer ("201 RESERVED", "410 SOLD_OUT", from the problem's
 * {@code outcome}). The paths are built once per sale. Immutable; any thread.
 */
final class ShopRequests
{
    static final String KEY = "key";
    static final String PURCHASE = "purchase";
    static final String PAY = "pay";
    static final String CANCEL = "cancel";

    private final String keyPath;
    private final String purchasePath;

    ShopRequests(final long saleId)
    {
        this.keyPath = "/api/sales/" + saleId + "/key";
        this.purchasePath = "/api/sales/" + saleId + "/purchase";
    }

    LoadRequest key(final Crowd crowd, final int shopper, final long tag)
    {
        return new LoadRequest(KEY, HttpMethod.GET, keyPath, crowd.authorization(shopper), null, shopper, tag);
    }

    LoadRequest purchase(final Crowd crowd, final int shopper, final String key, final long tag)
    {
        final byte[] body = ("{\"qty\":1,\"key\":\"" + key + "\"}").getBytes(StandardCharsets.US_ASCII);
        return new LoadRequest(PURCHASE, HttpMethod.POST, purchasePath, crowd.authorization(shopper), body, shopper, tag);
    }

    LoadRequest pay(final Crowd crowd, final int shopper, final long orderId)
    {
        final byte[] body = ("{\"paymentRef\":\"bench-" + shopper + "\"}").getBytes(StandardCharsets.US_ASCII);
        return new LoadRequest(PAY, HttpMethod.POST, "/api/orders/" + orderId + "/pay", crowd.authorization(shopper), body, shopper, orderId);
    }

    LoadRequest cancel(final Crowd crowd, final int shopper, final long orderId)
    {
        return new LoadRequest(CANCEL, HttpMethod.POST, "/api/orders/" + orderId + "/cancel", crowd.authorization(shopper), null, shopper, orderId);
    }

    /** The outcome of an answer: for success the name given, else the problem's {@code outcome} field. */
    static String label(final Answer answer, final String success)
    {
        if (answer.isSuccess())
        {
            return answer.status() + " " + success;
        }
        final String outcome = JsonPeek.stringField(answer.body(), "outcome");
        return answer.status() + " " + (outcome == null ? "?" : outcome);
    }

    static String outcome(final Answer answer)
    {
        return JsonPeek.stringField(answer.body(), "outcome");
    }
}
