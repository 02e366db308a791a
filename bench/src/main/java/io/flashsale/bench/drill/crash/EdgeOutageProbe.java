package io.flashsale.bench.drill.crash;

import io.flashsale.bench.drill.DrillHttp;
import io.flashsale.bench.scenario.Crowd;
import io.flashsale.bench.scenario.JsonPeek;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * While the core is down: a purchase sent straight to each edge every 20 ms (not through nginx,
 * so each edge is timed), each timed from send to answer. An edge should answer 503 at once
 * (core-unavailable, or outcome-unknown for a command caught on the link by the kill), never hang.
 *
 * <p>Its own thread between {@link #start} and {@link #close}; read its tallies after close.
 */
final class EdgeOutageProbe implements AutoCloseable
{
    private static final long PERIOD_MILLIS = 20;

    private final List<DrillHttp> edges = new ArrayList<>();
    private final Crowd crowd;
    private final DrillSales sales;
    private final int shopper;
    private final int cycle;
    private final Thread thread;
    private final List<Long> latencyMicros = new ArrayList<>();
    private final Map<String, Long> answers = new TreeMap<>();
    private volatile boolean running = true;
    /** Probes whose purchase may have gone out on the link: unknown purchases of the open sale. */
    private long outcomeOpen;

    EdgeOutageProbe(final List<String> edgeBases, final Crowd crowd, final DrillSales sales, final int shopper, final int cycle)
    {
        edgeBases.forEach(base -> edges.add(new DrillHttp(base)));
        this.crowd = crowd;
        this.sales = sales;
        this.shopper = shopper;
        this.cycle = cycle;
        this.thread = new Thread(this::probe, "edge-outage-probe");
    }

    EdgeOutageProbe start()
    {
        thread.start();
        return this;
    }

    private void probe()
    {
        final String body = "{\"qty\":1,\"key\":\"" + sales.key(DrillSales.OPEN, shopper) + "\"}";
        final String path = "/api/sales/" + sales.id(DrillSales.OPEN) + "/purchase";
        int sent = 0;
        while (running)
        {
            for (final DrillHttp edge : edges)
            {
                final long began = System.nanoTime();
                String label;
                try
                {
                    final DrillHttp.Reply reply = edge.send("POST", path, crowd.authorization(shopper), body, "Idempotency-Key",
                        "outage-" + cycle + "-" + sent++);
                    final String outcome = JsonPeek.stringField(reply.body(), "outcome");
                    label = reply.status() + " " + (reply.status() == 201 ? "RESERVED" : outcome);
                    if (reply.status() != 503 || !"CORE_UNAVAILABLE".equals(outcome))
                    {
                        outcomeOpen++;
                    }
                }
                catch (final Exception ex)
                {
                    label = "error: " + ex.getClass().getSimpleName();
                    outcomeOpen++;
                }
                final long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - began);
                synchronized (this)
                {
                    latencyMicros.add(micros);
                    answers.merge(label, 1L, Long::sum);
                }
            }
            try
            {
                Thread.sleep(PERIOD_MILLIS);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
        }
    }

    /** Stops probing and waits for the probe in flight. */
    @Override
    public void close() throws InterruptedException
    {
        running = false;
        thread.join(TimeUnit.SECONDS.toMillis(30));
    }

    /** Purchases the probe sent whose answer does not rule out that they were applied (nothing but core-unavailable does). */
    synchronized long outcomeOpen()
    {
        return outcomeOpen;
    }

    /** What the edges answered while the core was down, and how fast; reconnect is from the core's ready to every edge's ready. */
    synchronized CrashReport.EdgeOutage result(final long reconnectMillis)
    {
        final long[] sorted = latencyMicros.stream().mapToLong(Long::longValue).sorted().toArray();
        final long within = latencyMicros.stream().filter(micros -> micros <= 100_000).count();
        return new CrashReport.EdgeOutage(sorted.length, new TreeMap<>(answers), percentile(sorted, 0.5), percentile(sorted, 0.99),
            sorted.length == 0 ? -1 : sorted[sorted.length - 1], within, reconnectMillis);
    }

    private static long percentile(final long[] sorted, final double q)
    {
        return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int)Math.ceil(q * sorted.length) - 1)];
    }
}
