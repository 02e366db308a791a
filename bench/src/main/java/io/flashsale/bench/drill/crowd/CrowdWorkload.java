package io.flashsale.bench.drill.crowd;

import io.flashsale.bench.load.Answer;
import io.flashsale.bench.load.LoadRequest;
import io.flashsale.bench.load.Workload;
import io.flashsale.http.auth.Role;
import io.flashsale.http.auth.TokenIssuer;
import io.netty.handler.codec.http.HttpMethod;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Arrival {@code i} is shopper {@code i} of the crowd, new to the server: a token of its own
 * (minted here, on arrival, so a million tokens never sit in memory at once), then its purchase
 * key, then one purchase with an Idempotency-Key, and for those who reserved, the same purchase
 * again (a double click, answered from the idempotency state). A few requests each; every one
 * leaves whatever per-shopper state the server keeps: token cache, rate-limit buckets, idempotent
 * replies, engine slot and order.
 *
 * <p>Loop thread only.
 */
final class CrowdWorkload implements Workload
{
    static final String KEY = "key";
    static final String PURCHASE = "purchase";
    static final String AGAIN = "again";

    private final TokenIssuer issuer;
    private final String runTag;
    private final String keyPath;
    private final String purchasePath;
    private final Instant expiresAt;
    final CrowdTally tally;

    CrowdWorkload(final byte[] secret, final String runTag, final long saleId, final Instant expiresAt, final CrowdTally tally)
    {
        this.issuer = new TokenIssuer(secret);
        this.runTag = runTag;
        this.keyPath = "/api/sales/" + saleId + "/key";
        this.purchasePath = "/api/sales/" + saleId + "/purchase";
        this.expiresAt = expiresAt;
        this.tally = tally;
    }

    @Override
    public LoadRequest arrive(final long index)
    {
        final String authorization = "Bearer " + issuer.issue("crowd-" + runTag + "-" + index, Role.SHOPPER, expiresAt);
        return new LoadRequest(KEY, HttpMethod.GET, keyPath, authorization, null, index, 0);
    }

    @Override
    public String onAnswer(final LoadRequest request, final Answer answer, final FollowUps next)
    {
        final int status = answer.status();
        if (status >= 500 && status != 503)
        {
            tally.serverErrors++;
        }
        switch (request.step)
        {
            case KEY ->
            {
                if (status == 200)
                {
                    final String key = field(answer.body(), "key");
                    final byte[] body = ("{\"qty\":1,\"key\":\"" + key + "\"}").getBytes(StandardCharsets.US_ASCII);
                    next.after(0, new LoadRequest(PURCHASE, HttpMethod.POST, purchasePath, request.authorization, body, request.shopper, 0,
                        new String[] {"Idempotency-Key", "crowd-" + request.shopper}));
                }
            }
            case PURCHASE ->
            {
                tally.shoppersTried++;
                if (status == 201)
                {
                    tally.buyers++;
                    next.after(0, new LoadRequest(AGAIN, request.method, request.path, request.authorization, request.body, request.shopper,
                        0, request.headers));
                }
            }
            case AGAIN ->
            {
                if (status == 201 && answer.body().contains("\"state\":\"RESERVED\""))
                {
                    tally.duplicatesAnswered++;
                }
                else
                {
                    tally.duplicatesRefused++;
                }
            }
            default -> throw new IllegalStateException("not a crowd step: " + request.step);
        }
        return label(answer);
    }

    @Override
    public void onError(final LoadRequest request, final String error, final FollowUps next)
    {
        tally.errors++;
        if (request.step.equals(PURCHASE))
        {
            tally.unansweredPurchases++;
        }
    }

    private static String label(final Answer answer)
    {
        final String outcome = field(answer.body(), "outcome");
        return answer.status() + (outcome == null || answer.isSuccess() ? "" : " " + outcome);
    }

    /** The string after {@code "name":"} in compact JSON, or null. */
    private static String field(final String json, final String name)
    {
        final String marker = "\"" + name + "\":\"";
        final int at = json == null ? -1 : json.indexOf(marker);
        if (at < 0)
        {
            return null;
        }
        final int end = json.indexOf('"', at + marker.length());
        return end < 0 ? null : json.substring(at + marker.length(), end);
    }
}
