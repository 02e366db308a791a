package io.flashsale.http.body;

import io.flashsale.http.api.RequestState;
import io.flashsale.http.route.Route;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast reader may decline any body, but a body it takes must be one the strict reader
 * ({@link JsonFields}) accepts with the same quantity and key. Checked on the canonical shapes, on
 * the usual mistakes, and on hundreds of thousands of random mutations of canonical bodies.
 */
class CanonicalPurchaseBodyTest
{
    private static final Set<String> ALLOWED = Set.of("qty", "key");
    private static final int MAX_KEY = BodyReaders.MAX_PURCHASE_KEY_CHARS;
    private static final String KEY = "Ab0_-zZ9aQwErTyUiOpLkJ";
    private static final String ALPHABET = "ABCXYZabcxyz0189-_";
    private static final String NOISE = " \t\r\n\"\\{}[],:0123456789-+.eEnul=/é\u0000xK";

    @Test
    void takesWhatJsonStringifyWritesInEitherOrder()
    {
        assertTaken("{\"qty\":1,\"key\":\"" + KEY + "\"}", 5, 1, KEY);
        assertTaken("{\"key\":\"" + KEY + "\",\"qty\":5}", 5, 5, KEY);
        assertTaken("{\"qty\":123456789,\"key\":\"k\"}", 1_000_000_000, 123_456_789, "k");
        assertTaken("{\"qty\":1,\"key\":\"" + "k".repeat(MAX_KEY) + "\"}", 1, 1, "k".repeat(MAX_KEY));
    }

    @Test
    void declinesEverythingElseForTheStrictReader()
    {
        final String[] declined = {
            "", "{}", "{", "}", "[]", "null",
            "{\"qty\":0,\"key\":\"k\"}",                  // below the range: the strict reader says why
            "{\"qty\":6,\"key\":\"k\"}",                  // above the per-user limit of 5
            "{\"qty\":01,\"key\":\"k\"}",                 // a leading zero is not JSON
            "{\"qty\":-1,\"key\":\"k\"}",
            "{\"qty\":1.0,\"key\":\"k\"}",
            "{\"qty\":1e0,\"key\":\"k\"}",
            "{\"qty\":1234567890,\"key\":\"k\"}",         // ten digits
            "{\"qty\":\"1\",\"key\":\"k\"}",
            "{\"qty\":1,\"key\":\"\"}",
            "{\"qty\":1,\"key\":\"" + "k".repeat(MAX_KEY + 1) + "\"}",
            "{\"qty\":1,\"key\":\"a=\"}",
            "{\"qty\":1,\"key\":\"a b\"}",
            "{\"qty\":1,\"key\":\"a\\u0041\"}",
            "{\"qty\":1,\"key\":\"k\",\"x\":1}",
            "{\"qty\":1,\"qty\":1,\"key\":\"k\"}",
            "{\"qty\": 1,\"key\":\"k\"}",
            " {\"qty\":1,\"key\":\"k\"}",
            "{\"qty\":1,\"key\":\"k\"} ",
            "{\"qty\":1,\"key\":\"k\"}}",
            "{\"qty\":1,\"key\":\"k\",}",
            "{\"qty\":1\"key\":\"k\"}",
            "{\"key\":\"k\"\"qty\":1}",
            "{\"key\":\"k\"x\"qty\":1}",
            "{\"key\":\"k\",\"qty\":1,}",
            "{\"key\":\"k\",\"qty\":}",
            "{\"qty\":,\"key\":\"k\"}",
            "{\"QTY\":1,\"key\":\"k\"}",
        };
        for (final String body : declined)
        {
            assertThat(fast(body, 5)).as(body).isNull();
        }
    }

    @Test
    void everyRandomMutantItTakesTheStrictReaderReadsTheSame() throws BadRequest
    {
        final SplittableRandom random = new SplittableRandom(20261126);
        int taken = 0;
        for (int i = 0; i < 300_000; i++)
        {
            String body = canonical(random);
            final int mutations = random.nextInt(4);
            for (int m = 0; m < mutations; m++)
            {
                body = mutate(body, random);
            }
            final long limit = random.nextInt(3) == 0 ? random.nextLong(1, 20) : 1_000_000;
            final RequestState request = fast(body, limit);
            if (request == null)
            {
                continue;
            }
            taken++;
            final JsonFields strict = JsonFields.parse(body.getBytes(StandardCharsets.UTF_8), ALLOWED);
            assertThat(strict.requireLong("qty", 1, limit)).as(body).isEqualTo(request.qty);
            assertThat(strict.requireString("key", MAX_KEY)).as(body).isEqualTo(request.purchaseKey);
        }
        // Unmutated canonical bodies are a quarter of the draws: the fast reader must take them.
        assertThat(taken).isGreaterThan(60_000);
    }

    private static String canonical(final SplittableRandom random)
    {
        final StringBuilder key = new StringBuilder();
        final int length = random.nextInt(1, MAX_KEY + 1);
        for (int i = 0; i < length; i++)
        {
            key.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        final long qty = random.nextInt(4) == 0 ? random.nextLong(1, 1_000_000_000) : random.nextLong(1, 20);
        return random.nextBoolean()
            ? "{\"qty\":" + qty + ",\"key\":\"" + key + "\"}"
            : "{\"key\":\"" + key + "\",\"qty\":" + qty + "}";
    }

    private static String mutate(final String body, final SplittableRandom random)
    {
        final int at = random.nextInt(body.length() + 1);
        final char noise = NOISE.charAt(random.nextInt(NOISE.length()));
        return switch (random.nextInt(4))
        {
            case 0 -> body.substring(0, at) + noise + body.substring(at);
            case 1 -> at < body.length() ? body.substring(0, at) + body.substring(at + 1) : body;
            case 2 -> at < body.length() ? body.substring(0, at) + noise + body.substring(at + 1) : body;
            default ->
            {
                final int to = Math.min(body.length(), at + random.nextInt(1, 8));
                yield body.substring(0, to) + body.substring(at, to) + body.substring(to);
            }
        };
    }

    private static void assertTaken(final String body, final long limit, final int qty, final String key)
    {
        final RequestState request = fast(body, limit);
        assertThat(request).as(body).isNotNull();
        assertThat(request.qty).isEqualTo(qty);
        assertThat(request.purchaseKey).isEqualTo(key);
    }

    /** The request the fast reader filled, or null when it declined (and then it must have set nothing). */
    private static RequestState fast(final String body, final long limit)
    {
        final RequestState request = new RequestState(null, Route.PURCHASE, 1, 0);
        if (CanonicalPurchaseBody.read(body.getBytes(StandardCharsets.UTF_8), limit, MAX_KEY, request))
        {
            return request;
        }
        assertThat(request.qty).as(body).isZero();
        assertThat(request.purchaseKey).as(body).isNull();
        return null;
    }
}
