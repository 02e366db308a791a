package io.flashsale.http.edge;

import io.flashsale.http.api.RequestState;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The requests an edge sent to the core and waits for, by correlation id: an open-addressing
 * table (linear probing from {@code id & mask}) with no allocation per command. Its capacity must
 * exceed the link's in-flight cap by a wide margin, so probes stay short and a put never fails
 * while the link accepts commands.
 *
 * <p>{@link #put}: IO threads; {@link #take}: the link client's agent thread (or the IO thread
 * whose send was refused). A slot is claimed by a CAS on the request, then its id is written; the
 * id becomes visible to the agent before the command can reach it (the send publishes both).
 */
final class PendingCommands
{
    private final AtomicReferenceArray<RequestState> requests;
    private final AtomicLongArray ids;
    private final int mask;

    /** @param capacity a power of two */
    PendingCommands(final int capacity)
    {
        if (Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        requests = new AtomicReferenceArray<>(capacity);
        ids = new AtomicLongArray(capacity);
        mask = capacity - 1;
    }

    /** @return false when the table is full (nothing was stored) */
    boolean put(final long id, final RequestState request)
    {
        final int start = (int)id & mask;
        for (int probe = 0; probe <= mask; probe++)
        {
            final int slot = (start + probe) & mask;
            if (requests.get(slot) == null && requests.compareAndSet(slot, null, request))
            {
                ids.set(slot, id);
                return true;
            }
        }
        return false;
    }

    /** Removes and returns the request sent under {@code id}, or null when there is none. */
    RequestState take(final long id)
    {
        final int start = (int)id & mask;
        for (int probe = 0; probe <= mask; probe++)
        {
            final int slot = (start + probe) & mask;
            if (ids.get(slot) == id)
            {
                final RequestState request = requests.get(slot);
                if (request != null)
                {
                    // The id first: once the slot is free another put may claim it and write its own.
                    ids.set(slot, 0);
                    requests.set(slot, null);
                    return request;
                }
            }
        }
        return null;
    }
}
