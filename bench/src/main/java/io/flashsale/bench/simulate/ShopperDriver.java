package io.flashsale.bench.simulate;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.command.ReplyListener;
import io.flashsale.engine.pipeline.CommandPipeline;

import java.util.BitSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plays one slice of the crowd: a producer thread that fires each shopper's purchase into the
 * ring as fast as the ring takes it, and a reply listener that decides what a shopper does with
 * a reservation (pay, cancel, walk away) or a sold-out answer (try again).
 *
 * <p>{@link #run()} is the producer thread; {@link #onReply} runs on the ring's reply thread and
 * only hands follow-ups back through a queue, so each side owns its own fields.
 */
final class ShopperDriver implements Runnable, ReplyListener
{
    private static final int PAY = 1;
    private static final int CANCEL = 2;
    private static final int RETRY = 3;
    private static final int DOUBLE_CLICK_PER_THOUSAND = 20;

    private final CommandPipeline pipeline;
    private final SimulationSettings settings;
    private final long saleId;
    private final long firstUser;
    private final long endUser;
    private final int maxInFlight;

    private final ConcurrentLinkedQueue<long[]> followUps = new ConcurrentLinkedQueue<>();
    private final AtomicLong inFlight = new AtomicLong();

    // producer thread only
    private final int[] attempts;
    private long busyRetries;

    // reply thread only; read after the pipeline has closed
    private final long[] outcomeCounts = new long[Outcome.values().length];
    private final BitSet paidShoppers = new BitSet();
    private long acknowledgedPaidUnits;

    ShopperDriver(
        final CommandPipeline pipeline,
        final SimulationSettings settings,
        final long saleId,
        final long firstUser,
        final long endUser)
    {
        this.pipeline = pipeline;
        this.settings = settings;
        this.saleId = saleId;
        this.firstUser = firstUser;
        this.endUser = endUser;
        this.attempts = new int[(int)(endUser - firstUser)];
        this.maxInFlight = Math.max(16, settings.ringSize() / settings.threads() / 2);
    }

    @Override
    public void run()
    {
        long nextUser = firstUser;
        while (true)
        {
            long[] followUp;
            while ((followUp = followUps.poll()) != null)
            {
                act(followUp);
            }
            if (nextUser < endUser && inFlight.get() < maxInFlight)
            {
                purchase(nextUser);
                if (doubleClicks(nextUser))
                {
                    purchase(nextUser);
                }
                nextUser++;
            }
            else if (nextUser >= endUser && inFlight.get() == 0 && followUps.isEmpty())
            {
                return;
            }
            else
            {
                Thread.onSpinWait();
            }
        }
    }

    private void act(final long[] followUp)
    {
        final long user = followUp[1];
        switch ((int)followUp[0])
        {
            case PAY -> publish(() -> pipeline.pay(followUp[2], user, "sim-" + followUp[2], this, null));
            case CANCEL -> publish(() -> pipeline.cancel(followUp[2], user, this, null));
            case RETRY ->
            {
                final int index = (int)(user - firstUser);
                if (attempts[index] < settings.retries())
                {
                    attempts[index]++;
                    purchase(user);
                }
            }
            default -> throw new IllegalStateException("unknown follow-up " + followUp[0]);
        }
    }

    private void purchase(final long user)
    {
        final int qty = 1 + (int)(mix(user, 1) % settings.perUserLimit());
        final long key = user * 1_000 + attempts[(int)(user - firstUser)] + 1;
        publish(() -> pipeline.purchase(saleId, user, qty, key, this, null));
    }

    private void publish(final java.util.function.Supplier<Outcome> command)
    {
        inFlight.incrementAndGet();
        Outcome accepted;
        while ((accepted = command.get()) == Outcome.BUSY)
        {
            busyRetries++;
            Thread.yield();
        }
        if (accepted != Outcome.PENDING)
        {
            inFlight.decrementAndGet();
            throw new IllegalStateException("pipeline refused a command: " + accepted);
        }
    }

    @Override
    public void onReply(final CommandEvent reply)
    {
        outcomeCounts[reply.outcome.ordinal()]++;
        switch (reply.type)
        {
            case PURCHASE ->
            {
                if (reply.outcome == Outcome.RESERVED)
                {
                    decide(reply.userId, reply.resultOrderId);
                }
                else if (reply.outcome == Outcome.SOLD_OUT)
                {
                    followUps.add(new long[] {RETRY, reply.userId, 0});
                }
            }
            case PAY ->
            {
                if (reply.outcome == Outcome.PAID)
                {
                    acknowledgedPaidUnits += reply.resultQty;
                    paidShoppers.set((int)(reply.userId - firstUser));
                }
            }
            default ->
            {
            }
        }
        // After the follow-up is queued, so the producer never sees zero in flight with work pending.
        inFlight.decrementAndGet();
    }

    private void decide(final long user, final long orderId)
    {
        final double draw = (mix(user, orderId) >>> 10) * 0x1.0p-53;
        if (draw < settings.payShare())
        {
            followUps.add(new long[] {PAY, user, orderId});
        }
        else if (draw < settings.payShare() + settings.cancelShare())
        {
            followUps.add(new long[] {CANCEL, user, orderId});
        }
        // else the shopper walks away and the payment window expires the order
    }

    private boolean doubleClicks(final long user)
    {
        return mix(user, 7) % 1000 < DOUBLE_CLICK_PER_THOUSAND;
    }

    /** A seeded, stateless draw per (shopper, salt): the same seed plays the same crowd. */
    private long mix(final long a, final long b)
    {
        long z = settings.seed() ^ (a * 0x9E3779B97F4A7C15L) ^ (b * 0xC2B2AE3D27D4EB4FL);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (z ^ (z >>> 31)) & Long.MAX_VALUE;
    }

    long busyRetries()
    {
        return busyRetries;
    }

    long[] outcomeCounts()
    {
        return outcomeCounts;
    }

    long acknowledgedPaidUnits()
    {
        return acknowledgedPaidUnits;
    }

    int paidShoppers()
    {
        return paidShoppers.cardinality();
    }
}
