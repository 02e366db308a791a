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
}
