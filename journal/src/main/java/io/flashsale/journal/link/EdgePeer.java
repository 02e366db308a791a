package io.flashsale.journal.link;

import io.aeron.ExclusivePublication;
import org.agrona.CloseHelper;

/**
 * The core's view of one edge session (one Aeron image on the core's subscription): where the
 * handshake stands, and the publication back to the edge's own endpoint.
 *
 * <p>Link server agent thread only.
 */
final class EdgePeer
{
    final int sessionId;
    int edgeId;
    long edgeNonce;
    long challenge;
    boolean authenticated;
    long lastHeardNanos;
    LinkEndpoint endpoint;
    ExclusivePublication publication;
    Outbound outbound;

    EdgePeer(final int sessionId, final long nowNanos)
    {
        this.sessionId = sessionId;
        this.lastHeardNanos = nowNanos;
    }

    void close()
    {
        CloseHelper.quietClose(publication);
        publication = null;
        if (outbound != null)
        {
            outbound.clear();
        }
    }
}
