package io.flashsale.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Admission through real HTTP, in virtual time: the controller's clock advances a fixed step on
 * every read, so "attempts per second" is set by the test, not by how fast the machine is.
 *
 * <p>The flood comes from shoppers who already hold their limit, so every attempt that reaches the
 * ring answers 409 and the units left stay constant: the 409s count exactly what the ring saw.
 */
class AdmissionHttpTest
{
    private static final long MS = 1_000_000;

    /** Each read moves time forward by the current step. */
    static final class StepClock
    {
        final AtomicLong now = new AtomicLong(1_000_000 * MS);
        volatile long step = 100 * MS;

        long read()
        {
            return now.addAndGet(step);
        }
    }

    @Test
    void underAFloodTheRingSeesAboutTheMultipleOfTheUnitsLeftAndWithLowDemandNobodyIsShed() throws Exception
    {
        final StepClock clock = new StepClock();
        try (TestServer s = new TestServer(config -> {
            config.admission.multiple = 2.0;
            config.admission.intervalMillis = 100;
        }, new ServerEnvironment().nanoClock(clock::read)))
        {
            final long sale = s.createSale(50, 0, 1, 600);

            // Low demand: one attempt every 100 ms of controller time. All admitted, all served.
            for (int i = 0; i < 20; i++)
            {
                assertThat(s.purchase(sale, "early-" + i, 1).status()).isEqualTo(201);
            }
            JsonNode admission = s.adminSale(sale).get("admission");
            assertThat(admission.get("shed").asLong()).isZero();
            assertThat(admission.get("probability").asDouble()).isEqualTo(1.0);

            // Flood: 50,000 attempts per second of controller time for ~200 ms, from the same 20 shoppers.
            clock.step = 20_000;
            final long floodStart = clock.now.get();
            final AtomicInteger reachedRing = new AtomicInteger();
            final AtomicInteger shed = new AtomicInteger();
            final ExecutorService pool = Executors.newFixedThreadPool(8);
            final List<Future<?>> done = new ArrayList<>();
            final int attempts = 10_000;
            final String[] tokens = new String[20];
            final String[] bodies = new String[20];
            for (int i = 0; i < 20; i++)
            {
                tokens[i] = s.shopper("early-" + i);
                bodies[i] = "{\"qty\":1,\"key\":\"" + s.keyFor(sale, "early-" + i) + "\"}";
            }
            for (int t = 0; t < 8; t++)
            {
                final int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = thread; i < attempts; i += 8)
                    {
                        final TestServer.Response response = s.post("/api/sales/" + sale + "/purchase", tokens[i % 20], bodies[i % 20]);
                        if (response.status() == 409)
                        {
                            reachedRing.incrementAndGet();
                        }
                        else
                        {
                            response.problem(503, "NOT_ADMITTED");
                            assertThat(response.header("Retry-After")).isEqualTo("1");
                            shed.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (final Future<?> future : done)
            {
                future.get();
            }
            pool.shutdown();
            final double intervals = (clock.now.get() - floodStart) / (100.0 * MS);

            // 30 units left, multiple 2: about 60 attempts per 100 ms interval reach the ring.
            final double perInterval = reachedRing.get() / intervals;
            assertThat(perInterval).as("ring saw %d over %.1f intervals", reachedRing.get(), intervals).isBetween(30.0, 150.0);
            assertThat(reachedRing.get() + shed.get()).isEqualTo(attempts);
            assertThat(shed.get()).isGreaterThan(attempts * 9 / 10);

            admission = s.adminSale(sale).get("admission");
            assertThat(admission.get("probability").asDouble()).isLessThan(0.1);
            assertThat(s.get("/metrics", null).body()).contains("flashsale_admission_probability{sale=\"" + sale + "\"}");
            final JsonNode counts = s.adminSale(sale);
            assertThat(counts.get("reserved").asLong()).isEqualTo(20);
            assertThat(counts.get("available").asLong()).isEqualTo(30);

            // The crowd leaves: one interval later (each admin read is 100 ms of controller time) the
            // flood has left the window, p is back to 1 and nobody is shed.
            clock.step = 100 * MS;
            s.adminSale(sale);
            assertThat(s.adminSale(sale).get("admission").get("probability").asDouble()).isEqualTo(1.0);
            for (int i = 0; i < 10; i++)
            {
                assertThat(s.purchase(sale, "late-" + i, 1).status()).isEqualTo(201);
            }
        }
    }
}
