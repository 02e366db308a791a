package io.flashsale.bench.scenario;

import io.flashsale.bench.load.LoadSettings;
import io.flashsale.bench.load.LoadStats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one scenario run produced: the load stats, the scenario's own facts (time to sell out,
 * shoppers served...), and the checks made afterwards. A run passes when every check passed and
 * the generator did not have to stop early.
 *
 * <p>Built by the scenario on the main thread, then read-only.
 */
public final class ScenarioResult
{
    private final String scenario;
    private final String target;
    private final String targetDescription;
    private final LoadSettings settings;
    private final LoadStats stats;
    private final Map<String, String> facts = new LinkedHashMap<>();
    private final List<Check> checks = new ArrayList<>();

    public ScenarioResult(final String scenario, final String target, final String targetDescription, final LoadSettings settings, final LoadStats stats)
    {
        this.scenario = scenario;
        this.target = target;
        this.targetDescription = targetDescription;
        this.settings = settings;
        this.stats = stats;
    }

    public ScenarioResult fact(final String name, final String value)
    {
        facts.put(name, value);
        return this;
    }

    public ScenarioResult check(final Check check)
    {
        checks.add(check);
        return this;
    }

    public boolean passed()
    {
        return stats.abortReason() == null && checks.stream().allMatch(Check::passed);
    }

    public String scenario()
    {
        return scenario;
    }

    public String target()
    {
        return target;
    }

    public String targetDescription()
    {
        return targetDescription;
    }

    public LoadSettings settings()
    {
        return settings;
    }

    public LoadStats stats()
    {
        return stats;
    }

    public Map<String, String> facts()
    {
        return facts;
    }

    public List<Check> checks()
    {
        return checks;
    }
}
