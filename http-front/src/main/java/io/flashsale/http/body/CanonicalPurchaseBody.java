package io.flashsale.http.body;

import io.flashsale.http.api.RequestState;

import java.nio.charset.StandardCharsets;

/**
 * Reads the purchase body the way nearly every client writes it, {@code {"qty":1,"key":"Xy_-..."}}
 * exactly as {@code JSON.stringify} prints it (either field first, no spaces), without a JSON parser.
 *
 * <p>Why: the purchase body is on the hot path, and building Jackson's parser, a map and a
 * BigInteger for two fields cost more than reading them. Only a body this reader fully recognises
 * is taken: a positive quantity within the limit, written without leading zeros, and a key of
 * base64url characters. Anything else (spaces, escapes, other fields, a value out of range, any
 * mistake) is declined and goes to the strict reader ({@link JsonFields}), which accepts or
 * refuses it with its precise message. So for every body this reader takes, the strict one would
 * have read the same values. IO threads; stateless.
 */
public final class CanonicalPurchaseBody
{
    private static final byte[] QTY = "\"qty\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEY = "\"key\":\"".getBytes(StandardCharsets.US_ASCII);
    /** More digits could overflow an int; such quantities are past any per-user limit anyway. */
    private static final int MAX_QTY_DIGITS = 9;

    private CanonicalPurchaseBody()
    {
    }

    /** Sets {@code request.qty} and {@code request.purchaseKey} and returns true, or returns false and sets nothing. */
    public static boolean read(final byte[] body, final long maxQty, final int maxKeyChars, final RequestState request)
    {
        final int last = body.length - 1;
        if (last < 1 || body[0] != '{' || body[last] != '}')
        {
            return false;
        }
        final int qtyFirst = startsWith(body, 1, QTY) ? 1 : afterKeyAndComma(body, maxKeyChars);
        if (qtyFirst <= 0 || !startsWith(body, qtyFirst, QTY))
        {
            return false;
        }
        final int digitsStart = qtyFirst + QTY.length;
        final int digitsEnd = digitsEnd(body, digitsStart);
        if (digitsEnd < 0)
        {
            return false;
        }
        final int keyStart;
        final int keyEnd; // the key's closing quote
        if (qtyFirst == 1)
        {
            // {"qty":N,"key":"K"}
            if (digitsEnd >= last || body[digitsEnd] != ',' || afterKey(body, digitsEnd + 1, maxKeyChars) != last)
            {
                return false;
            }
            keyStart = digitsEnd + 1 + KEY.length;
            keyEnd = last - 1;
        }
        else
        {
            // {"key":"K","qty":N}
            if (digitsEnd != last)
            {
                return false;
            }
            keyStart = 1 + KEY.length;
            keyEnd = qtyFirst - 2;
        }
        final long qty = parseDigits(body, digitsStart, digitsEnd);
        if (qty > maxQty)
        {
            return false;
        }
        request.qty = (int)qty;
        request.purchaseKey = new String(body, keyStart, keyEnd - keyStart, StandardCharsets.US_ASCII);
        return true;
    }

    /** For a body starting {@code {"key":"K",}: the index after the comma, or -1. */
    private static int afterKeyAndComma(final byte[] body, final int maxKeyChars)
    {
        final int comma = afterKey(body, 1, maxKeyChars);
        return comma > 0 && comma < body.length && body[comma] == ',' ? comma + 1 : -1;
    }

    /**
     * For {@code "key":"K"} at {@code at}: the index just after its closing quote, or -1 when it is
     * not there or K is empty, too long or has a character outside base64url.
     */
    private static int afterKey(final byte[] body, final int at, final int maxKeyChars)
    {
        if (!startsWith(body, at, KEY))
        {
            return -1;
        }
        final int start = at + KEY.length;
        int i = start;
        while (i < body.length && isBase64Url(body[i]))
        {
            i++;
        }
        final int length = i - start;
        if (i >= body.length || body[i] != '"' || length == 0 || length > maxKeyChars)
        {
            return -1;
        }
        return i + 1;
    }

    /** The end of a positive decimal without a leading zero at {@code at}, or -1. */
    private static int digitsEnd(final byte[] body, final int at)
    {
        if (at >= body.length || body[at] < '1' || body[at] > '9')
        {
            return -1;
        }
        int i = at + 1;
        while (i < body.length && body[i] >= '0' && body[i] <= '9')
        {
            i++;
        }
        return i - at <= MAX_QTY_DIGITS ? i : -1;
    }

    private static long parseDigits(final byte[] body, final int from, final int to)
    {
        long value = 0;
        for (int i = from; i < to; i++)
        {
            value = value * 10 + (body[i] - '0');
        }
        return value;
    }

    private static boolean startsWith(final byte[] body, final int at, final byte[] prefix)
    {
        if (at < 0 || at + prefix.length > body.length)
        {
            return false;
        }
        for (int i = 0; i < prefix.length; i++)
        {
            if (body[at + i] != prefix[i])
            {
                return false;
            }
        }
        return true;
    }

    private static boolean isBase64Url(final byte b)
    {
        return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-' || b == '_';
    }
}
