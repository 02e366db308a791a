package io.flashsale.bench.edge;

import io.flashsale.bench.load.Answer;
import io.flashsale.bench.load.LoadRequest;
import io.flashsale.bench.load.Workload;
import io.flashsale.bench.scenario.Crowd;
import io.flashsale.bench.scenario.JsonPeek;
import io.netty.handler.codec.http.HttpMethod;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Shoppers who do what a 503 tells them: arrival i is shopper i mod crowd size buying one unit
 * with its own Idempotency-Key; a 503 or a lost answer is tried again with the same key after
 * Retry-After (half a second when none), at most {@code attempts} times in all. Keeps what the
 * shoppers were told: the order each key was acknowledged with (a key answered with two orders is
 * a violation), and the keys whose fate is still unknown (the last word on them was "outcome
 * unknown", "edge unavailable" or no answer, and no 201 came after).
 *
 * <p>Loop thread only; read the tallies after the run (one loop: {@code threads = 1}).
 */
public final class RetriedPurchases implements Workload
{
    public static final String STEP = "purchase";
    private static final long NO_RETRY_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final Crowd crowd;
    private final String path;
    private final String keyPrefix;
    private final int attempts;
    private final Map<String, Long> acknowledged = new HashMap<>();
    private final Map<String, Integer> shopperOfKey = new HashMap<>();
    private final Set<String> unknown = new HashSet<>();
    private final List<String> violations = new ArrayList<>();
    private long retries;

    /** @param crowd shoppers with their keys for {@code saleId} ({@link Crowd#withKeysFor}) */
    public RetriedPurchases(final Crowd crowd, final long saleId, final String keyPrefix, final int attempts)
    {
        this.crowd = crowd;
        this.path = "/api/sales/" + saleId + "/purchase";
        this.keyPrefix = keyPrefix;
        this.attempts = attempts;
    }

    @Override
    public LoadRequest arrive(final long index)
    {
        final int shopper = (int)(index % crowd.size());
        final String key = keyPrefix + "-" + index;
        shopperOfKey.put(key, shopper);
        return purchase(shopper, key, 1);
    }

    private LoadRequest purchase(final int shopper, final String key, final int attempt)
    {
        final byte[] body = ("{\"qty\":1,\"key\":\"" + crowd.key(shopper) + "\"}").getBytes(StandardCharsets.US_ASCII);
        return new LoadRequest(STEP, HttpMethod.POST, path, crowd.authorization(shopper), body, shopper, attempt,
            new String[] {"Idempotency-Key", key});
    }

    @Override
    public String onAnswer(final LoadRequest request, final Answer answer, final FollowUps followUps)
    {
        final String key = request.headers[1];
        if (answer.status() == 201)
        {
            final long orderId = JsonPeek.longField(answer.body(), "orderId", -1);
            final Long earlier = acknowledged.putIfAbsent(key, orderId);
            if (earlier != null && earlier != orderId)
            {
                violations.add("key " + key + " was acknowledged with order " + earlier + " and then with order " + orderId);
            }
            unknown.remove(key);
            return "201 RESERVED";
        }
        final String outcome = JsonPeek.stringField(answer.body(), "outcome");
        if (answer.status() == 503)
        {
            if (outcomeNotKnown(outcome))
            {
                unknown.add(key);
            }
            retry(request, answer.retryAfterSeconds() > 0 ? TimeUnit.SECONDS.toNanos(answer.retryAfterSeconds()) : NO_RETRY_AFTER_NANOS, followUps);
        }
        return answer.status() + " " + (outcome == null ? "?" : outcome);
    }

    @Override
    public void onError(final LoadRequest request, final String error, final FollowUps followUps)
    {
        unknown.add(request.headers[1]);
        retry(request, NO_RETRY_AFTER_NANOS, followUps);
    }

    /** The answers that leave a purchase's fate open: it may have been applied. */
    public static boolean outcomeNotKnown(final String outcome)
    {
        return outcome == null || "OUTCOME_UNKNOWN".equals(outcome) || "EDGE_UNAVAILABLE".equals(outcome) || "ENGINE_ERROR".equals(outcome);
    }

    private void retry(final LoadRequest request, final long delayNanos, final FollowUps followUps)
    {
        if (request.tag < attempts)
        {
            retries++;
            followUps.after(delayNanos, purchase((int)request.shopper, request.headers[1], (int)request.tag + 1));
        }
    }

    /** Idempotency-Key → the order it was acknowledged with. */
    public Map<String, Long> acknowledged()
    {
        return acknowledged;
    }

    /** The shopper (index into the crowd) who used the key. */
    public int shopperOf(final String key)
    {
        return shopperOfKey.get(key);
    }

    /** Keys never acknowledged whose last word left their outcome open. */
    public Set<String> unknown()
    {
        return unknown;
    }

    public List<String> violations()
    {
        return violations;
    }

    public long retries()
    {
        return retries;
    }
}
