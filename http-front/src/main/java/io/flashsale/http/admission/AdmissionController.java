package io.flashsale.http.admission;

import io.flashsale.engine.sale.SaleView;
import io.flashsale.http.config.ServerConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The core's central admission: one probability p per sale, from the demand of every front (this
 * process's own, plus what each edge reports), the units left and the core's measured capacity.
 * Every attempt anywhere draws with the same p, so a shopper on a busy edge has the same chance as
 * one on a quiet edge. Per sale and interval (default 100 ms):
 *
 * <pre>
 *   demand      = own front's arrivals/s + Σ arrivals/s of each edge that reported within 3 intervals
 *   unitsTarget = multiple × units available
 *   floor       = alwaysAdmitPerSecond × interval
 *   capacity    = max(0, coreUtilization × measured commands/s × interval − ring backlog)
 *   target      = min(capacity ÷ sales with demand, max(floor, unitsTarget))
 *   expected    = demand × interval
 *   p           = 1 when expected ≤ target, else target ÷ expected
 * </pre>
 *
 * The floor is why a small crowd is never shed: while the attempts expected in an interval fit
 * under it, p is 1 whatever the units left; only the core's capacity may lower it, and the floor's
 * default is a few percent of that. The capacity term is why a flood never queues on the ring: it
 * is also a hard cap within each window (once the window's admissions, here and at the edges as
 * the link reports them, near the capacity share, p is lowered to what is left of it over the
 * attempts still expected), so an interval never admits more than the ring applies in an interval
 * less what already waits, and the backlog stays under one interval's work.
 *
 * <p>p is recomputed when the sale's window is an interval old, on whichever thread finds it due
 * (a draw, the link asking {@link #probability} to push it, a metrics scrape), so it is never older
 * than an interval while anyone looks; early when a whole interval's target has been admitted
 * since the last look or this front's attempts in the window have doubled since (the onset of a
 * surge: waiting for the window's end would let it through), and when an edge's report moves its
 * demand by more than a quarter. The window in progress counts as a lower bound of this front's
 * rate, never extrapolated from less than a tenth of an interval.
 *
 * <p>Threads: {@link #admit}, {@link #probability}, {@link #stats} and {@link #demandByFront}
 * from any thread, without locks (one recompute at a time per sale, the others draw with the p
 * they read). {@link #onReport}, {@link #onEdgeAdmitted} and {@link #onEdgeLeft} from one thread
 * at a time (the link's agent). No allocation in steady state: a sale's state is made the first
 * time it is seen.
 */
public final class AdmissionController implements Admission
{
    /** Edges the core tracks at once; reports from more are ignored (and counted). */
    public static final int MAX_EDGES = 64;
    /** The row name of this process's own front in the admin view. */
    public static final String OWN_FRONT = "core";
    /** An edge's report counts this long at least, however short the interval (edges report every ≤ 100 ms). */
    private static final long MIN_STALE_NANOS = 300_000_000L;
    /** Reports may name sales this far beyond the ones seen here (the views reach edges after the core saw them). */
    private static final int SALE_ID_SLACK = 1024;
    private static final long SLOT_USED = 1L << 32;
    private static final double DEMAND_JUMP = 0.25;

    private final boolean enabled;
    private final double multiple;
    private final long intervalNanos;
    private final double intervalSeconds;
    private final double floorPerInterval;
    private final double utilization;
    private final long staleNanos;
    private final LongSupplier nanoClock;
    private final CoreCapacity capacity;
    private final OnlineShoppers ownOnline;
    private final Object growLock = new Object();
    private volatile SaleAdmission[] bySale = new SaleAdmission[0];
    /** Which edge holds each slot: {@code SLOT_USED | edgeId}, or 0 when free. Written by the report thread only. */
    private final AtomicLongArray edgeSlots = new AtomicLongArray(MAX_EDGES);
    private final AtomicLong ignoredReports = new AtomicLong();

    /**
     * @param config    the admission section of the configuration
     * @param nanoClock a monotonic clock in nanoseconds; tests pass a virtual one
     * @param capacity  the core's measured capacity
     * @param ownOnline this process's own front's online shoppers, for its row in the admin view
     */
    public AdmissionController(
        final ServerConfig.Admission config, final LongSupplier nanoClock, final CoreCapacity capacity, final OnlineShoppers ownOnline)
    {
        this.enabled = config.enabled;
        this.multiple = config.multiple;
        this.intervalNanos = config.intervalMillis * 1_000_000L;
        this.intervalSeconds = config.intervalMillis / 1000.0;
        this.floorPerInterval = config.alwaysAdmitPerSecond * intervalSeconds;
        this.utilization = config.coreUtilization;
        this.staleNanos = Math.max(MIN_STALE_NANOS, 3 * intervalNanos);
        this.nanoClock = nanoClock;
        this.capacity = capacity;
        this.ownOnline = ownOnline;
    }

    // ---- the draw: any thread

    @Override
    public boolean admit(final SaleView view)
    {
        if (!enabled)
        {
            return true;
        }
        final SaleAdmission sale = of(view.id);
        final long now = nanoClock.getAsLong();
        final long arrived = sale.arrivals.incrementAndGet();
        if (sale.due(now) || arrived >= sale.arrivalLimit)
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

    /** Recomputed first if due: the link calls this every 50 ms per sale to push p to the edges. */
    @Override
    public double probability(final SaleView view)
    {
        if (!enabled)
        {
            return 1.0;
        }
        final SaleAdmission sale = of(view.id);
        final long now = nanoClock.getAsLong();
        if (sale.due(now))
        {
            sale.recompute(now, view);
        }
        return sale.probability;
    }

    /** Totals over every front; an edge's shed is its attempts less its purchases that reached the core. */
    @Override
    public AdmissionStats stats(final SaleView view)
    {
        final double p = probability(view);
        final SaleAdmission sale = of(view.id);
        long admitted = sale.admitted.sum() + sale.departedAdmitted;
        long shed = sale.shed.sum() + Math.max(0, sale.departedAttempts - sale.departedAdmitted);
        for (int slot = 0; slot < MAX_EDGES; slot++)
        {
            if (edgeSlots.get(slot) != 0)
            {
                final long edgeAdmitted = sale.edgeAdmitted.get(slot);
                admitted += edgeAdmitted;
                shed += Math.max(0, sale.edgeAttempts.get(slot) - edgeAdmitted);
            }
        }
        return new AdmissionStats(p, sale.globalRate, admitted, shed);
    }

    /** The own front first ({@value #OWN_FRONT}), then each edge in the order they joined. Allocates: admin and metrics only. */
    @Override
    public List<FrontDemand> demandByFront(final SaleView view)
    {
        probability(view);
        final SaleAdmission sale = of(view.id);
        final long now = nanoClock.getAsLong();
        final List<FrontDemand> fronts = new ArrayList<>();
        final long ownAdmitted = sale.admitted.sum();
        fronts.add(new FrontDemand(OWN_FRONT, sale.ownRate, ownOnline == null ? 0 : ownOnline.count(), ownAdmitted + sale.shed.sum(), ownAdmitted));
        for (int slot = 0; slot < MAX_EDGES; slot++)
        {
            final long held = edgeSlots.get(slot);
            if (held != 0)
            {
                final boolean fresh = now - sale.edgeReportedAt.get(slot) <= staleNanos;
                fronts.add(new FrontDemand("edge-" + (int)held,
                    fresh ? Double.longBitsToDouble(sale.edgeRate.get(slot)) : 0.0,
                    fresh ? sale.edgeOnline.get(slot) : 0,
                    sale.edgeAttempts.get(slot), sale.edgeAdmitted.get(slot)));
            }
        }
        return fronts;
    }

    // ---- the edges' reports: one thread at a time (the link's agent)

    /**
     * An edge's figures for one sale over its last report window.
     *
     * @param edgeId         the edge, as the link names it
     * @param saleId         the sale
     * @param attempts       purchase attempts that reached the edge's draw in the window
     * @param onlineShoppers shoppers the edge saw in the last minute ({@link OnlineShoppers#count()})
     * @param windowMillis   the window's length
     * @return true when the report moved the sale's demand enough that p is recomputed at once (the
     *         link then pushes it without waiting for its interval)
     */
    public boolean onReport(final int edgeId, final long saleId, final long attempts, final long onlineShoppers, final long windowMillis)
    {
        if (saleId < 1 || saleId > bySale.length + SALE_ID_SLACK || attempts < 0 || onlineShoppers < 0 || windowMillis <= 0)
        {
            ignoredReports.incrementAndGet();
            return false;
        }
        final int slot = slotOf(edgeId, true);
        if (slot < 0)
        {
            ignoredReports.incrementAndGet();
            return false;
        }
        final SaleAdmission sale = of(saleId);
        final long now = nanoClock.getAsLong();
        final double rate = attempts * 1000.0 / windowMillis;
        final double before = now - sale.edgeReportedAt.get(slot) <= staleNanos ? Double.longBitsToDouble(sale.edgeRate.get(slot)) : 0.0;
        sale.edgeRate.set(slot, Double.doubleToRawLongBits(rate));
        sale.edgeOnline.set(slot, onlineShoppers);
        sale.edgeAttempts.set(slot, sale.edgeAttempts.get(slot) + attempts);
        sale.edgeReportedAt.set(slot, now);
        if (Math.abs(rate - before) > DEMAND_JUMP * Math.max(before, 1.0 / intervalSeconds))
        {
            sale.demandMoved = true;
            return true;
        }
        return false;
    }

    /** A purchase from this edge for this sale reached the core (it won the edge's draw). */
    public void onEdgeAdmitted(final int edgeId, final long saleId)
    {
        final int slot = slotOf(edgeId, false);
        final SaleAdmission[] sales = bySale;
        if (slot >= 0 && saleId >= 1 && saleId <= sales.length)
        {
            final SaleAdmission sale = sales[(int)(saleId - 1)];
            sale.edgeAdmitted.set(slot, sale.edgeAdmitted.get(slot) + 1);
            sale.admittedInWindow.incrementAndGet();
        }
    }

    /** The edge is gone (the link lost it): its demand stops counting at once; its totals stay in the sale's. */
    public void onEdgeLeft(final int edgeId)
    {
        final int slot = slotOf(edgeId, false);
        if (slot < 0)
        {
            return;
        }
        for (final SaleAdmission sale : bySale)
        {
            final boolean counted = sale.edgeRate.get(slot) != 0 && sale.edgeReportedAt.get(slot) != 0;
            sale.departedAttempts += sale.edgeAttempts.get(slot);
            sale.departedAdmitted += sale.edgeAdmitted.get(slot);
            sale.edgeReportedAt.set(slot, 0);
            sale.edgeRate.set(slot, 0);
            sale.edgeOnline.set(slot, 0);
            sale.edgeAttempts.set(slot, 0);
            sale.edgeAdmitted.set(slot, 0);
            if (counted)
            {
                sale.demandMoved = true;
            }
        }
        edgeSlots.set(slot, 0);
    }

    /** Reports refused: bad figures, an unknown sale, or more than {@link #MAX_EDGES} edges. */
    public long ignoredReports()
    {
        return ignoredReports.get();
    }

    private int slotOf(final int edgeId, final boolean claim)
    {
        final long held = SLOT_USED | (edgeId & 0xFFFF_FFFFL);
        int free = -1;
        for (int slot = 0; slot < MAX_EDGES; slot++)
        {
            final long value = edgeSlots.get(slot);
            if (value == held)
            {
                return slot;
            }
            if (value == 0 && free < 0)
            {
                free = slot;
            }
        }
        if (claim && free >= 0)
        {
            edgeSlots.set(free, held);
            return free;
        }
        return -1;
    }

    // ---- the rule

    /** Purchases the core can take this interval, over every sale: measured rate less the backlog. */
    private double capacityPerInterval()
    {
        final double perSecond = capacity.commandsPerSecond();
        if (Double.isInfinite(perSecond))
        {
            return Double.POSITIVE_INFINITY;
        }
        return Math.max(0.0, utilization * perSecond * intervalSeconds - capacity.backlog());
    }

    /** This sale and the others that had demand in the last few intervals share the capacity equally. */
    private int salesWithDemand(final SaleAdmission self, final long now)
    {
        int count = 1;
        for (final SaleAdmission other : bySale)
        {
            if (other != self && other.globalRate > 0 && now - other.windowStart < staleNanos)
            {
                count++;
            }
        }
        return count;
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
        /** The own front's attempts in the window in progress. */
        final AtomicLong arrivals = new AtomicLong();
        /** Attempts admitted in the window in progress, here and (as the link tells) at the edges. */
        final AtomicLong admittedInWindow = new AtomicLong();
        final LongAdder admitted = new LongAdder();
        final LongAdder shed = new LongAdder();
        final AtomicBoolean recomputing = new AtomicBoolean();
        volatile long windowStart;
        /** The own front's arrivals/s over the last whole window. */
        volatile double lastWindowRate;
        /** The own front's arrivals/s as the last recompute counted it. */
        volatile double ownRate;
        volatile double globalRate;
        volatile double probability = 1.0;
        /** Admitted in the window when p is looked at again before the window is over; the first draw looks at once. */
        volatile double admitLimit;
        /** The own front's attempts in the window when p is looked at again (they doubled since the last look). */
        volatile double arrivalLimit;
        /** An edge's report moved demand enough to recompute before the interval is up. */
        volatile boolean demandMoved;

        // Per edge slot; written by the report thread only.
        final AtomicLongArray edgeRate = new AtomicLongArray(MAX_EDGES);
        final AtomicLongArray edgeOnline = new AtomicLongArray(MAX_EDGES);
        final AtomicLongArray edgeReportedAt = new AtomicLongArray(MAX_EDGES);
        final AtomicLongArray edgeAttempts = new AtomicLongArray(MAX_EDGES);
        final AtomicLongArray edgeAdmitted = new AtomicLongArray(MAX_EDGES);
        volatile long departedAttempts;
        volatile long departedAdmitted;

        SaleAdmission(final long now)
        {
            this.windowStart = now;
        }

        boolean due(final long now)
        {
            return now - windowStart >= intervalNanos || demandMoved || admittedInWindow.get() >= admitLimit;
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
                demandMoved = false;
                long elapsed = now - windowStart;
                final boolean newWindow = elapsed >= intervalNanos;
                if (newWindow)
                {
                    lastWindowRate = arrivals.getAndSet(0) * 1e9 / elapsed;
                    admittedInWindow.set(0);
                    windowStart = now;
                    elapsed = 0;
                }
                // The window in progress is a lower bound of the own rate, never extrapolated from a few attempts.
                final double own = Math.max(lastWindowRate, arrivals.get() * 1e9 / Math.max(elapsed, intervalNanos / 10));
                final double global = own + edgeDemand(now);
                ownRate = own;
                globalRate = global;
                final double capacityShare = capacityPerInterval() / salesWithDemand(this, now);
                final double target = Math.min(capacityShare, Math.max(floorPerInterval, multiple * view.available()));
                final double expected = global * intervalSeconds;
                double p = expected <= target ? 1.0 : target / expected;
                final long admittedSoFar = admittedInWindow.get();
                if (!newWindow && capacityShare < Double.POSITIVE_INFINITY)
                {
                    // The capacity is a hard cap per window: what is left of it, over the attempts still to come in it.
                    final double left = Math.max(0.0, capacityShare - admittedSoFar);
                    final double stillExpected = global * Math.max(intervalNanos - elapsed, intervalNanos / 10) / 1e9;
                    if (stillExpected > left)
                    {
                        p = Math.min(p, left / stillExpected);
                    }
                }
                probability = p;
                // Look again after another interval's target (a surge growing) or at the capacity, whichever comes first.
                admitLimit = Math.min(admittedSoFar + Math.max(1.0, target), Math.max(capacityShare, admittedSoFar + 1.0));
                final long arrivedSoFar = arrivals.get();
                arrivalLimit = arrivedSoFar + Math.max(arrivedSoFar, Math.max(1.0, target));
            }
            finally
            {
                recomputing.set(false);
            }
        }

        /** Σ arrivals/s of the edges that reported lately. */
        private double edgeDemand(final long now)
        {
            double sum = 0;
            for (int slot = 0; slot < MAX_EDGES; slot++)
            {
                if (edgeSlots.get(slot) != 0 && now - edgeReportedAt.get(slot) <= staleNanos)
                {
                    sum += Double.longBitsToDouble(edgeRate.get(slot));
                }
            }
            return sum;
        }
    }
}
