package io.flashsale.bench.drill.overload;

import java.nio.file.Path;
import java.util.List;

/**
 * How an overload drill runs: the multiple of the measured capacity offered, for how long, over how
 * many connections; how capacity is measured; the contested sale (stock, or 0 for a tenth of a second of
 * capacity; what shoppers do after reserving); the verdict thresholds; the server's JVM options;
 * and the drill's folder.
 *
 * @param maxP99Millis         every purchase must be answered within this at the 99th percentile
 * @param maxAdmittedP99Millis purchases the engine reserved, at the 99th percentile
 * @param serverCpus           CPUs the server runs on (taskset list), or blank for any
 * @param generatorCpus        CPUs the generator (this JVM) runs on, or blank for any
 */
public record OverloadSettings(
    double multiple,
    int seconds,
    int connections,
    int threads,
    int warmupSeconds,
    int measureSeconds,
    int shoppers,
    long stock,
    double pay,
    double cancel,
    int paymentWindowSeconds,
    double maxP99Millis,
    double maxAdmittedP99Millis,
    int ioThreads,
    String serverCpus,
    String generatorCpus,
    long seed,
    List<String> jvmOptions,
    Path folder)
{
    public OverloadSettings
    {
        if (!(multiple >= 1 && multiple <= 100))
        {
            throw new IllegalArgumentException("--multiple must be between 1 and 100, was " + multiple);
        }
        if (seconds < 1 || seconds > 3600 || measureSeconds < 1 || measureSeconds > 600 || warmupSeconds < 0)
        {
            throw new IllegalArgumentException("--seconds must be 1..3600 and --measure-seconds 1..600");
        }
        if (pay < 0 || cancel < 0 || pay + cancel > 1)
        {
            throw new IllegalArgumentException("--pay and --cancel are shares that add up to at most 1");
        }
    }

    String describe()
    {
        return String.format("%.2f x capacity for %d s over %d connections; capacity measured closed loop for %d s after %d s of warm-up; "
                + "%,d shoppers; after reserving %.0f%% pay, %.0f%% cancel, the rest walk away (window %d s); CPUs: server %s, generator %s",
            multiple, seconds, connections, measureSeconds, warmupSeconds, shoppers, pay * 100, cancel * 100, paymentWindowSeconds,
            serverCpus == null || serverCpus.isBlank() ? "any" : serverCpus, generatorCpus == null || generatorCpus.isBlank() ? "any" : generatorCpus);
    }
}
