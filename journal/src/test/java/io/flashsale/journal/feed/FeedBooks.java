package io.flashsale.journal.feed;

import io.flashsale.engine.SaleEngine;
import io.flashsale.engine.order.OrderState;
import io.flashsale.engine.order.OrderTable;
import io.flashsale.engine.sale.Sale;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/** Compares the feed's tables row by row with an engine's books; returns every difference found. */
final class FeedBooks
{
    private FeedBooks()
    {
    }

    static List<String> differences(final Connection connection, final String schema, final SaleEngine engine,
                                    final LongFunction<String> expectedShopper) throws SQLException
    {
        final List<String> problems = new ArrayList<>();
        try (Statement statement = connection.createStatement())
        {
            compareSales(statement, schema, engine, problems);
            compareOrders(statement, schema, engine, expectedShopper, problems);
            compareEvents(statement, schema, engine, problems);
            try (ResultSet cursor = statement.executeQuery("SELECT journal_seq FROM " + schema + ".feed_cursor"))
            {
                final long at = cursor.next() ? cursor.getLong(1) : 0;
                if (at != engine.appliedCount())
                {
                    problems.add("cursor at " + at + ", journal ends at " + engine.appliedCount());
                }
            }
        }
        return problems.size() > 20 ? problems.subList(0, 20) : problems;
    }

    /** Epoch millis of a timestamptz column; Long.MAX_VALUE for infinity (the feed's rendering of "never"). */
    private static String millis(final String column)
    {
        return "CASE WHEN isfinite(" + column + ") THEN floor(extract(epoch from " + column + ") * 1000)::bigint ELSE " + Long.MAX_VALUE + " END";
    }

    /** The engine's instant as the feed stores it: past PostgreSQL's range it is infinity. */
    private static long stored(final long millis)
    {
        return millis > 9_000_000_000_000_000L ? Long.MAX_VALUE : millis;
    }

    private static void compareSales(final Statement statement, final String schema, final SaleEngine engine, final List<String> problems)
        throws SQLException
    {
        int rows = 0;
        try (ResultSet sale = statement.executeQuery("SELECT sale_id, name, stock, " + millis("starts_at") + ", " + millis("ends_at") +
            ", per_user_limit, (payment_window_seconds * 1000)::bigint FROM " + schema + ".sales ORDER BY sale_id"))
        {
            while (sale.next())
            {
                rows++;
                final Sale expected = engine.sale(sale.getLong(1));
                if (expected == null)
                {
                    problems.add("sale " + sale.getLong(1) + " is not in the engine");
                    continue;
                }
                final String row = sale.getString(2) + "/" + sale.getLong(3) + "/" + sale.getLong(4) + "/" + sale.getLong(5) + "/" + sale.getInt(6) +
                    "/" + sale.getLong(7);
                final String books = expected.name + "/" + expected.stock + "/" + stored(expected.startsAt) + "/" + stored(expected.endsAt) + "/" +
                    expected.perUserLimit + "/" + expected.paymentWindowMillis;
                if (!row.equals(books))
                {
                    problems.add("sale " + expected.id + ": database " + row + ", engine " + books);
                }
            }
        }
        if (rows != engine.saleCount())
        {
            problems.add(rows + " sale rows, engine has " + engine.saleCount() + " sales");
        }
    }

