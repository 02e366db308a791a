package io.flashsale.journal.replication;

import io.aeron.Publication;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One admitted standby, as the primary sees it. The agent creates it, streams the catch-up and
 * notes acknowledgements; the ring thread takes over at the hand-off and sends live records. Its
 * state moves CATCHING_UP → HANDOFF (agent: the journal's end was sent) → LIVE (ring: the records
 * appended since were sent too), back to CATCHING_UP when an async ring could not send a batch,
 * and to CLOSED when the standby is lost or replaced. Fields are shared: any thread.
 */
final class StandbySession
{
    static final int CATCHING_UP = 0;
    static final int HANDOFF = 1;
    static final int LIVE = 2;
    static final int CLOSED = 3;

    final long nonce;
    final int imageSessionId;
    final String endpoint;
    /** Thread-safe offers: the agent during catch-up, the ring thread once live. Closed by the agent. */
    final Publication publication;
    final AtomicInteger state = new AtomicInteger(CATCHING_UP);
    /** The last sequence the agent sent before handing off. */
    volatile long handoffAt;
    /** The sequence the ring had sent through when it went live: in sync once acknowledged through here. */
    volatile long liveAt;
    /** Where the agent's catch-up (re)starts, and a count of restarts so it sees a new one. */
    volatile long catchUpFrom;
    volatile int catchUpGeneration;
    volatile long acked;
    volatile long ackedTimestamp;
    volatile long lastHeardNanos;

    StandbySession(final long nonce, final int imageSessionId, final String endpoint, final Publication publication,
        final long startSequence, final long nowNanos)
    {
        this.nonce = nonce;
        this.imageSessionId = imageSessionId;
        this.endpoint = endpoint;
        this.publication = publication;
        this.catchUpFrom = startSequence;
        this.acked = startSequence - 1;
        this.lastHeardNanos = nowNanos;
    }

    int state()
    {
        return state.get();
    }

    static String name(final int state)
    {
        return switch (state)
        {
            case CATCHING_UP -> "catching-up";
            case HANDOFF -> "handing-off";
            case LIVE -> "in-sync";
            default -> "closed";
        };
    }
}
