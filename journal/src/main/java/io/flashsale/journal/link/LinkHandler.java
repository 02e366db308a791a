package io.flashsale.journal.link;

import io.flashsale.engine.command.CommandEvent;

/**
 * What the core does with what its edges send: the port between a {@link LinkServer} and the
 * core's ring.
 *
 * <p>Called on the link server's agent thread only, one message at a time in the order each edge
 * sent them. Must not block (publish to the ring with {@code tryNext}; a full ring is a BUSY
 * outcome sent back at once). An exception is passed to the server's error handler and the next
 * message is handled.
 */
public interface LinkHandler
{
    /**
     * An authenticated edge's command: PURCHASE, PAY or CANCEL as decoded by the journal codec, or
     * QUERY_ORDER. {@code command} is reused for the next message: copy its input fields
     * ({@link CommandEvent#copyInputFrom}) before returning. Its timestamp is the edge's estimate
     * of the core's clock; the core stamps its own when it publishes. Answer with
     * {@link LinkServer#sendOutcome(int, long, CommandEvent)} from any thread.
     */
    void onCommand(int edgeId, long correlationId, CommandEvent command);

    /** An edge's demand for one sale since its previous report (about every 100 ms). */
    default void onReport(int edgeId, long saleId, long attempts, long onlineShoppers, long windowMillis)
    {
    }

    /** An edge proved it holds the secret; outcomes and views now reach it. */
    default void onEdgeJoined(int edgeId, LinkEndpoint endpoint)
    {
    }

    /** An edge went silent, closed its stream, or was replaced by a newer session with its id. */
    default void onEdgeLeft(int edgeId)
    {
    }
}
