package io.flashsale.http.metrics;

import io.flashsale.engine.pipeline.CommandPipeline;
import io.flashsale.engine.sale.SaleView;
import io.flashsale.engine.sale.SaleViews;
import io.flashsale.http.admission.Admission;
import io.flashsale.http.admission.FrontDemand;
import io.flashsale.http.limit.InFlightLimit;
import io.flashsale.http.route.Route;
import io.flashsale.journal.space.JournalSpaceGuard;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The server's meters, in one Micrometer Prometheus registry: requests by route and outcome, HTTP
 * latency by route, rate-limit rejections by scope, admission probability, arrival rate and shoppers
 * online per sale, ring remaining capacity, requests in flight, journal append latency.
 *
 * <p>Any thread. Meters are looked up without allocating on the hot path (arrays by route, a map
 * keyed by the outcome's interned name).
 */
public final class FrontMetrics
{
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /**
     * The counters' suppliers, held here: a FunctionCounter holds its object weakly, and a lambda
     * nobody else holds is collected at the next GC, after which the counter repeats its last value.
     */
    private final java.util.List<LongSupplier> counterSources = new java.util.concurrent.CopyOnWriteArrayList<>();
    @SuppressWarnings("unchecked")
    private final ConcurrentHashMap<String, Counter>[] requests = new ConcurrentHashMap[Route.values().length];
    private final Timer[] latency = new Timer[Route.values().length];
    private final Counter shopperLimited;
    private final Counter ipLimited;
    private final Timer journalAppend;
    private final ConcurrentHashMap<Long, Gauge> admissionGauges = new ConcurrentHashMap<>();

    public FrontMetrics()
    {
        for (final Route route : Route.values())
        {
            requests[route.ordinal()] = new ConcurrentHashMap<>();
            latency[route.ordinal()] = Timer.builder("flashsale.http.request.duration")
                .description("HTTP request latency, from the first handler to the response")
                .tag("route", route.name())
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(50_000))
                .maximumExpectedValue(Duration.ofSeconds(5))
                .register(registry);
        }
        shopperLimited = rateLimited("shopper");
        ipLimited = rateLimited("ip");
        journalAppend = Timer.builder("flashsale.journal.append")
            .description("Time to append one command to the journal, on the journal thread")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(100))
            .maximumExpectedValue(Duration.ofSeconds(1))
            .register(registry);
    }

    private Counter rateLimited(final String scope)
    {
        return Counter.builder("flashsale.ratelimit.rejections")
            .description("Requests refused by a token bucket")
            .tag("scope", scope)
            .register(registry);
    }

    /** Counts one answered request and records its latency. */
    public void request(final Route route, final String outcome, final long startNanos)
    {
        final ConcurrentHashMap<String, Counter> byOutcome = requests[route.ordinal()];
        Counter counter = byOutcome.get(outcome);
        if (counter == null)
        {
            counter = byOutcome.computeIfAbsent(outcome, o -> Counter.builder("flashsale.http.requests")
                .description("Answered HTTP requests by route and outcome")
                .tag("route", route.name())
                .tag("outcome", o)
                .register(registry));
        }
        counter.increment();
        latency[route.ordinal()].record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    public void rateLimited(final boolean byIp)
    {
        (byIp ? ipLimited : shopperLimited).increment();
    }

    /** Journal thread: one append took this long. */
    public void journalAppend(final long nanos)
    {
        journalAppend.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Registers the gauge of the requests waiting for the core. */
    public void bindInFlight(final InFlightLimit inFlight)
    {
        Gauge.builder("flashsale.inflight", inFlight::current)
            .description("Requests published to the ring and not yet answered")
            .register(registry);
    }

    /** Registers the gauge that reads the local ring once it exists (a front with a core in its process). */
    public void bindRing(final Supplier<CommandPipeline> pipeline)
    {
        Gauge.builder("flashsale.ring.remaining.capacity", () -> {
                final CommandPipeline p = pipeline.get();
                return p == null ? 0 : p.remainingCapacity();
            })
            .description("Free slots in the command ring")
            .register(registry);
    }

    /** A gauge read at each scrape (the link's figures, which their owners count). */
    public void gauge(final String name, final String description, final LongSupplier value)
    {
        Gauge.builder(name, value::getAsLong).description(description).register(registry);
    }

    /** A monotonic count read at each scrape; Prometheus names it {@code name_total}. */
    public void counter(final String name, final String description, final LongSupplier value)
    {
        counterSources.add(value);
        FunctionCounter.builder(name, value, LongSupplier::getAsLong).description(description).register(registry);
    }

    /** Registers the journal's free-space gauges; once, when the core is assembled. */
    public void bindJournalSpace(final JournalSpaceGuard guard)
    {
        Gauge.builder("flashsale.journal.free.bytes", guard::freeBytes)
            .description("Usable bytes on the journal's file system at the last look (-1: unknown or guard off)")
            .register(registry);
        Gauge.builder("flashsale.journal.full", () -> guard.engaged() ? 1 : 0)
            .description("1 while the free-space guard refuses state-changing commands (503 journal-full)")
            .register(registry);
        Gauge.builder("flashsale.journal.min.free.bytes", guard::minFreeBytes)
            .description("The guard's threshold, journal.minFreeBytes (0: off)")
            .register(registry);
    }

    /** Makes sure every sale has its admission-probability gauge (sales appear at run time). */
    public void ensureAdmissionGauges(final SaleViews views, final Admission admission)
    {
        if (admissionGauges.size() == views.size())
        {
            return;
        }
        for (int id = 1; id <= views.size(); id++)
        {
            final SaleView view = views.get(id);
            if (view == null)
            {
                // An edge's copy may not have every view yet; the next scrape adds it.
                continue;
            }
            admissionGauges.computeIfAbsent((long)id, key -> {
                final String sale = Long.toString(view.id);
                Gauge.builder("flashsale.admission.arrival.rate", () -> admission.stats(view).arrivalRatePerSecond())
                    .description("Purchase attempts a second reaching the admission draw, over every front")
                    .tag("sale", sale)
                    .register(registry);
                Gauge.builder("flashsale.admission.online.shoppers", () -> onlineShoppers(admission, view))
                    .description("Shoppers seen in the last minute (page, clock sync, purchase key), over every front")
                    .tag("sale", sale)
                    .register(registry);
                return Gauge.builder("flashsale.admission.probability", () -> admission.probability(view))
                    .description("Probability that a purchase attempt is admitted to the ring")
                    .tag("sale", sale)
                    .register(registry);
            });
        }
    }

    private static long onlineShoppers(final Admission admission, final SaleView view)
    {
        long online = 0;
        for (final FrontDemand front : admission.demandByFront(view))
        {
            online += front.onlineShoppers();
        }
        return online;
    }

    /** Registers a gauge that reads {@code value} at each scrape (once per name). */
    public void gauge(final String name, final String description, final Supplier<Number> value)
    {
        Gauge.builder(name, () -> value.get().doubleValue()).description(description).register(registry);
    }

    public String scrape()
    {
        return registry.scrape();
    }
}
