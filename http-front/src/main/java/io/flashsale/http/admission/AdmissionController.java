package io.flashsale.http.admission;

import io.flashsale.engine.sale.SaleView;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Decides, per sale, with which probability p a purchase attempt may go on to the ring, so that the
 * ring sees about {@code multiple} attempts per unit still available per interval, not the crowd.
 *
 * <p>Each sale keeps a window of arrivals (attempts that reached the draw). p is recomputed from
 * the measured arrival rate and the units available when the window is {@code interval} old, and
 * early when the attempts already admitted in the window exceed the target (the onset of a surge:
 * waiting for the full window would let the first surge through). The recompute happens on
 * whichever thread finds it due (an arrival, a metrics scrape, an admin read), so p is never older
 * than one interval while anyone is looking, and no timer thread is needed. With low demand p is 1
 * and nobody is shed; every attempt draws uniformly, so every shopper has the same chance.
 *
 * <p>Any thread. The clock is injectable so tests can play a flood in virtual time.
 */
public final class AdmissionController implements Admission
{
    private static final long MIN_ELAPSED_NANOS = 1_000_000;

    private final boolean enabled;
    private final double multiple;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final Object growLock = new Object();
    private volatile SaleAdmission[] bySale = new SaleAdmission[0];

    public AdmissionController(final boolean enabled, final double multiple, final long intervalMillis, final LongSupplier nanoClock)
    {
        this.enabled = enabled;
        this.multiple = multiple;
        this.intervalNanos = intervalMillis * 1_000_000L;
        this.nanoClock = nanoClock;
    }

    @Override
    public boolean admit(final SaleView view)
    {
        if (!enabled)
        {
            return true;
        }
        final SaleAdmission sale = of(view.id);
        final long now = nanoClock.getAsLong();
        sale.arrivals.incrementAndGet();
        if (now - sale.windowStart >= intervalNanos || sale.admittedInWindow.get() > target(view))
        {
            sale.recompute(now, view);
        }
        final double p = sale.probability;
        if (p >= 1.0 || ThreadLocalRandom.current().nextDouble() < p)
        {
            sale.admittedInWindow.incrementAndGet();
            sale.admitted.increment();
            return true;
        }
        sale.shed.increment();
        return false;
    }

    /** Recomputed first if due. */
    @Override
    public double probability(final SaleView view)
    {
        if (!enabled)
        {
            return 1.0;
        }
        final SaleAdmission sale = of(view.id);
        final long now = nanoClock.getAsLong();
        if (now - sale.windowStart >= intervalNanos)
        {
            sale.recompute(now, view);
        }
        return sale.probability;
    }

    /** Recomputes first if due. */
    @Override
    public AdmissionStats stats(final SaleView view)
    {
        final double p = probability(view);
        final SaleAdmission sale = of(view.id);
        return new AdmissionStats(p, sale.arrivalRatePerSecond, sale.admitted.sum(), sale.shed.sum());
    }

    /**
     * An edge's demand for a sale since its last report (the link's agent thread): its attempts
     * count as arrivals here, so the next p is computed from the demand every front saw. Only the
     * attempts are used so far; online shoppers and the window wait for the central algorithm.
     */
    public void onReport(final int edgeId, final long saleId, final long attempts, final long onlineShoppers, final long windowMillis)
    {
        if (saleId <= 0 || saleId > Integer.MAX_VALUE || attempts <= 0)
        {
            return;
        }
        of(saleId).arrivals.addAndGet(attempts);
    }

    private double target(final SaleView view)
    {
        return multiple * view.available();
    }

    private SaleAdmission of(final long saleId)
    {
        final SaleAdmission[] sales = bySale;
        if (saleId <= sales.length)
        {
            return sales[(int)(saleId - 1)];
        }
        synchronized (growLock)
        {
            SaleAdmission[] grown = bySale;
            if (saleId > grown.length)
            {
                final int oldLength = grown.length;
                grown = Arrays.copyOf(grown, (int)saleId);
                final long now = nanoClock.getAsLong();
                for (int i = oldLength; i < grown.length; i++)
                {
                    grown[i] = new SaleAdmission(now);
                }
                bySale = grown;
            }
            return grown[(int)(saleId - 1)];
        }
    }

    private final class SaleAdmission
    {
        final AtomicLong arrivals = new AtomicLong();
        final AtomicLong admittedInWindow = new AtomicLong();
        final LongAdder admitted = new LongAdder();
        final LongAdder shed = new LongAdder();
        final AtomicBoolean recomputing = new AtomicBoolean();
        volatile long windowStart;
        volatile double probability = 1.0;
        volatile double arrivalRatePerSecond;

        SaleAdmission(final long now)
        {
            this.windowStart = now;
        }

        /** One thread at a time; the others keep drawing with the p they read. */
        void recompute(final long now, final SaleView view)
        {
            if (!recomputing.compareAndSet(false, true))
            {
                return;
            }
            try
            {
                final long elapsed = Math.max(MIN_ELAPSED_NANOS, now - windowStart);
                final long seen = arrivals.getAndSet(0);
                admittedInWindow.set(0);
                windowStart = now;
                final double perInterval = (double)seen * intervalNanos / elapsed;
                final double target = multiple * view.available();
                arrivalRatePerSecond = seen * 1e9 / elapsed;
                probability = perInterval <= target ? 1.0 : target / perInterval;
            }
            finally
            {
                recomputing.set(false);
            }
        }
    }
}
