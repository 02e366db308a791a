package io.flashsale.engine.model;

import io.flashsale.engine.command.CommandEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ToIntFunction;

/**
 * Random command streams for property tests: a few sales, a few shoppers, every command type,
 * idempotency keys drawn from a tiny set so that they repeat, and timestamps that mostly move
 * forward, sometimes step back (producers race between stamping and publishing) and sometimes
 * jump far enough for payment windows to close and sales to end.
 *
 * <p>Every stream starts with one to three valid sales. Order commands (pay, cancel, query) name
 * an existing order and its owner most of the time, so that the interesting outcomes happen;
 * to know which orders exist the generator runs a {@link ReferenceEngine} over the stream as it
 * builds it. Invalid values (unknown sale or order, bad quantity or shopper, bad sale terms) are
 * mixed in at a low rate.
 *
 * <p>{@link #sample(long, int)} draws the choices from a seeded {@link Random}: the same seed
 * gives the same stream on every run, so a failing seed is a reproducible case
 * ({@link SeededStreams} runs a property over many seeds and names the one that failed).
 *
 * <p>Events carry input fields only. Apply {@link Commands#copyOf copies} so that one stream can
 * feed several engines. Any thread; no shared state.
 */
public final class CommandStreams
{
    /** The epoch-millisecond instant streams start around. */
    public static final long T0 = 1_700_000_000_000L;
    /** Shoppers are 1..USERS; 0 and negative ids appear as invalid input. */
    public static final int USERS = 6;

    private static final int IDEMPOTENCY_KEYS = 4;
    /** Each step carries four choices in 0..CHOICES-1; low values mean the common, valid case. */
    private static final int CHOICES = 100;

    private enum Kind
    {
        PURCHASE(40), PAY(16), CANCEL(8), QUERY_ORDER(6), INSPECT_ORDER(3), TICK(8), SNAPSHOT(3), CREATE_SALE(3);

        final int weight;

        Kind(final int weight)
        {
            this.weight = weight;
        }
    }

    /** Time between commands: mostly forward, sometimes back, sometimes a jump. */
    private enum TimeStep
    {
        FORWARD(82, 0, 40), BACK(12, -150, -1), JUMP(6, 100, 800);

        final int weight;
        final long min;
        final long max;

        TimeStep(final int weight, final long min, final long max)
        {
            this.weight = weight;
            this.min = min;
            this.max = max;
        }
    }

    /** Free choices for one command; what they mean depends on the kind and on the stream so far. */
    private record Step(Kind kind, long dt, int a, int b, int c, int d)
    {
    }

    private record Terms(long stock, int perUserLimit, long paymentWindowMillis, long startOffset, long duration)
    {
    }

    private CommandStreams()
    {
    }

    /**
     * One stream chosen by {@code seed}: the same seed gives the same stream on every run, with
     * no test framework involved. Up to {@code maxCommands} commands after the opening sales.
     */
    public static List<CommandEvent> sample(final long seed, final int maxCommands)
    {
        final Random random = new Random(seed);
        final List<Terms> openingSales = new ArrayList<>();
        for (int i = 1 + random.nextInt(3); i > 0; i--)
        {
            openingSales.add(new Terms(
                between(random, 1, 8), (int)between(random, 1, 3), between(random, 20, 400),
                between(random, -100, 300), between(random, 150, 3000)));
        }
        final List<Step> steps = new ArrayList<>();
        for (int i = random.nextInt(maxCommands + 1); i > 0; i--)
        {
            final Kind kind = weighted(random, Kind.values(), k -> k.weight);
            final TimeStep timeStep = weighted(random, TimeStep.values(), t -> t.weight);
            steps.add(new Step(
                kind, between(random, timeStep.min, timeStep.max),
                random.nextInt(CHOICES), random.nextInt(CHOICES), random.nextInt(CHOICES), random.nextInt(CHOICES)));
        }
        return build(openingSales, steps);
    }

    private static long between(final Random random, final long min, final long max)
    {
        return min + (long)(random.nextDouble() * (max - min + 1));
    }

    private static <T> T weighted(final Random random, final T[] values, final ToIntFunction<T> weight)
    {
        int total = 0;
        for (final T value : values)
        {
            total += weight.applyAsInt(value);
        }
        int pick = random.nextInt(total);
        for (final T value : values)
        {
            pick -= weight.applyAsInt(value);
            if (pick < 0)
            {
                return value;
            }
        }
        throw new IllegalStateException("unreachable: pick < total");
    }

