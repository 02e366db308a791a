package io.flashsale.journal.link;

import io.flashsale.engine.command.CommandEvent;

/**
 * Where an edge learns how its commands ended. Every correlation id a {@link LinkClient} accepted
 * gets exactly one call: either the outcome, or "unknown" when the link was lost (or the command
 * timed out) before the outcome came back.
 *
 * <p>Called on the link client's agent thread only. Must not block: hand the answer to the
 * exchange's IO thread and return.
 */
public interface OutcomeListener
{
    /**
     * The core applied the command. {@code result} carries the result fields ({@code outcome},
     * {@code resultOrderId}, {@code resultSaleId}, {@code resultUserId}, {@code resultQty},
     * {@code resultDeadline}, {@code resultOrderState}) and is reused after this call returns.
     */
    void onOutcome(long correlationId, CommandEvent result);

    /**
     * Neither bought nor failed: the command may or may not have been applied (answer 503 and
     * ask the shopper to retry with the same idempotency key).
     */
    void onOutcomeUnknown(long correlationId);
}
