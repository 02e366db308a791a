package io.flashsale.bench.drill;

import io.flashsale.bench.scenario.Check;

/** What every drill's report answers: its verdict and the summary printed at the end. */
public interface DrillReport
{
    /** PASS when every check passed, FAIL when one failed, NOT_JUDGED when none failed but one could not be judged. */
    Check.Verdict verdict();

    String summary();
}
