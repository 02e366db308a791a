package io.flashsale.bench.drill.overload;

import io.flashsale.bench.drill.overload.OverloadReport.MemoryPoint;
import io.flashsale.bench.scenario.Check;
import io.flashsale.bench.scenario.Check.Verdict;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The overload drill's memory verdicts: judged over enough samples, and said to be unjudged otherwise. */
class OverloadReportTest
{
    private static List<MemoryPoint> seconds(final int count, final long heapFirst, final long heapLast)
    {
        return IntStream.range(0, count)
            .mapToObj(i -> new MemoryPoint(i, 300, 200, 100, i < count / 2 ? heapFirst : heapLast, 1024, i))
            .toList();
    }

    private static List<Check> memoryChecks(final List<MemoryPoint> memory)
    {
        final List<Check> checks = new ArrayList<>();
        OverloadReport.memoryChecks(memory, checks);
        return checks;
    }

    @Test
    void tooFewSamplesAreNotJudgedAndNotAPass()
    {
        final List<Check> checks = memoryChecks(seconds(5, 50, 50));

        assertThat(checks).extracting(Check::verdict).containsExactly(Verdict.NOT_JUDGED, Verdict.NOT_JUDGED);
        assertThat(checks).noneMatch(Check::passed);
        assertThat(checks.get(0).detail()).contains("only 5 memory samples");
        assertThat(Check.overall(checks)).isEqualTo(Verdict.NOT_JUDGED);
    }

    @Test
    void aFlatHeapOverEnoughSamplesPasses()
    {
        final List<Check> checks = memoryChecks(seconds(30, 50, 60));

        assertThat(checks).extracting(Check::verdict).containsExactly(Verdict.PASS, Verdict.PASS);
        assertThat(Check.overall(checks)).isEqualTo(Verdict.PASS);
    }

    @Test
    void aGrowingHeapFails()
    {
        final List<Check> checks = memoryChecks(seconds(30, 50, 400));

        assertThat(checks.get(0).name()).startsWith("heap flat");
        assertThat(checks.get(0).verdict()).isEqualTo(Verdict.FAIL);
        assertThat(Check.overall(checks)).isEqualTo(Verdict.FAIL);
    }
}
