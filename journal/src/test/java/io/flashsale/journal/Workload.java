package io.flashsale.journal;

import io.flashsale.engine.command.Outcome;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded mix of shopper traffic through a {@link Harness}: purchases (some repeated with the
 * same idempotency key), payments, cancellations, queries, clock moves and ticks, over a few sales.
 */
final class Workload
{
    private final Harness harness;
    private final Random random;
    private final List<long[]> reserved = new ArrayList<>(); // {orderId, userId}
    private long[] sales = new long[0];
    private int journaled;

    Workload(final Harness harness, final long seed)
    {
        this.harness = harness;
        this.random = new Random(seed);
    }

    /** Creates the sales this workload buys from (journaled). */
    Workload withSales(final int count, final long stock)
    {
        sales = new long[count];
        for (int i = 0; i < count; i++)
        {
            final Reply created = harness.createSale("sale " + i + " ✓", stock, 1 + random.nextInt(4), 2_000 + random.nextInt(5_000));
            if (created.outcome() != Outcome.SALE_CREATED)
            {
                throw new AssertionError("sale not created: " + created);
            }
            sales[i] = created.saleId();
            journaled++;
        }
        return this;
    }

    /** The shop's id for a shopper, as the token's subject carries it; every fifth shopper buys without one (an old front). */
    static String subjectOf(final long user)
    {
        return user % 5 == 0 ? null : "shopper-" + user + "@example.com";
    }

    /** Runs {@code steps} commands; returns how many of them were journaled. */
    int run(final int steps)
    {
        for (int i = 0; i < steps; i++)
        {
            step();
        }
        return journaled;
    }

    private void step()
    {
        final int dice = random.nextInt(100);
        if (dice < 55 || reserved.isEmpty())
        {
            final long sale = sales[random.nextInt(sales.length)];
            final long user = 1 + random.nextInt(200);
            final long key = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(50);
            final Reply reply = harness.purchase(sale, user, subjectOf(user), 1 + random.nextInt(2), key);
            if (reply.outcome() == Outcome.RESERVED)
            {
                reserved.add(new long[] {reply.orderId(), user});
            }
            journaled++;
        }
        else if (dice < 75)
        {
            final long[] order = reserved.remove(random.nextInt(reserved.size()));
            harness.pay(order[0], order[1], "pay-" + order[0]);
            journaled++;
        }
        else if (dice < 85)
        {
            final long[] order = reserved.remove(random.nextInt(reserved.size()));
            harness.cancel(order[0], random.nextInt(10) == 0 ? order[1] + 1 : order[1]);
            journaled++;
        }
        else if (dice < 92)
        {
            final long[] order = reserved.get(random.nextInt(reserved.size()));
            harness.query(order[0], order[1]);
        }
        else
        {
            harness.clock.addAndGet(random.nextInt(1_500));
            if (random.nextBoolean())
            {
                harness.tick();
                journaled++;
            }
        }
    }
}