    private static void compareOrders(final Statement statement, final String schema, final SaleEngine engine,
                                      final LongFunction<String> expectedShopper, final List<String> problems) throws SQLException
    {
        final OrderTable orders = engine.orders();
        final Map<Long, long[]> unitsBySale = new HashMap<>(); // {reserved, paid}
        int rows = 0;
        try (ResultSet order = statement.executeQuery("SELECT order_id, sale_id, shopper, qty, state, " + millis("reserved_at") + ", " +
            millis("payment_deadline") + ", paid_at IS NOT NULL, payment_ref, closed_at IS NOT NULL, journal_seq FROM " + schema +
            ".orders ORDER BY order_id"))
        {
            while (order.next())
            {
                rows++;
                final long id = order.getLong(1);
                if (!orders.exists(id))
                {
                    problems.add("order " + id + " is not in the engine");
                    continue;
                }
                final OrderState state = orders.state(id);
                final Sale sale = engine.sale(orders.saleId(id));
                final String row = order.getLong(2) + "/" + order.getString(3) + "/" + order.getInt(4) + "/" + order.getString(5) + "/" +
                    order.getLong(6) + "/" + order.getLong(7) + "/paid " + order.getBoolean(8) + "/closed " + order.getBoolean(10);
                final String books = orders.saleId(id) + "/" + expectedShopper.apply(orders.userId(id)) + "/" + orders.qty(id) + "/" +
                    state + "/" + reservedAt(orders.deadline(id), sale.paymentWindowMillis, order.getLong(6)) + "/" +
                    stored(orders.deadline(id)) + "/paid " +
                    (state == OrderState.PAID) + "/closed " + (state != OrderState.RESERVED);
                if (!row.equals(books))
                {
                    problems.add("order " + id + ": database " + row + ", engine " + books);
                }
                if (state == OrderState.PAID && fnv(order.getString(9)) != orders.paymentRefHash(id))
                {
                    problems.add("order " + id + ": payment_ref " + order.getString(9) + " is not the one the engine hashed");
                }
                final long[] units = unitsBySale.computeIfAbsent(orders.saleId(id), k -> new long[2]);
                if (state == OrderState.RESERVED)
                {
                    units[0] += orders.qty(id);
                }
                else if (state == OrderState.PAID)
                {
                    units[1] += orders.qty(id);
                }
            }
        }
        if (rows != orders.count())
        {
            problems.add(rows + " order rows, engine has " + orders.count() + " orders");
        }
        for (int s = 1; s <= engine.saleCount(); s++)
        {
            final Sale sale = engine.sale(s);
            final long[] units = unitsBySale.getOrDefault((long)s, new long[2]);
            if (units[0] != sale.reservedUnits || units[1] != sale.paidUnits)
            {
                problems.add("sale " + s + ": rows hold " + units[0] + " reserved and " + units[1] + " paid units, engine " + sale.reservedUnits +
                    " and " + sale.paidUnits);
            }
        }
    }

    private static void compareEvents(final Statement statement, final String schema, final SaleEngine engine, final List<String> problems)
        throws SQLException
    {
        try (ResultSet event = statement.executeQuery("SELECT o.order_id, o.state, o.journal_seq, count(e.*), " +
            "min(e.journal_seq), max(e.journal_seq), (array_agg(e.state ORDER BY e.journal_seq))[1], " +
            "(array_agg(e.state ORDER BY e.journal_seq DESC))[1], bool_and(e.journal_seq <= o.journal_seq) FROM " + schema +
            ".orders o LEFT JOIN " + schema + ".order_events e USING (order_id) GROUP BY o.order_id, o.state, o.journal_seq"))
        {
            while (event.next())
            {
                final long id = event.getLong(1);
                final String state = event.getString(2);
                final long expectedEvents = "RESERVED".equals(state) ? 1 : 2;
                if (event.getLong(4) != expectedEvents || !"RESERVED".equals(event.getString(7)) || !state.equals(event.getString(8)) ||
                    event.getLong(6) != event.getLong(3))
                {
                    problems.add("order " + id + " (" + state + ", journal_seq " + event.getLong(3) + "): " + event.getLong(4) + " events, first " +
                        event.getString(7) + ", last " + event.getString(8) + " at " + event.getLong(6));
                }
            }
        }
        try (ResultSet orphans = statement.executeQuery("SELECT count(*) FROM " + schema + ".order_events e WHERE NOT EXISTS " +
            "(SELECT 1 FROM " + schema + ".orders o WHERE o.order_id = e.order_id)"))
        {
            orphans.next();
            if (orphans.getLong(1) != 0)
            {
                problems.add(orphans.getLong(1) + " events of orders that are not in the orders table");
            }
        }
    }

    /** An order's reservation time is its deadline less the window; a deadline that never comes says nothing. */
    private static long reservedAt(final long deadline, final long window, final long stored)
    {
        return deadline == Long.MAX_VALUE ? stored : deadline - window;
    }

    /** The engine's payment reference hash (CommandEvent#textHash). */
    static long fnv(final String text)
    {
        if (text == null)
        {
            return 0;
        }
        long hash = 0xcbf29ce484222325L;
        for (final byte b : text.getBytes(StandardCharsets.UTF_8))
        {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
