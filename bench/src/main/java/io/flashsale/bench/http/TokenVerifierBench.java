package io.flashsale.bench.http;

import io.flashsale.http.auth.Role;
import io.flashsale.http.auth.TokenIssuer;
import io.flashsale.http.auth.TokenVerifier;
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
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Is caching verified tokens worth it? Verifies a pool of 10,000 distinct shopper tokens (the
 * header text as it arrives, a fresh String each time as Undertow gives it) with and without the
 * cache. Run: {@code java -cp 'bench/target/classes:bench/target/lib/*' org.openjdk.jmh.Main TokenVerifierBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TokenVerifierBench
{
    private static final byte[] SECRET = "bench-secret-bench-secret-bench-secret!!".getBytes(StandardCharsets.UTF_8);

    private char[][] headers;
    private TokenVerifier cached;
    private TokenVerifier uncached;
    private int next;

    @Setup
    public void setUp()
    {
        final TokenIssuer issuer = new TokenIssuer(SECRET);
        headers = new char[10_000][];
        for (int i = 0; i < headers.length; i++)
        {
            headers[i] = ("Bearer " + issuer.issue("shopper-" + i, Role.SHOPPER, Instant.now().plusSeconds(3600))).toCharArray();
        }
        cached = new TokenVerifier(SECRET, 100_000, System::currentTimeMillis);
        uncached = new TokenVerifier(SECRET, 0, System::currentTimeMillis);
    }

    private String nextHeader()
    {
        next = (next + 1) % headers.length;
        return new String(headers[next]);
    }

    @Benchmark
    public Object verifyWithCache()
    {
        return cached.verifyHeader(nextHeader());
    }

    @Benchmark
    public Object verifyWithoutCache()
    {
        return uncached.verifyHeader(nextHeader());
    }
}
