package io.flashsale.journal.link;

import io.flashsale.engine.sale.SaleCounts;
import io.flashsale.engine.sale.SaleView;
import io.flashsale.engine.sale.SaleViews;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;

import java.nio.charset.StandardCharsets;

/**
 * Feeds an edge's copy of the core's sale views from SALE_VIEW messages: the engine's own
 * {@link SaleViews} and {@link SaleView}, so the edge's front reads them exactly as a core's front
 * reads its own (one volatile read, a seqlock for a consistent cut). A sale whose terms arrive
 * changed (or that is new) gets a new view; otherwise the counts are published in place. ADMISSION
 * messages go to the {@link AdmissionListener}.
 *
 * <p>The link client's agent thread writes; any thread reads {@link #views()}.
 */
public final class RemoteSaleViews
{
    private final SaleViews views = new SaleViews();
    private final AdmissionListener admission;
    /** The UTF-8 name each view was made with, to tell a changed name without decoding. Agent thread only. */
    private final Long2ObjectHashMap<byte[]> names = new Long2ObjectHashMap<>();
    private final SaleCounts counts = new SaleCounts();

    RemoteSaleViews(final AdmissionListener admission)
    {
        this.admission = admission;
    }

    /** The core's sales as last pushed (a view is null until the core pushed it). Any thread. */
    public SaleViews views()
    {
        return views;
    }

    /** Applies the SALE_VIEW message at {@code at}. Agent thread only. */
    void onSaleView(final DirectBuffer buffer, final int at)
    {
        final long saleId = buffer.getLong(at + 4, LinkWire.ORDER);
        final long stock = buffer.getLong(at + 12, LinkWire.ORDER);
        final long startsAt = buffer.getLong(at + 20, LinkWire.ORDER);
        final long endsAt = buffer.getLong(at + 28, LinkWire.ORDER);
        final long paymentWindow = buffer.getLong(at + 36, LinkWire.ORDER);
        final int perUserLimit = buffer.getInt(at + 44, LinkWire.ORDER);
        final int nameLength = buffer.getByte(at + 105) & 0xff;
        if (saleId <= 0 || saleId > Integer.MAX_VALUE)
        {
            return;
        }
        SaleView view = views.get(saleId);
        if (view == null || view.stock != stock || view.startsAt != startsAt || view.endsAt != endsAt ||
            view.paymentWindowMillis != paymentWindow || view.perUserLimit != perUserLimit ||
            !sameName(names.get(saleId), buffer, at + LinkWire.SALE_VIEW_NAME, nameLength))
        {
            final byte[] name = new byte[nameLength];
            buffer.getBytes(at + LinkWire.SALE_VIEW_NAME, name);
            view = new SaleView(saleId, new String(name, StandardCharsets.UTF_8), stock, startsAt, endsAt, perUserLimit, paymentWindow);
            names.put(saleId, name);
            views.put(view);
        }
        counts.available = buffer.getLong(at + 48, LinkWire.ORDER);
        counts.reserved = buffer.getLong(at + 56, LinkWire.ORDER);
        counts.paid = buffer.getLong(at + 64, LinkWire.ORDER);
        counts.cancelled = buffer.getLong(at + 72, LinkWire.ORDER);
        counts.expired = buffer.getLong(at + 80, LinkWire.ORDER);
        counts.distinctBuyers = buffer.getLong(at + 88, LinkWire.ORDER);
        counts.engineTime = buffer.getLong(at + 96, LinkWire.ORDER);
        view.publish(counts);
    }

    /**
     * Applies the ADMISSION message at {@code at}. Agent thread only.
     *
     * @return false for a sale whose view has not arrived yet (the core pushes views before
     *         probabilities, so the next push puts it right)
     */
    boolean onAdmission(final DirectBuffer buffer, final int at)
    {
        final long saleId = buffer.getLong(at + 4, LinkWire.ORDER);
        if (views.get(saleId) == null)
        {
            return false;
        }
        admission.onAdmission(saleId, buffer.getDouble(at + 12, LinkWire.ORDER));
        return true;
    }

    private static boolean sameName(final byte[] name, final DirectBuffer buffer, final int at, final int length)
    {
        if (name == null || name.length != length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (name[i] != buffer.getByte(at + i))
            {
                return false;
            }
        }
        return true;
    }
}
