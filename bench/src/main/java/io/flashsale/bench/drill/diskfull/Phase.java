package io.flashsale.bench.drill.diskfull;

/** Where the disk-full drill is when a purchase is sent. */
public enum Phase
{
    /** Load on a journal with room. */
    BEFORE,
    /** The filler has been written; the server has not yet said it is not ready. */
    FILLING,
    /** The server said not ready (journal-full): every purchase must be refused. */
    FULL,
    /** The filler is deleted; the server has not yet said it is ready again. */
    RECOVERING,
    /** Ready again: purchases must succeed. */
    AFTER
}
