package io.flashsale.engine.sale;

/** A reader-owned copy of a sale's moving counts, in units (not orders). */
public final class SaleCounts
{
    public long available;
    public long reserved;
    public long paid;
    /** Units returned by cancelled orders, counted over the sale's life. */
    public long cancelled;
    /** Units returned by orders whose payment window closed, counted over the sale's life. */
    public long expired;
    /** Shoppers who reserved at least once in this sale. */
    public long distinctBuyers;
    /** The engine clock when these counts were published. */
    public long engineTime;
}
