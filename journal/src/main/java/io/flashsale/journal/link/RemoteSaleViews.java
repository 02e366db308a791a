package io.flashsale.journal.link;

import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.List;

/**
 * An edge's copies of the core's sale views, by sale id. Readers (any thread) take the current
 * map through one volatile read; the link client's agent thread replaces the map with a copy when
 * a sale appears (rare) and otherwise updates the views in place.
 */
public final class RemoteSaleViews
{
    private volatile Long2ObjectHashMap<RemoteSaleView> byId = new Long2ObjectHashMap<>();

    /** The view of a sale, or null when the core has not pushed it. Any thread. */
    public RemoteSaleView get(final long saleId)
    {
        return byId.get(saleId);
    }

    /** Every view, in no particular order. Any thread; allocates. */
    public List<RemoteSaleView> all()
    {
        return new ArrayList<>(byId.values());
    }

    public int size()
    {
        return byId.size();
    }

    /** Applies the SALE_VIEW message at {@code at}. Agent thread only. */
    void onSaleView(final DirectBuffer buffer, final int at, final long nowNanos)
    {
        final long saleId = buffer.getLong(at + 4, LinkWire.ORDER);
        final long stock = buffer.getLong(at + 12, LinkWire.ORDER);
        final long startsAt = buffer.getLong(at + 20, LinkWire.ORDER);
        final long endsAt = buffer.getLong(at + 28, LinkWire.ORDER);
        final long paymentWindow = buffer.getLong(at + 36, LinkWire.ORDER);
        final int perUserLimit = buffer.getInt(at + 44, LinkWire.ORDER);
        final int nameLength = buffer.getByte(at + 105) & 0xff;
        RemoteSaleView view = byId.get(saleId);
        if (view == null || view.stock != stock || view.startsAt != startsAt || view.endsAt != endsAt ||
            view.paymentWindowMillis != paymentWindow || view.perUserLimit != perUserLimit ||
            !sameName(view.nameUtf8, buffer, at + LinkWire.SALE_VIEW_NAME, nameLength))
        {
            final byte[] name = new byte[nameLength];
            buffer.getBytes(at + LinkWire.SALE_VIEW_NAME, name);
            view = new RemoteSaleView(saleId, name, stock, startsAt, endsAt, perUserLimit, paymentWindow);
            final Long2ObjectHashMap<RemoteSaleView> copy = new Long2ObjectHashMap<>();
            copy.putAll(byId);
            copy.put(saleId, view);
            byId = copy;
        }
        view.publish(
            buffer.getLong(at + 48, LinkWire.ORDER),
            buffer.getLong(at + 56, LinkWire.ORDER),
            buffer.getLong(at + 64, LinkWire.ORDER),
            buffer.getLong(at + 72, LinkWire.ORDER),
            buffer.getLong(at + 80, LinkWire.ORDER),
            buffer.getLong(at + 88, LinkWire.ORDER),
            buffer.getLong(at + 96, LinkWire.ORDER),
            LinkWire.state(buffer.getByte(at + 104)),
            nowNanos);
    }

    /**
     * Applies the ADMISSION message at {@code at}. Agent thread only.
     *
     * @return false for a sale whose view has not arrived yet (the core pushes views before
     *         probabilities, so the next push puts it right)
     */
    boolean onAdmission(final DirectBuffer buffer, final int at, final long nowNanos)
    {
        final RemoteSaleView view = byId.get(buffer.getLong(at + 4, LinkWire.ORDER));
        if (view == null)
        {
            return false;
        }
        view.admission(buffer.getDouble(at + 12, LinkWire.ORDER), nowNanos);
        return true;
    }

    private static boolean sameName(final byte[] name, final DirectBuffer buffer, final int at, final int length)
    {
        if (name.length != length)
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
