package io.flashsale.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A crowd through real HTTP with every filter on (admission included): thousands of shoppers on
 * many threads race for a small stock. Exactly the stock is reserved, nobody holds more than the
 * limit, and the admin counts agree with what the shoppers were told.
 */
class ConcurrentPurchaseTest
{
    private static final int SHOPPERS = 2000;
    private static final int STOCK = 60;
    private static final int LIMIT = 2;
    private static final int THREADS = 16;

    @Test
    void aCrowdBuysExactlyTheStockAndNobodyMoreThanTheLimit() throws Exception
    {
        try (TestServer s = new TestServer())
        {
            final long sale = s.createSale(STOCK, 0, LIMIT, 600);
            final Map<String, AtomicInteger> unitsBy = new ConcurrentHashMap<>();
            final Set<Long> orderIds = ConcurrentHashMap.newKeySet();
            final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            final List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < SHOPPERS; i++)
            {
                final String shopper = "crowd-" + i;
                done.add(pool.submit(() -> {
                    // Each shopper tries to buy three times (one more than allowed), retrying a shed attempt.
                    for (int attempt = 0, shed = 0; attempt < LIMIT + 1 && shed < 50; )
                    {
                        final TestServer.Response response = s.purchase(sale, shopper, 1);
                        statuses.computeIfAbsent(response.status(), k -> new AtomicInteger()).incrementAndGet();
                        if (response.status() == 503)
                        {
                            shed++;
                            continue;
                        }
                        attempt++;
                        if (response.status() == 201)
                        {
                            final JsonNode order = response.json();
                            assertThat(orderIds.add(order.get("orderId").asLong())).isTrue();
                            unitsBy.computeIfAbsent(shopper, k -> new AtomicInteger()).addAndGet(order.get("qty").asInt());
                        }
                        else if (response.status() == 410)
                        {
                            return null;
                        }
                        else
                        {
                            assertThat(response.status()).as(response.body()).isEqualTo(409);
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

            final int sold = unitsBy.values().stream().mapToInt(AtomicInteger::get).sum();
            assertThat(sold).isEqualTo(STOCK);
            assertThat(unitsBy.values()).allSatisfy(units -> assertThat(units.get()).isBetween(1, LIMIT));
            assertThat(statuses.keySet()).isSubsetOf(201, 409, 410, 503);

            final JsonNode counts = s.adminSale(sale);
            assertThat(counts.get("available").asLong()).isZero();
            assertThat(counts.get("reserved").asLong()).isEqualTo(sold);
            assertThat(counts.get("distinctBuyers").asLong()).isEqualTo(unitsBy.size());
            assertThat(counts.get("stock").asLong()).isEqualTo(STOCK);
            assertThat(statuses.get(201).get()).isEqualTo(orderIds.size());
        }
    }
}
