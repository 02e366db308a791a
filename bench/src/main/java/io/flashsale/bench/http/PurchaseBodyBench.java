package io.flashsale.bench.http;

import io.flashsale.http.api.RequestState;
import io.flashsale.http.auth.PurchaseKeys;
import io.flashsale.http.auth.ShopperIds;
import io.flashsale.http.body.BadRequest;
import io.flashsale.http.body.BodyReaders;
import io.flashsale.http.body.CanonicalPurchaseBody;
import io.flashsale.http.body.JsonFields;
import io.flashsale.http.route.Route;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The body step of the purchase path, as the IO thread runs it: {@code {"qty":1,"key":"..."}}
 * read by the canonical fast reader the front tries first, or by the strict {@link JsonFields}
 * (Jackson streaming) with its typed reads, and the purchase-key check (an HMAC-SHA256). Uses the
 * front's public body readers as they are. Any thread (JMH).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PurchaseBodyBench
{
    private static final Set<String> ALLOWED = Set.of("qty", "key");
    private static final long SALE = 7;

    private PurchaseKeys keys;
    private long userId;
    private byte[] body;

    @Setup
    public void setUp()
    {
        keys = new PurchaseKeys("bench-secret-bench-secret-bench-secret!!".getBytes(StandardCharsets.UTF_8));
        userId = ShopperIds.userId("bench-shopper-1");
        body = ("{\"qty\":1,\"key\":\"" + keys.keyFor(SALE, userId) + "\"}").getBytes(StandardCharsets.US_ASCII);
    }

    /** The JSON alone: parse, then read both fields with their checks. */
    @Benchmark
    public Object parsePurchaseBody() throws BadRequest
    {
        final JsonFields fields = JsonFields.parse(body, ALLOWED);
        return fields.requireLong("qty", 1, 2) + fields.requireString("key", BodyReaders.MAX_PURCHASE_KEY_CHARS).length();
    }

    /** The same two fields through the front's first try, {@link CanonicalPurchaseBody} (a RequestState per request, as the front has). */
    @Benchmark
    public Object readCanonicalPurchaseBody()
    {
        final RequestState request = new RequestState(null, Route.PURCHASE, SALE, 0);
        if (!CanonicalPurchaseBody.read(body, 2, BodyReaders.MAX_PURCHASE_KEY_CHARS, request))
        {
            throw new IllegalStateException("the benchmark's body is canonical");
        }
        return request.qty + request.purchaseKey.length();
    }

    /** The JSON and the purchase-key check together: the body step of the strict reader. */
    @Benchmark
    public boolean parseAndCheckKey() throws BadRequest
    {
        final JsonFields fields = JsonFields.parse(body, ALLOWED);
        fields.requireLong("qty", 1, 2);
        return keys.matches(SALE, userId, fields.requireString("key", BodyReaders.MAX_PURCHASE_KEY_CHARS));
    }
}
