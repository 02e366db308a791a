package io.flashsale.engine.sale;

import java.util.Arrays;
import java.util.List;

/**
 * The published views of all sales, by id. Read by any thread without locks; a new sale is added
 * by the business thread with a copy of the array (sales are created rarely).
 */
public final class SaleViews
{
    private volatile SaleView[] byIndex = new SaleView[0];

    /** The view of a sale, or null for an id that no sale has. Any thread. */
    public SaleView get(final long saleId)
    {
        final SaleView[] views = byIndex;
        return saleId > 0 && saleId <= views.length ? views[(int)(saleId - 1)] : null;
    }

    /** All views in id order. Any thread; allocates. */
    public List<SaleView> all()
    {
        return List.of(byIndex);
    }

    public int size()
    {
        return byIndex.length;
    }

    /** Business thread only: ids are dense and start at 1. */
    public void add(final SaleView view)
    {
        final SaleView[] views = byIndex;
        if (view.id != views.length + 1)
        {
            throw new IllegalStateException("sale ids must be dense: expected " + (views.length + 1) + " got " + view.id);
        }
        final SaleView[] grown = Arrays.copyOf(views, views.length + 1);
        grown[views.length] = view;
        byIndex = grown;
    }

    /** Business thread only: forget every sale (used when state is restored from a snapshot). */
    public void clear()
    {
        byIndex = new SaleView[0];
    }
}
