package io.flashsale.bench.scenario;

/**
 * Reads one top-level field out of the compact JSON the servers answer with ({@code "name":value},
 * no spaces), without building a tree: the generator reads a field or two of tens of thousands of
 * answers a second, on its event-loop thread. Good for these servers' output, not a JSON parser.
 * Stateless; any thread.
 */
public final class JsonPeek
{
    private JsonPeek()
    {
    }

    /** The number after {@code "name":}, or {@code missing}. */
    public static long longField(final String json, final String name, final long missing)
    {
        final int at = valueStart(json, name);
        if (at < 0)
        {
            return missing;
        }
        int i = at;
        long value = 0;
        boolean negative = false;
        if (i < json.length() && json.charAt(i) == '-')
        {
            negative = true;
            i++;
        }
        final int digits = i;
        while (i < json.length() && Character.isDigit(json.charAt(i)))
        {
            value = value * 10 + (json.charAt(i) - '0');
            i++;
        }
        return i == digits ? missing : negative ? -value : value;
    }

    /** The string after {@code "name":} (no escapes expected), or null. */
    public static String stringField(final String json, final String name)
    {
        final int at = valueStart(json, name);
        if (at < 0 || at >= json.length() || json.charAt(at) != '"')
        {
            return null;
        }
        final int end = json.indexOf('"', at + 1);
        return end < 0 ? null : json.substring(at + 1, end);
    }

    private static int valueStart(final String json, final String name)
    {
        if (json == null)
        {
            return -1;
        }
        final String marker = "\"" + name + "\":";
        final int at = json.indexOf(marker);
        return at < 0 ? -1 : at + marker.length();
    }
}
