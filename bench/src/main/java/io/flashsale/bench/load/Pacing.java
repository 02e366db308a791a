package io.flashsale.bench.load;

/** How a load run sends its arrivals. */
public enum Pacing
{
    /** Open loop: arrivals at a fixed rate; latency from each one's intended send time. */
    RATE,
    /** Open loop: every arrival intended at the start instant (a crowd clicking at once). */
    BURST,
    /** Closed loop: each connection sends its next request when the previous one is answered. */
    CLOSED
}
