package io.flashsale.engine.model;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.CommandType;

/**
 * Builds fresh {@link CommandEvent}s with only their input fields set, the way a producer fills a
 * ring slot. For tests in this module and, through the engine test-jar, in others. Any thread.
 */
public final class Commands
{
    private Commands()
    {
    }

    public static CommandEvent createSale(
        final long timestamp, final String name, final long stock, final long startsAt, final long endsAt,
        final int perUserLimit, final long paymentWindowMillis)
    {
        final CommandEvent command = command(CommandType.CREATE_SALE, timestamp);
        command.setText(name);
        command.stock = stock;
        command.startsAt = startsAt;
        command.endsAt = endsAt;
        command.perUserLimit = perUserLimit;
        command.paymentWindowMillis = paymentWindowMillis;
        return command;
    }

    public static CommandEvent purchase(
        final long timestamp, final long saleId, final long userId, final int qty, final long idempotencyKey)
    {
        final CommandEvent command = command(CommandType.PURCHASE, timestamp);
        command.saleId = saleId;
        command.userId = userId;
        command.qty = qty;
        command.idempotencyKey = idempotencyKey;
        return command;
    }

    /** A purchase that names its shopper, as the HTTP front publishes one: {@code subject} is the token's subject. */
    public static CommandEvent purchase(
        final long timestamp, final long saleId, final long userId, final String subject, final int qty, final long idempotencyKey)
    {
        final CommandEvent command = purchase(timestamp, saleId, userId, qty, idempotencyKey);
        command.setText(subject);
        return command;
    }

    public static CommandEvent pay(final long timestamp, final long orderId, final long userId, final String paymentRef)
    {
        final CommandEvent command = orderCommand(CommandType.PAY, timestamp, orderId, userId);
        command.setText(paymentRef);
        return command;
    }

    public static CommandEvent cancel(final long timestamp, final long orderId, final long userId)
    {
        return orderCommand(CommandType.CANCEL, timestamp, orderId, userId);
    }

    public static CommandEvent queryOrder(final long timestamp, final long orderId, final long userId)
    {
        return orderCommand(CommandType.QUERY_ORDER, timestamp, orderId, userId);
    }

    public static CommandEvent inspectOrder(final long timestamp, final long orderId)
    {
        return orderCommand(CommandType.INSPECT_ORDER, timestamp, orderId, 0);
    }

    public static CommandEvent tick(final long timestamp)
    {
        return command(CommandType.TICK, timestamp);
    }

    public static CommandEvent snapshot(final long timestamp)
    {
        return command(CommandType.SNAPSHOT, timestamp);
    }

    /** A new event with the input fields of {@code source} and an empty result. */
    public static CommandEvent copyOf(final CommandEvent source)
    {
        final CommandEvent copy = new CommandEvent();
        copy.copyInputFrom(source);
        return copy;
    }

    private static CommandEvent orderCommand(final CommandType type, final long timestamp, final long orderId, final long userId)
    {
        final CommandEvent command = command(type, timestamp);
        command.orderId = orderId;
        command.userId = userId;
        return command;
    }

    private static CommandEvent command(final CommandType type, final long timestamp)
    {
        final CommandEvent command = new CommandEvent();
        command.type = type;
        command.timestamp = timestamp;
        return command;
    }
}
