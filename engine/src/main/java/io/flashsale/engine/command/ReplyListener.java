package io.flashsale.engine.command;

/**
 * Receives the result of a command once it has been journaled and applied.
 *
 * <p>Called on the reply stage thread. The event is reused by the ring as soon as the call
 * returns: copy what you need, do not keep the reference, and do not block.
 */
@FunctionalInterface
public interface ReplyListener
{
    void onReply(CommandEvent event);

    /**
     * The reply stage reached the end of a batch, and this listener had at least one reply in it:
     * the moment to hand on, in one go, what {@link #onReply} gathered (one wake-up of another
     * thread per batch instead of one per reply). Reply stage thread.
     */
    default void onBatchEnd()
    {
    }
}
