package io.flashsale.journal.replication;

/** What a sync primary does when the standby it was in sync with goes silent. */
public enum StandbyLost
{
    /**
     * Acknowledge nothing more until a standby is in sync again: commands in flight are answered
     * NOT_REPLICATED and new writes refused, so a promoted standby is never racing a primary that
     * acknowledges alone.
     */
    STALL,
    /** Go on alone: replies stop waiting, and an order acknowledged now lives on one machine only. */
    CONTINUE_ALONE
}
