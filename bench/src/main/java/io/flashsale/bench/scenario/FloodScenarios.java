package io.flashsale.bench.scenario;

import io.flashsale.bench.load.LoadGenerator;
import io.flashsale.bench.load.LoadSettings;
import io.flashsale.bench.load.LoadStats;
import io.flashsale.bench.system.Target;

import java.time.Duration;
import java.time.Instant;

/**
 * The two purchase floods, each a fixed stream of purchases at the generator's pacing:
 * <ul>
 *   <li>{@code purchase-throughput}: a huge stock and many shoppers, so every purchase goes the
 *       whole way (auth, gate, admission, body, ring, journal, engine, reply): the purchase path
 *       at its limit. Each shopper may hold as many units as it will ask for.</li>
 *   <li>{@code sold-out-flood}: a sale that is already sold out, hammered: what the "no" costs.
 *       The one unit is bought before the load starts.</li>
 * </ul>
 * Against a target without books (the bare server) the same requests are sent and only latency
 * and throughput are reported. Main thread.
 */
public final class FloodScenarios
{
    /** The bare server has no sales; its requests still name one. */
    private static final long NO_SALE = 1;

    private FloodScenarios()
    {
    }

    public static ScenarioResult purchaseThroughput(final Target target, final LoadSettings load, final int shoppers, final long stock,
        final String runTag) throws Exception
    {
        final LoadSettings settings = load.at(target.host(), target.port());
        final int crowdSize = (int)Math.max(1, Math.min(shoppers, settings.arrivals()));
        final Crowd crowd = Crowd.mint(target.secret(), runTag, crowdSize, Duration.ofHours(2));
        final long perUser = Math.max(1, (settings.arrivals() + crowdSize - 1) / crowdSize);
        long saleId = NO_SALE;
        final AdminClient admin = target.keepsBooks() ? new AdminClient(target.host(), target.port(), target.secret()) : null;
        if (admin != null)
        {
            final Instant now = Instant.now();
            saleId = admin.createSale(new AdminClient.SaleTerms("bench purchase-throughput " + runTag, stock,
                now.minusSeconds(1), now.plus(Duration.ofHours(1)), perUser, 3600));
            target.awaitSaleView(saleId, -1);
        }
        crowd.withKeysFor(saleId);
        final PurchaseFlood[] floods = new PurchaseFlood[settings.threads()];
        final ShopRequests requests = new ShopRequests(saleId);
        final LoadStats stats = LoadGenerator.run(settings, loop -> floods[loop] = new PurchaseFlood(crowd, requests));
        final ScenarioResult result = new ScenarioResult("purchase-throughput", target.name(), target.description(), settings, stats);
        long reserved = 0;
        long unknown = 0;
        for (final PurchaseFlood flood : floods)
        {
            reserved += flood.reserved;
            unknown += flood.unknown;
        }
        result.fact("sale", admin == null ? "none (the target keeps no books)" : String.format(
            "id %d: stock %,d, %,d shoppers, each may hold %,d units", saleId, stock, crowdSize, perUser));
        result.fact("reserved", String.format("%,d purchases answered 201", reserved));
        if (admin != null)
        {
            final Books books = admin.books(saleId);
            result.fact("server books", books.toString());
            result.check(Check.of("never oversold: available + reserved + paid == stock", books.balances(), books.toString()));
            result.check(Check.counts("every acknowledged reservation is on the books", reserved, unknown, books.reserved() + books.paid()));
        }
        return result;
    }

    public static ScenarioResult soldOutFlood(final Target target, final LoadSettings load, final int shoppers, final String runTag)
        throws Exception
    {
        final LoadSettings settings = load.at(target.host(), target.port());
        final int crowdSize = (int)Math.max(1, Math.min(shoppers, settings.arrivals()));
        final Crowd crowd = Crowd.mint(target.secret(), runTag, crowdSize, Duration.ofHours(2));
        long saleId = NO_SALE;
        final AdminClient admin = target.keepsBooks() ? new AdminClient(target.host(), target.port(), target.secret()) : null;
        if (admin != null)
        {
            final Instant now = Instant.now();
            saleId = admin.createSale(new AdminClient.SaleTerms("bench sold-out-flood " + runTag, 1,
                now.minusSeconds(1), now.plus(Duration.ofHours(1)), 1, 3600));
            crowd.withKeysFor(saleId);
            target.awaitSaleView(saleId, -1);
            admin.purchase(saleId, crowd.authorization(0), crowd.key(0), 1);
            awaitSoldOut(admin, saleId);
            target.awaitSaleView(saleId, 0);
        }
        else
        {
            crowd.withKeysFor(saleId);
        }
        final PurchaseFlood[] floods = new PurchaseFlood[settings.threads()];
        final ShopRequests requests = new ShopRequests(saleId);
        final LoadStats stats = LoadGenerator.run(settings, loop -> floods[loop] = new PurchaseFlood(crowd, requests));
        final ScenarioResult result = new ScenarioResult("sold-out-flood", target.name(), target.description(), settings, stats);
        long reserved = 0;
        for (final PurchaseFlood flood : floods)
        {
            reserved += flood.reserved;
        }
        result.fact("sale", admin == null ? "none (the target keeps no books)"
            : String.format("id %d: stock 1, bought before the flood; %,d shoppers hammer it", saleId, crowdSize));
        if (admin != null)
        {
            final Books books = admin.books(saleId);
            result.fact("server books", books.toString());
            result.check(Check.of("never oversold: available + reserved + paid == stock", books.balances() && books.oversold() == 0, books.toString()));
            result.check(Check.of("a sold-out sale sells nothing more", reserved == 0 && books.reserved() + books.paid() == 1,
                String.format("%,d purchases answered 201 during the flood; server holds %,d units", reserved, books.reserved() + books.paid())));
        }
        return result;
    }

    /** The gate reads the published view; wait until it shows the sale sold out (one ring batch at most). */
    private static void awaitSoldOut(final AdminClient admin, final long saleId) throws Exception
    {
        for (int i = 0; i < 100; i++)
        {
            if (admin.books(saleId).available() == 0)
            {
                return;
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("sale " + saleId + " still shows units available after its one unit was bought");
    }
}