    private static List<CommandEvent> build(final List<Terms> openingSales, final List<Step> steps)
    {
        final ReferenceEngine model = new ReferenceEngine();
        final List<CommandEvent> stream = new ArrayList<>(openingSales.size() + steps.size());
        long ts = T0 - 100;
        int saleNumber = 0;
        for (final Terms t : openingSales)
        {
            final long startsAt = T0 + t.startOffset;
            stream.add(Commands.createSale(ts, "sale-" + ++saleNumber, t.stock, startsAt, startsAt + t.duration,
                t.perUserLimit, t.paymentWindowMillis));
            model.apply(stream.get(stream.size() - 1));
        }
        for (final Step step : steps)
        {
            ts += step.dt;
            final CommandEvent command = switch (step.kind)
            {
                case PURCHASE -> Commands.purchase(ts, saleId(model, step.a), user(step.b), subject(step), qty(step.c), key(step.d));
                case PAY -> Commands.pay(ts, orderId(model, step.a), orderUser(model, step), paymentRef(step.c));
                case CANCEL -> Commands.cancel(ts, orderId(model, step.a), orderUser(model, step));
                case QUERY_ORDER -> Commands.queryOrder(ts, orderId(model, step.a), orderUser(model, step));
                case INSPECT_ORDER -> Commands.inspectOrder(ts, orderId(model, step.a));
                case TICK -> Commands.tick(ts);
                case SNAPSHOT -> Commands.snapshot(ts);
                case CREATE_SALE -> createSale(ts, ++saleNumber, step);
            };
            model.apply(command);
            stream.add(command);
        }
        return stream;
    }

    // Low choices give the common, valid case, so that shrinking heads for plain streams.

    private static long saleId(final ReferenceEngine model, final int choice)
    {
        if (choice >= 95)
        {
            return choice % 2 == 0 ? 0 : model.saleCount() + 1;
        }
        return 1 + choice % Math.max(1, model.saleCount());
    }

    private static long user(final int choice)
    {
        if (choice >= 97)
        {
            return choice % 2 == 0 ? 0 : -choice;
        }
        return 1 + choice % USERS;
    }

    /**
     * Mostly the shopper's own subject; sometimes none (a purchase from a journal written before
     * subjects), or another one (the engine keeps the first it was given).
     */
    private static String subject(final Step step)
    {
        final int choice = (step.a + step.d) % CHOICES;
        if (choice >= 90)
        {
            return null;
        }
        return choice >= 85 ? "other-" + step.b : "shopper-\u00e9-" + step.b % USERS + "@example.com";
    }

    private static int qty(final int choice)
    {
        if (choice < 60)
        {
            return 1;
        }
        if (choice < 85)
        {
            return 2;
        }
        if (choice < 96)
        {
            return 3 + choice % 3;
        }
        return choice % 2 == 0 ? 0 : -1;
    }

    private static long key(final int choice)
    {
        return choice < 40 ? 0 : 1 + choice % IDEMPOTENCY_KEYS;
    }

    private static long orderId(final ReferenceEngine model, final int choice)
    {
        final int orders = model.orderCount();
        if (orders == 0 || choice >= 94)
        {
            return choice % 2 == 0 ? 0 : orders + 1;
        }
        // Lean towards recent orders: those are the ones still waiting for payment.
        return choice < 50 ? orders - choice % Math.min(orders, 3) : 1 + choice % orders;
    }

    private static long orderUser(final ReferenceEngine model, final Step step)
    {
        final long owner = model.ownerOf(orderId(model, step.a));
        return owner != 0 && step.b < 85 ? owner : 1 + step.b % USERS;
    }

    private static String paymentRef(final int choice)
    {
        return choice < 90 ? "ref-" + choice : "zahlung-\u00e4-" + choice;
    }

    private static CommandEvent createSale(final long ts, final int number, final Step step)
    {
        final String name = step.d < 90 ? "sale-" + number : "sale-\u00fc-" + number;
        final long stock = 1 + step.b % 8;
        final int limit = 1 + step.c % 3;
        final long window = 20 + step.d * 4L;
        final long startsAt = ts + step.b * 3L - 50;
        final long endsAt = startsAt + 150 + step.c * 25L;
        final CommandEvent command = Commands.createSale(ts, name, stock, startsAt, endsAt, limit, window);
        // Choices 0..79 give a valid sale; 80..97 break one rule each; 99 never closes its payment window.
        final int broken = step.a < 80 ? -1 : (step.a - 80) / 3;
        switch (broken)
        {
            case 0 -> command.stock = 0;
            case 1 -> command.stock = -stock;
            case 2 -> command.stock = Integer.MAX_VALUE + 1L;
            case 3 -> command.endsAt = step.a % 2 == 0 ? startsAt : startsAt - 1;
            case 4 -> command.perUserLimit = step.a % 2 == 0 ? 0 : -1;
            case 5 -> command.paymentWindowMillis = step.a % 2 == 0 ? 0 : -window;
            default ->
            {
                if (step.a == 99)
                {
                    command.paymentWindowMillis = Long.MAX_VALUE;
                }
            }
        }
        return command;
    }

    /** The journaled commands of a stream, in order: what a journal would hold. */
    public static List<CommandEvent> journaledOnly(final List<CommandEvent> stream)
    {
        final List<CommandEvent> journaled = new ArrayList<>();
        for (final CommandEvent command : stream)
        {
            if (command.type.isJournaled())
            {
                journaled.add(command);
            }
        }
        return journaled;
    }
}
