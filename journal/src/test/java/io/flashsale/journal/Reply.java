package io.flashsale.journal;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.CommandType;
import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.order.OrderState;

/** A copy of a command's result, taken on the reply thread (the ring event is reused after). */
record Reply(CommandType type, Outcome outcome, long orderId, long saleId, long userId, int qty, long deadline, OrderState state)
{
    static Reply of(final CommandEvent event)
    {
        return new Reply(event.type, event.outcome, event.resultOrderId, event.resultSaleId, event.resultUserId,
            event.resultQty, event.resultDeadline, event.resultOrderState);
    }
}
