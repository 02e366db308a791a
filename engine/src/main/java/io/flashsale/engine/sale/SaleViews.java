package io.flashsale.engine.sale;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The published views of all sales, by id. Read by any thread without locks; a new sale is added
 * by the business thread with a copy of the array (sales are created rarely). An edge keeps the
 * same structure as its copy of the core's views ({@link #put}), written by its link's agent.
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
        final SaleView[] views = byIndex;
        final List<SaleView> all = new ArrayList<>(views.length);
        for (final SaleView view : views)
        {
            // A copy fed by put() may have a gap for a view that has not arrived yet.
            if (view != null)
            {
                all.add(view);
            }
        }
        return List.copyOf(all);
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

    /**
     * A copy fed from elsewhere (an edge's views, pushed by the core in no guaranteed order):
     * sets or replaces the view of {@code view.id}, growing the array when needed. One writer
     * thread only; readers see the old array or the new one, never a torn one.
     */
    public void put(final SaleView view)
    {
        if (view.id <= 0 || view.id > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("not a sale id: " + view.id);
        }
        final SaleView[] views = byIndex;
        final SaleView[] next = Arrays.copyOf(views, (int)Math.max(views.length, view.id));
        next[(int)(view.id - 1)] = view;
        byIndex = next;
    }

    /** Business thread only: forget every sale (used when state is restored from a snapshot). */
    public void clear()
    {
        byIndex = new SaleView[0];
    }
}
