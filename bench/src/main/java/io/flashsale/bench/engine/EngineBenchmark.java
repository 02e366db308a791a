package io.flashsale.bench.engine;

import io.flashsale.engine.SaleEngine;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.CommandType;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.sale.SaleViews;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The business logic alone, one PURCHASE per operation, on each of its main paths:
 * <ul>
 *   <li>{@code RESERVED}: unlimited stock, shoppers rotating over 64k ids, the clock advancing one
 *       millisecond per purchase and a 1 s payment window, so every purchase also pays for about
 *       one expiry and the working set stays the same size (steady state);</li>
 *   <li>{@code SOLD_OUT}: the only unit is held, everybody else is refused;</li>
 *   <li>{@code LIMIT_REACHED}: the shopper already holds the per-user limit.</li>
 * </ul>
 * The order book is presized once per trial so that storing orders does not show up as
 * allocation: run with {@code -prof gc} to see bytes per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g"})
public class EngineBenchmark
{
    private static final int SHOPPERS = 1 << 16;
    /** Enough for every purchase of warm-up and measurement, so the book never grows while measured. */
    private static final int ORDER_CAPACITY = 64_000_000;

    @Param({"RESERVED", "SOLD_OUT", "LIMIT_REACHED"})
    public String path;

    private SaleEngine engine;
    private final CommandEvent command = new CommandEvent();
    private long clock;
    private long shopper;

    @Setup(Level.Trial)
    public void newEngine()
    {
        engine = null;
        engine = new SaleEngine(path.equals("RESERVED") ? ORDER_CAPACITY : 1024, new SaleViews());
        clock = 1_000;
        shopper = 1;
        switch (path)
        {
            case "RESERVED" -> createSale(Integer.MAX_VALUE, Integer.MAX_VALUE, 1_000);
            case "SOLD_OUT" ->
            {
                createSale(1, 1, Long.MAX_VALUE / 4);
                expect(purchase(SHOPPERS + 1), Outcome.RESERVED);
            }
            case "LIMIT_REACHED" ->
            {
                createSale(1_000_000, 1, Long.MAX_VALUE / 4);
                expect(purchase(1), Outcome.RESERVED);
            }
            default -> throw new IllegalArgumentException(path);
        }
        // Grow the per-shopper maps to their working size before measuring.
        for (int i = 0; i < 2 * SHOPPERS; i++)
        {
            step();
        }
        expect(step(), Outcome.valueOf(path));
    }

    @Benchmark
    public Outcome purchase()
    {
        return step();
    }

    private Outcome step()
    {
        switch (path)
        {
            case "RESERVED" ->
            {
                clock++;
                shopper = shopper == SHOPPERS ? 1 : shopper + 1;
                return purchase(shopper);
            }
            case "SOLD_OUT" ->
            {
                shopper = shopper == SHOPPERS ? 1 : shopper + 1;
                return purchase(shopper);
            }
            default ->
            {
                return purchase(1);
            }
        }
    }

    private Outcome purchase(final long user)
    {
        final CommandEvent c = command;
        c.type = CommandType.PURCHASE;
        c.timestamp = clock;
        c.saleId = 1;
        c.userId = user;
        c.qty = 1;
        c.idempotencyKey = 0;
        engine.apply(c);
        return c.outcome;
    }

    private void createSale(final long stock, final int perUserLimit, final long windowMillis)
    {
        command.clear();
        command.type = CommandType.CREATE_SALE;
        command.timestamp = clock;
        command.stock = stock;
        command.startsAt = 0;
        command.endsAt = Long.MAX_VALUE;
        command.perUserLimit = perUserLimit;
        command.paymentWindowMillis = windowMillis;
        command.setText("bench");
        engine.apply(command);
        expect(command.outcome, Outcome.SALE_CREATED);
        command.clear();
    }

    private static void expect(final Outcome actual, final Outcome expected)
    {
        if (actual != expected)
        {
            throw new IllegalStateException("benchmark set-up broken: expected " + expected + " got " + actual);
        }
    }
}
