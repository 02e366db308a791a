package io.flashsale.http.reply;

import io.flashsale.engine.order.OrderState;
import io.flashsale.http.api.RequestState;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The order document every purchase answers with, written straight into bytes:
 * {@code {"orderId":7,"saleId":1,"qty":1,"state":"RESERVED","paymentDeadline":"2026-11-26T00:50:00.120Z"}}.
 *
 * <p>Why by hand: it is the one body on the purchase path, and Jackson's generator plus
 * {@code Instant.toString} cost more than the rest of the answer's own work. Only numbers, an enum
 * name and an instant go in, so nothing needs escaping. The instant is printed exactly as
 * {@code Instant.toString} prints it (ISO-8601, the fraction in groups of three digits and left out
 * when zero); its date and time up to the second are cached, since a crowd's deadlines share their
 * second. Any thread.
 */
public final class OrderDocument
{
    private static final byte[] ORDER_ID = ascii("{\"orderId\":");
    private static final byte[] SALE_ID = ascii(",\"saleId\":");
    private static final byte[] QTY = ascii(",\"qty\":");
    private static final byte[] STATE = ascii(",\"state\":\"");
    private static final byte[] DEADLINE = ascii("\",\"paymentDeadline\":\"");
    private static final byte[] END = ascii("\"}");
    private static final byte[][] STATE_NAMES = stateNames();
    private static final int FIXED_BYTES = ORDER_ID.length + SALE_ID.length + QTY.length + STATE.length + DEADLINE.length + END.length;

    /** The last second printed; racy on purpose: an immutable value, at worst printed again. */
    private static SecondText lastSecond = new SecondText(Long.MIN_VALUE, new byte[0]);

    private OrderDocument()
    {
    }

    /**
     * The admin's view of an order (GET /admin/orders/{id}): the shopper's document plus
     * {@code reservedAt} and {@code shopper}, the subject of the token that bought it (the shop's
     * own id for its customer); either is null when the engine does not know it (a payment window
     * that never closes; a purchase journaled before subjects were recorded). A cold path, written
     * with Jackson.
     */
    public static byte[] adminView(final RequestState request)
    {
        return JsonOut.object(json -> {
            json.writeNumberField("orderId", request.resultOrderId);
            json.writeNumberField("saleId", request.resultSaleId);
            json.writeNumberField("qty", request.resultQty);
            json.writeStringField("state", request.resultState.name());
            if (request.resultReservedAt == Long.MIN_VALUE)
            {
                json.writeNullField("reservedAt");
            }
            else
            {
                json.writeStringField("reservedAt", JsonOut.instant(request.resultReservedAt));
            }
            json.writeStringField("paymentDeadline", JsonOut.instant(request.resultDeadline));
            json.writeStringField("shopper", request.resultSubject);
        });
    }

    /** The order as the engine described it in the request's result, in the given state. */
    public static byte[] of(final RequestState request, final OrderState state)
    {
        return write(request.resultOrderId, request.resultSaleId, request.resultQty, state, request.resultDeadline);
    }

    public static byte[] write(final long orderId, final long saleId, final int qty, final OrderState state, final long deadlineMillis)
    {
        final byte[] stateName = STATE_NAMES[state.ordinal()];
        final SecondText second = second(Math.floorDiv(deadlineMillis, 1000));
        final int millis = (int)Math.floorMod(deadlineMillis, 1000);
        final byte[] out = new byte[FIXED_BYTES + digits(orderId) + digits(saleId) + digits(qty) + stateName.length
            + second.text.length + (millis == 0 ? 1 : ".000Z".length())];
        int at = put(out, 0, ORDER_ID);
        at = putLong(out, at, orderId);
        at = put(out, at, SALE_ID);
        at = putLong(out, at, saleId);
        at = put(out, at, QTY);
        at = putLong(out, at, qty);
        at = put(out, at, STATE);
        at = put(out, at, stateName);
        at = put(out, at, DEADLINE);
        at = put(out, at, second.text);
        if (millis != 0)
        {
            out[at++] = '.';
            out[at++] = (byte)('0' + millis / 100);
            out[at++] = (byte)('0' + millis / 10 % 10);
            out[at++] = (byte)('0' + millis % 10);
        }
        out[at++] = 'Z';
        put(out, at, END);
        return out;
    }

    private static SecondText second(final long epochSecond)
    {
        final SecondText last = lastSecond;
        if (last.epochSecond == epochSecond)
        {
            return last;
        }
        // "2026-11-26T00:50:00Z" without its Z: the fraction, if any, goes between.
        final String text = Instant.ofEpochSecond(epochSecond).toString();
        final SecondText printed = new SecondText(epochSecond, ascii(text.substring(0, text.length() - 1)));
        lastSecond = printed;
        return printed;
    }

    private static int put(final byte[] out, final int at, final byte[] bytes)
    {
        System.arraycopy(bytes, 0, out, at, bytes.length);
        return at + bytes.length;
    }

    private static int putLong(final byte[] out, final int at, final long value)
    {
        final int digits = digits(value);
        if (value < 0)
        {
            // Never on this path (ids and quantities are positive); kept exact rather than assumed.
            return put(out, at, ascii(Long.toString(value)));
        }
        long rest = value;
        for (int i = at + digits - 1; i >= at; i--)
        {
            out[i] = (byte)('0' + rest % 10);
            rest /= 10;
        }
        return at + digits;
    }

    /** Characters of {@code value} in decimal, the sign included. */
    private static int digits(final long value)
    {
        if (value < 0)
        {
            return Long.toString(value).length();
        }
        int digits = 1;
        for (long rest = value / 10; rest != 0; rest /= 10)
        {
            digits++;
        }
        return digits;
    }

    private static byte[][] stateNames()
    {
        final OrderState[] states = OrderState.values();
        final byte[][] names = new byte[states.length][];
        for (final OrderState state : states)
        {
            names[state.ordinal()] = ascii(state.name());
        }
        return names;
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private record SecondText(long epochSecond, byte[] text)
    {
    }
}
