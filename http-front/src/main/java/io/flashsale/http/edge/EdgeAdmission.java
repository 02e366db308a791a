package io.flashsale.http.edge;

import io.flashsale.engine.sale.SaleView;
import io.flashsale.http.admission.Admission;
import io.flashsale.http.admission.AdmissionStats;
import io.flashsale.http.admission.OnlineShoppers;
import io.flashsale.http.admission.PerSale;
import io.flashsale.journal.link.AdmissionListener;
import io.flashsale.journal.link.DemandReporter;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * An edge's admission draw: every attempt at a sale draws with the p the core pushed for it (one
 * p for every front, computed by the core from the demand all of them report), and is counted for
 * the next report to the core. Until the core has pushed a p the sale's p is 1.
 *
 * <p>{@link #admit}, {@link #probability}, {@link #stats}: IO threads (any thread).
 * {@link #onAdmission} and {@link #reportTo}: the agent thread of the followed core's link client.
 */
final class EdgeAdmission implements Admission, AdmissionListener, DemandReporter
{
    private final boolean enabled;
    private final PerSale<SaleDraw> bySale = new PerSale<>(SaleDraw::new);
    private long lastReportNanos = System.nanoTime();
    /** Set once the front is assembled; until then the edge reports no shoppers online. */
    private volatile OnlineShoppers online;

    /** @param enabled false: every attempt goes on to the core (the edge's admission.enabled) */
    EdgeAdmission(final boolean enabled)
    {
        this.enabled = enabled;
    }

    @Override
    public boolean admit(final SaleView view)
    {
        final SaleDraw sale = of(view.id);
        sale.attempts.incrementAndGet();
        final double p = sale.probability;
        if (!enabled || p >= 1.0 || ThreadLocalRandom.current().nextDouble() < p)
        {
            sale.admitted.increment();
            return true;
        }
        sale.shed.increment();
        return false;
    }

    @Override
    public double probability(final SaleView view)
    {
        return enabled ? of(view.id).probability : 1.0;
    }

    @Override
    public AdmissionStats stats(final SaleView view)
    {
        final SaleDraw sale = of(view.id);
        return new AdmissionStats(probability(view), sale.attemptsPerSecond, sale.admitted.sum(), sale.shed.sum());
    }

    /** The core's p for a sale whose view this edge has. */
    @Override
    public void onAdmission(final long saleId, final double probability)
    {
        if (saleId <= 0 || saleId > Integer.MAX_VALUE)
        {
            return;
        }
        // A p outside [0, 1] (or NaN) from a core would be a bug there; it must not stop the edge from selling.
        of(saleId).probability = probability >= 0.0 && probability <= 1.0 ? probability : 1.0;
    }

    /** Where the edge's page loads, clock syncs and key requests are counted, for the reports. */
    void countOnline(final OnlineShoppers online)
    {
        this.online = online;
    }

    /**
     * The attempts that reached the draw per sale since the last report, and the shoppers seen
     * online. A sale with no attempts is reported too while anyone is online, so that the core sees
     * this edge's demand fall to 0 at once instead of when the last figure goes stale.
     * Synchronized: when the edge follows a new core, that core's agent thread reports from then on
     * (uncontended otherwise, every 50 ms).
     */
    @Override
    public synchronized void reportTo(final Sink sink)
    {
        final long now = System.nanoTime();
        final double seconds = Math.max(1e-3, (now - lastReportNanos) / 1e9);
        lastReportNanos = now;
        final OnlineShoppers counter = online;
        final long shoppers = counter == null ? 0 : counter.count();
        final int sales = bySale.size();
        for (int i = 0; i < sales; i++)
        {
            final SaleDraw sale = bySale.at(i);
            final long attempts = sale.attempts.getAndSet(0);
            sale.attemptsPerSecond = attempts / seconds;
            if (attempts > 0 || shoppers > 0 || sale.reportedAttempts)
            {
                sink.sale(i + 1, attempts, shoppers);
            }
            sale.reportedAttempts = attempts > 0;
        }
    }

    private SaleDraw of(final long saleId)
    {
        return bySale.of(saleId);
    }

    private static final class SaleDraw
    {
        final AtomicLong attempts = new AtomicLong();
        final LongAdder admitted = new LongAdder();
        final LongAdder shed = new LongAdder();
        volatile double probability = 1.0;
        volatile double attemptsPerSecond;
        /** Whether the last report had attempts (the link agent only): one report of 0 follows, so the core sees the end. */
        boolean reportedAttempts;
    }
}
