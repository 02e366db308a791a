package io.flashsale.bench.scenario;

import io.flashsale.bench.load.LoadGenerator;
import io.flashsale.bench.load.LoadSettings;
import io.flashsale.bench.load.LoadStats;
import io.flashsale.bench.load.Pacing;
import io.flashsale.bench.system.Target;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * {@code rush}: the flash sale itself. N shoppers with tokens from the server's secret, a stock of
 * S units (one per shopper), and a start instant at which the whole crowd fires: fetch the purchase
 * key, purchase (retrying on 503 after Retry-After with jitter), then pay, cancel or walk away.
 * Reports the time to sell out, outcome counts, how many shoppers were served and each step's
 * latency from the start instant; then waits for the walked-away orders to expire and checks that
 * the server's books agree with every answer the crowd was given.
 *
 * <p>Main thread.
 */
public final class Rush
{
    /** How far ahead the sale opens, so the crowd is connected and waiting when it does. */
    private static final Duration LEAD = Duration.ofMillis(1_500);

    private Rush()
    {
    }

    public static ScenarioResult run(final Target target, final LoadSettings load, final RushOptions options, final String runTag)
        throws Exception
    {
        if (!target.keepsBooks())
        {
            throw new IllegalArgumentException("rush needs the full shopper and admin API; " + target.name() + " does not have it");
        }
        final Crowd crowd = Crowd.mint(target.secret(), runTag, options.shoppers(), Duration.ofHours(2));
        final AdminClient admin = new AdminClient(target.host(), target.port(), target.secret());
        final Instant startsAt = Instant.now().plus(LEAD);
        final long saleId = admin.createSale(new AdminClient.SaleTerms("bench rush " + runTag, options.stock(), startsAt,
            startsAt.plus(Duration.ofHours(1)), 1, options.paymentWindowSeconds()));
        // The crowd fires 2 ms after the opening by the shared wall clock; nanoTime is what the generator schedules on.
        final long startNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(startsAt.toEpochMilli() + 2 - System.currentTimeMillis());

        final LoadSettings settings = load.at(target.host(), target.port()).paced(Pacing.BURST, 0, options.shoppers());
        final ShopRequests requests = new ShopRequests(saleId);
        final RushTally[] tallies = new RushTally[settings.threads()];
        final LoadStats stats = LoadGenerator.run(settings, loop ->
        {
            tallies[loop] = new RushTally();
            return new RushWorkload(crowd, requests, options, tallies[loop], options.seed() * 31 + loop);
        }, startNanos);
        final RushTally tally = new RushTally();
        Arrays.stream(tallies).forEach(tally::add);

        // Walked-away orders expire at their deadline, on the next command or tick after it.
        final long waitMillis = TimeUnit.SECONDS.toMillis(options.paymentWindowSeconds()) + 1_500;
        Thread.sleep(waitMillis);
        final Books books = admin.books(saleId);

        final ScenarioResult result = new ScenarioResult("rush", target.name(), target.description(), settings, stats);
        facts(result, options, tally, stats, saleId, books);
        checks(result, tally, books);
        return result;
    }

    private static void facts(final ScenarioResult result, final RushOptions options, final RushTally tally, final LoadStats stats,
        final long saleId, final Books books)
    {
        result.fact("sale", String.format("id %d: stock %,d, per-user limit 1, payment window %d s; %,d shoppers fire at the start instant",
            saleId, options.stock(), options.paymentWindowSeconds(), options.shoppers()));
        final long[] reservations = tally.reservationNanos.toLongArray();
        Arrays.sort(reservations);
        result.fact("time to sell out", reservations.length >= options.stock()
            ? String.format("%.1f ms (the %,d-th reservation after the start instant)",
                (reservations[(int)options.stock() - 1] - stats.startNanos()) / 1e6, options.stock())
            : String.format("not sold out by the crowd (%,d reservations for %,d units)", reservations.length, options.stock()));
        result.fact("first SOLD_OUT answer", tally.firstSoldOutNanos == Long.MAX_VALUE ? "none"
            : String.format("%.1f ms after the start instant", (tally.firstSoldOutNanos - stats.startNanos()) / 1e6));
        result.fact("shoppers served", String.format("%,d of %,d got a reservation (%,d paid)",
            tally.served.cardinality(), options.shoppers(), tally.paidShoppers.cardinality()));
        result.fact("the crowd was told", String.format(
            "%,d reserved; %,d paid, %,d cancelled, %,d walked away, %,d too late to pay or cancel; %,d sold out",
            tally.reserved, tally.paid, tally.cancelled, tally.walkedAway, tally.payExpired + tally.cancelExpired, tally.soldOutAnswers));
        result.fact("retries", String.format("%,d after 503/429/425, %,d after SOLD_OUT; %,d shoppers gave up after %d attempts",
            tally.retries, tally.soldOutRetries, tally.gaveUp, options.maxAttempts()));
        result.fact("server books", books.toString());
    }

    static void checks(final ScenarioResult result, final RushTally tally, final Books books)
    {
        result.check(Check.of("never oversold: available + reserved + paid == stock", books.balances() && books.oversold() == 0, books.toString()));
        result.check(Check.counts("every acknowledged payment is on the books (paid)", tally.paid, tally.payUnknown, books.paid()));
        result.check(Check.counts("every acknowledged cancellation is on the books", tally.cancelled, tally.cancelUnknown, books.cancelled()));
        result.check(Check.counts("every reservation is paid, cancelled, expired or still reserved",
            tally.reserved, tally.purchaseUnknown, books.paid() + books.cancelled() + books.expired() + books.reserved()));
        result.check(Check.counts("walked-away orders expired",
            tally.walkedAway + tally.payExpired + tally.cancelExpired, tally.purchaseUnknown, books.expired()));
        result.check(Check.of("no reservation is left open after its payment window", books.reserved() == 0,
            String.format("%,d units still reserved", books.reserved())));
        result.check(Check.counts("distinct buyers on the books", tally.served.cardinality(), tally.purchaseUnknown, books.distinctBuyers()));
    }
}
