package io.flashsale.bench.scenario;

/** One thing a run checked after the load (the books, the journal), and what it found. */
public record Check(String name, boolean passed, String detail)
{
    public static Check of(final String name, final boolean passed, final String detail)
    {
        return new Check(name, passed, detail);
    }

    /** Expected == actual, or within {@code [expected, expected + unknown]} when some answers never came. */
    public static Check counts(final String name, final long expected, final long unknown, final long actual)
    {
        final boolean passed = unknown == 0 ? actual == expected : actual >= expected && actual <= expected + unknown;
        final String detail = unknown == 0
            ? String.format("server %,d, answers seen %,d", actual, expected)
            : String.format("server %,d, answers seen %,d plus %,d without an answer", actual, expected, unknown);
        return new Check(name, passed, detail);
    }
}
