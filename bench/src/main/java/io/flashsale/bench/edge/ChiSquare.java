package io.flashsale.bench.edge;

/**
 * Pearson's χ² test of independence on a 2×k table: did attempts on each of k fronts succeed in
 * the same proportion? Used to hold edges of very different load to one admission probability.
 * And the Cochran–Mantel–Haenszel χ² for two groups over strata (moments of a run): did they
 * succeed in the same proportion <em>at the same moment</em>? The probability moves with demand,
 * and a busy edge's demand is what moves it, so over a whole run a busy edge's attempts fall more
 * often in moments of low p than a steady quiet edge's do; only the stratified test asks whether
 * the two drew with the same p at each moment.
 * The statistic has k-1 degrees of freedom; its p-value is the regularized upper incomplete gamma
 * function Q((k-1)/2, χ²/2), computed here by its series and continued fraction (Numerical Recipes'
 * {@code gammq}), good to about 1e-10, far finer than the 0.001 the tests judge by.
 *
 * <p>Stateless; any thread.
 */
public final class ChiSquare
{
    private ChiSquare()
    {
    }

    /** The test's result: the statistic, its degrees of freedom and the p-value. */
    public record Result(double statistic, int degreesOfFreedom, double pValue)
    {
        @Override
        public String toString()
        {
            return String.format("χ² = %.3f, %d degree(s) of freedom, p = %.4g", statistic, degreesOfFreedom, pValue);
        }
    }

    /**
     * @param successes successes per group (admitted per edge)
     * @param trials    trials per group (attempts that reached each edge's draw), each at least 1
     */
    public static Result independence(final long[] successes, final long[] trials)
    {
        if (successes.length != trials.length || trials.length < 2)
        {
            throw new IllegalArgumentException("need successes and trials for two groups or more");
        }
        long allSuccesses = 0;
        long allTrials = 0;
        for (int i = 0; i < trials.length; i++)
        {
            if (trials[i] < 1 || successes[i] < 0 || successes[i] > trials[i])
            {
                throw new IllegalArgumentException("group " + i + ": " + successes[i] + " successes of " + trials[i] + " trials");
            }
            allSuccesses += successes[i];
            allTrials += trials[i];
        }
        final double rate = allSuccesses / (double)allTrials;
        if (rate == 0 || rate == 1)
        {
            // Every group all failures or all successes: identical proportions, nothing to test.
            return new Result(0, trials.length - 1, 1);
        }
        double statistic = 0;
        for (int i = 0; i < trials.length; i++)
        {
            final double expectedSuccesses = trials[i] * rate;
            final double expectedFailures = trials[i] * (1 - rate);
            statistic += square(successes[i] - expectedSuccesses) / expectedSuccesses
                + square(trials[i] - successes[i] - expectedFailures) / expectedFailures;
        }
        final int freedom = trials.length - 1;
        return new Result(statistic, freedom, upperTail(freedom, statistic));
    }

    /**
     * The Cochran–Mantel–Haenszel test (with continuity correction, 1 degree of freedom).
     *
     * @param strata one row per stratum: {successes of group A, trials of A, successes of B, trials of B};
     *               strata where either group has no trial, or everyone succeeded or everyone failed, carry no information and are skipped
     */
    public static Result mantelHaenszel(final long[][] strata)
    {
        double difference = 0;
        double variance = 0;
        for (final long[] stratum : strata)
        {
            final double a = stratum[0];
            final double aTrials = stratum[1];
            final double b = stratum[2];
            final double bTrials = stratum[3];
            final double n = aTrials + bTrials;
            final double successes = a + b;
            if (aTrials == 0 || bTrials == 0 || successes == 0 || successes == n)
            {
                continue;
            }
            difference += a - aTrials * successes / n;
            variance += aTrials * bTrials * successes * (n - successes) / (n * n * (n - 1));
        }
        if (variance == 0)
        {
            return new Result(0, 1, 1);
        }
        final double statistic = square(Math.max(0, Math.abs(difference) - 0.5)) / variance;
        return new Result(statistic, 1, upperTail(1, statistic));
    }

    /** P(X ≥ statistic) for X χ²-distributed with {@code freedom} degrees of freedom. */
    static double upperTail(final int freedom, final double statistic)
    {
        return statistic <= 0 ? 1 : regularizedUpperGamma(freedom / 2.0, statistic / 2.0);
    }

    private static double regularizedUpperGamma(final double a, final double x)
    {
        return x < a + 1 ? 1 - lowerSeries(a, x) : upperContinuedFraction(a, x);
    }

    private static double lowerSeries(final double a, final double x)
    {
        double term = 1 / a;
        double sum = term;
        for (int n = 1; n < 10_000 && Math.abs(term) > Math.abs(sum) * 1e-15; n++)
        {
            term *= x / (a + n);
            sum += term;
        }
        return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
    }

    private static double upperContinuedFraction(final double a, final double x)
    {
        final double tiny = 1e-300;
        double b = x + 1 - a;
        double c = 1 / tiny;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < 10_000; i++)
        {
            final double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            d = Math.abs(d) < tiny ? tiny : d;
            c = b + an / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1 / d;
            final double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < 1e-15)
            {
                break;
            }
        }
        return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
    }

    /** Lanczos' approximation (g = 7, 9 terms). */
    private static double logGamma(final double x)
    {
        final double[] coefficients = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
        final double z = x - 1;
        double sum = coefficients[0];
        for (int i = 1; i < coefficients.length; i++)
        {
            sum += coefficients[i] / (z + i);
        }
        final double t = z + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
    }

    private static double square(final double value)
    {
        return value * value;
    }
}
