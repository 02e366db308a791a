package io.flashsale.engine.pipeline;

/**
 * How the ring's work is spread over threads. Either way a reply leaves only after its command was
 * journaled (and forced, under BATCH sync) and applied, in ring order.
 */
public enum StageLayout
{
    /**
     * Journal and business logic on two threads side by side, replies on a third once both are
     * past a command: the layout for machines with cores to spare, where the journal's time is
     * hidden behind the engine's.
     */
    PARALLEL,
    /**
     * One thread journals, applies and answers each ring batch in turn: two thread hand-offs fewer
     * per command. On a small machine (2 cores shared with the IO threads) the hand-offs and
     * wake-ups cost more than the journal and the engine together.
     */
    SERIAL
}
