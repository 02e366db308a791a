package io.flashsale.http.page;

import io.flashsale.engine.sale.SaleView;

import java.util.List;

/**
 * Which sale the page at {@code /} shows: the sale on now (started, not ended; sold-out ones
 * count, since units may come back), else the next one to start. Of several on now, the one that
 * started last (the newest drop); of several to come, the one that starts first. Sales' terms
 * never change, so this needs only the published views and a clock. Any thread; no state.
 */
final class CurrentSale
{
    private CurrentSale()
    {
    }

    /** The sale to show at {@code nowMillis}, or null when none is on or to come. */
    static SaleView pick(final List<SaleView> sales, final long nowMillis)
    {
        SaleView on = null;
        SaleView next = null;
        for (final SaleView sale : sales)
        {
            if (nowMillis >= sale.endsAt)
            {
                continue;
            }
            if (nowMillis >= sale.startsAt)
            {
                if (on == null || sale.startsAt > on.startsAt)
                {
                    on = sale;
                }
            }
            else if (next == null || sale.startsAt < next.startsAt)
            {
                next = sale;
            }
        }
        return on != null ? on : next;
    }
}
