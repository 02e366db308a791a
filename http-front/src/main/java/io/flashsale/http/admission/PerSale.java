package io.flashsale.http.admission;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * One object per sale id, made on first use: sale ids are dense from 1, so an array read
 * without a lock (grown under one, rarely: when a sale appears). Callers pass only ids of sales
 * that exist, so the array never grows past the sales there are.
 *
 * <p>Any thread.
 */
public final class PerSale<T>
{
    private final Supplier<T> factory;
    private final Object growLock = new Object();
    private volatile Object[] bySale = new Object[0];

    public PerSale(final Supplier<T> factory)
    {
        this.factory = factory;
    }

    /** The sale's object, made now if it is the first call for it. {@code saleId} in 1..Integer.MAX_VALUE. */
    @SuppressWarnings("unchecked")
    public T of(final long saleId)
    {
        final Object[] sales = bySale;
        if (saleId <= sales.length)
        {
            return (T)sales[(int)(saleId - 1)];
        }
        synchronized (growLock)
        {
            Object[] grown = bySale;
            if (saleId > grown.length)
            {
                final int oldLength = grown.length;
                grown = Arrays.copyOf(grown, (int)saleId);
                for (int i = oldLength; i < grown.length; i++)
                {
                    grown[i] = factory.get();
                }
                bySale = grown;
            }
            return (T)grown[(int)(saleId - 1)];
        }
    }

    /** How many sales have an object (the highest id asked for). */
    public int size()
    {
        return bySale.length;
    }

    /** The object of the sale at {@code index} (its id − 1), for {@code index < size()}. */
    @SuppressWarnings("unchecked")
    public T at(final int index)
    {
        return (T)bySale[index];
    }
}
