package io.flashsale.bench.simulate;

import io.flashsale.engine.SaleEngine;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.pipeline.CommandPipeline;
import io.flashsale.engine.pipeline.PipelineConfig;
import io.flashsale.engine.sale.Sale;
import io.flashsale.engine.sale.SaleViews;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one in-process flash sale on the real engine and ring: creates a sale that is open now,
 * lets the producer threads race their shoppers through it, waits for every unpaid reservation to
 * expire, and balances the books.
 */
public final class FlashSaleSimulation
{
    private static final long SALE_LENGTH_MILLIS = TimeUnit.HOURS.toMillis(1);

    private final SimulationSettings settings;

    public FlashSaleSimulation(final SimulationSettings settings)
    {
        this.settings = settings;
    }

    public SimulationSummary run() throws Exception
    {
        final SaleEngine engine = new SaleEngine((int)Math.min(1 << 22, settings.stock() * 4 + 1024), new SaleViews());
        final PipelineConfig config = new PipelineConfig()
            .ringSize(settings.ringSize())
            .waitStrategy(settings.waitStrategy())
            .tickIntervalMillis(Math.max(1, Math.min(50, settings.paymentWindowMillis() / 4)));
        final CommandPipeline pipeline = CommandPipeline.start(engine, config);
        final long saleId;
        final ShopperDriver[] drivers = new ShopperDriver[settings.threads()];
        final long startedAt;
        final long elapsed;
        try
        {
            final long now = System.currentTimeMillis();
            saleId = await(pipeline, listener -> pipeline.createSale("simulated sale", settings.stock(), now,
                now + SALE_LENGTH_MILLIS, settings.perUserLimit(), settings.paymentWindowMillis(), listener, null)).resultSaleId;

            final Thread[] threads = new Thread[settings.threads()];
            final long perThread = (settings.shoppers() + settings.threads() - 1) / settings.threads();
            for (int t = 0; t < threads.length; t++)
            {
                final long first = 1 + t * perThread;
                final long end = Math.min(settings.shoppers() + 1L, first + perThread);
                drivers[t] = new ShopperDriver(pipeline, settings, saleId, first, Math.max(first, end));
                threads[t] = new Thread(drivers[t], "shoppers-" + t);
            }
            startedAt = System.nanoTime();
            for (final Thread thread : threads)
            {
                thread.start();
            }
            for (final Thread thread : threads)
            {
                thread.join();
            }
            elapsed = System.nanoTime() - startedAt;

            // Walked-away reservations expire one payment window later; a TICK stamped after that
            // makes the engine apply the expiry before we read the books.
            Thread.sleep(settings.paymentWindowMillis() + 1);
            await(pipeline, listener -> pipeline.tick(listener, null));
        }
        finally
        {
            pipeline.close();
        }
        return summarise(engine, engine.sale(saleId), drivers, elapsed);
    }

    private SimulationSummary summarise(final SaleEngine engine, final Sale sale, final ShopperDriver[] drivers, final long elapsedNanos)
    {
        final long[] outcomes = new long[Outcome.values().length];
        long busy = 0;
        long acknowledgedPaid = 0;
        long paidShoppers = 0;
        for (final ShopperDriver driver : drivers)
        {
            final long[] counts = driver.outcomeCounts();
            for (int i = 0; i < counts.length; i++)
            {
                outcomes[i] += counts[i];
            }
            busy += driver.busyRetries();
            acknowledgedPaid += driver.acknowledgedPaidUnits();
            paidShoppers += driver.paidShoppers();
        }
        final Map<String, Long> byName = new LinkedHashMap<>();
        for (final Outcome outcome : Outcome.values())
        {
            if (outcomes[outcome.ordinal()] > 0)
            {
                byName.put(outcome.name(), outcomes[outcome.ordinal()]);
            }
        }
        final long returned = sale.cancelledUnits + sale.expiredUnits;
        final long reservedOverTheSale = sale.paidUnits + sale.reservedUnits + returned;
        final boolean balance = sale.available + sale.reservedUnits + sale.paidUnits == sale.stock;
        final long elapsedMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(elapsedNanos));
        final long commands = engine.appliedCount();
        return new SimulationSummary(
            settings.shoppers(), settings.stock(), settings.perUserLimit(), settings.threads(),
            reservedOverTheSale, sale.paidUnits, returned, sale.cancelledUnits, sale.expiredUnits,
            sale.reservedUnits, sale.available, sale.distinctBuyers, paidShoppers,
            Math.max(0, sale.reservedUnits + sale.paidUnits - sale.stock), acknowledgedPaid,
            commands, busy, elapsedMillis, (long)(commands * 1e9 / Math.max(1, elapsedNanos)),
            byName, balance);
    }

    @FunctionalInterface
    private interface Publisher
    {
        Outcome publish(io.flashsale.engine.command.ReplyListener listener);
    }

    /** Publishes one command and waits for its reply; for the few commands around the rush. */
    private static CommandEvent await(final CommandPipeline pipeline, final Publisher publisher) throws Exception
    {
        final CompletableFuture<CommandEvent> reply = new CompletableFuture<>();
        final io.flashsale.engine.command.ReplyListener listener = event ->
        {
            final CommandEvent copy = new CommandEvent();
            copy.copyInputFrom(event);
            copy.outcome = event.outcome;
            copy.resultSaleId = event.resultSaleId;
            reply.complete(copy);
        };
        Outcome accepted;
        while ((accepted = publisher.publish(listener)) == Outcome.BUSY)
        {
            Thread.yield();
        }
        if (accepted != Outcome.PENDING)
        {
            throw new IllegalStateException("pipeline refused a command: " + accepted);
        }
        return reply.get(30, TimeUnit.SECONDS);
    }
}
