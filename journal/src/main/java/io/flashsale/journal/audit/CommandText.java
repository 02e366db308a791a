package io.flashsale.journal.audit;

import io.flashsale.engine.command.CommandEvent;

import java.time.Instant;

/** A command and its outcome in one line of text, for messages. */
public final class CommandText
{
    private CommandText()
    {
    }

    public static String describe(final CommandEvent command)
    {
        final StringBuilder text = new StringBuilder().append(command.type);
        switch (command.type)
        {
            case CREATE_SALE -> text.append(" name=\"").append(command.textAsString()).append("\" stock=").append(command.stock)
                .append(" perUserLimit=").append(command.perUserLimit).append(" paymentWindowMillis=").append(command.paymentWindowMillis);
            case PURCHASE -> text.append(" sale=").append(command.saleId).append(" user=").append(command.userId)
                .append(" qty=").append(command.qty).append(" key=").append(command.idempotencyKey);
            case PAY, CANCEL -> text.append(" order=").append(command.orderId).append(" user=").append(command.userId);
            default ->
            {
            }
        }
        text.append(" at ").append(Instant.ofEpochMilli(command.timestamp)).append(" -> ").append(command.outcome);
        if (command.resultOrderId != 0)
        {
            text.append(" order ").append(command.resultOrderId);
        }
        else if (command.resultSaleId != 0)
        {
            text.append(" sale ").append(command.resultSaleId);
        }
        return text.toString();
    }
}
