package io.flashsale.bench.drill.partition;

/** What the replication path was doing when a purchase was sent. */
public enum LinkPhase
{
    /** Whole: the primary acknowledges once its standby journaled. */
    WHOLE,
    /** netem delay and loss: slower, still acknowledged by both. */
    IMPAIRED,
    /** Cut: the primary must stall, never acknowledge alone. */
    CUT,
    /** The standby promoted: it takes purchases as the primary of the new epoch. */
    PROMOTED,
    /** The path whole again, the old primary still running: it must still acknowledge nothing. */
    HEALED
}
