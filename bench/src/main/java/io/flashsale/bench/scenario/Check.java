package io.flashsale.bench.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * One thing a run checked after the load (the books, the journal, memory), and what it found. A
 * check that could not be judged (too few samples, nothing to verify) says so: it is neither a
 * pass nor a failure, and a run with one has not passed.
 */
public record Check(String name, Verdict verdict, String detail)
{
    /** What a check concluded. */
    public enum Verdict
    {
        PASS("PASS"),
        FAIL("FAIL"),
        NOT_JUDGED("NOT JUDGED");

        private final String label;

        Verdict(final String label)
        {
            this.label = label;
        }

        /** As printed in reports: PASS, FAIL, NOT JUDGED. */
        public String label()
        {
            return label;
        }
    }

    public static Check of(final String name, final boolean passed, final String detail)
    {
        return new Check(name, passed ? Verdict.PASS : Verdict.FAIL, detail);
    }

    /** A check that was not made; {@code why} says what it lacked. */
    public static Check notJudged(final String name, final String why)
    {
        return new Check(name, Verdict.NOT_JUDGED, why);
    }

    /** Expected == actual, or within {@code [expected, expected + unknown]} when some answers never came. */
    public static Check counts(final String name, final long expected, final long unknown, final long actual)
    {
        final boolean passed = unknown == 0 ? actual == expected : actual >= expected && actual <= expected + unknown;
        final String detail = unknown == 0
            ? String.format("server %,d, answers seen %,d", actual, expected)
            : String.format("server %,d, answers seen %,d plus %,d without an answer", actual, expected, unknown);
        return Check.of(name, passed, detail);
    }

    /** Judged and found to hold. A check not judged has not passed. */
    @JsonProperty("passed")
    public boolean passed()
    {
        return verdict == Verdict.PASS;
    }

    public String label()
    {
        return verdict.label();
    }

    /** FAIL when any check failed, else NOT_JUDGED when any was not judged, else PASS. */
    public static Verdict overall(final List<Check> checks)
    {
        if (checks.stream().anyMatch(c -> c.verdict == Verdict.FAIL))
        {
            return Verdict.FAIL;
        }
        return checks.stream().anyMatch(c -> c.verdict == Verdict.NOT_JUDGED) ? Verdict.NOT_JUDGED : Verdict.PASS;
    }
}
