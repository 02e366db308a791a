package io.flashsale.bench.simulate;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flashsale.engine.pipeline.WaitStrategyKind;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code flashsale simulate}: an in-process flash sale on the real engine and ring. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
        "Runs an in-process flash sale on the real engine and Disruptor ring: producer threads race",
        "every shopper's purchase into the ring; shoppers holding a reservation pay, cancel or walk",
        "away (their payment window expires); sold-out shoppers try again. Prints what was sold,",
        "paid and returned, whether anything was oversold (never), and commands per second.",
        "Exit code 0 when the books balance, 1 when they do not."})
public final class SimulateCommand implements Callable<Integer>
{
    @Option(names = "--shoppers", defaultValue = "200000", description = "Distinct shoppers in the crowd (default ${DEFAULT-VALUE}).")
    int shoppers;

    @Option(names = "--stock", defaultValue = "1000", description = "Units on sale (default ${DEFAULT-VALUE}).")
    long stock;

    @Option(names = "--per-user-limit", defaultValue = "2", description = "Units one shopper may hold (default ${DEFAULT-VALUE}).")
    int perUserLimit;

    @Option(names = "--threads", defaultValue = "4", description = "Producer threads racing into the ring (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--pay", defaultValue = "0.6", description = "Share of reservations that are paid (default ${DEFAULT-VALUE}).")
    double pay;

    @Option(names = "--cancel", defaultValue = "0.2", description = "Share of reservations that are cancelled; the rest expire (default ${DEFAULT-VALUE}).")
    double cancel;

    @Option(names = "--payment-window-ms", defaultValue = "200", description = "Payment window of a reservation (default ${DEFAULT-VALUE}).")
    long paymentWindowMillis;

    @Option(names = "--retries", defaultValue = "2", description = "How often a sold-out shopper tries again (default ${DEFAULT-VALUE}).")
    int retries;

    @Option(names = "--ring-size", defaultValue = "16384", description = "Ring slots, a power of two (default ${DEFAULT-VALUE}).")
    int ringSize;

    @Option(names = "--wait-strategy", defaultValue = "PARKING", description = "Ring wait strategy: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    WaitStrategyKind waitStrategy;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the crowd's choices (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print the summary as one JSON object.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception
    {
        final SimulationSettings settings;
        try
        {
            settings = new SimulationSettings(shoppers, stock, perUserLimit, threads, pay, cancel,
                paymentWindowMillis, retries, ringSize, waitStrategy, seed);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage());
        }
        final SimulationSummary summary = new FlashSaleSimulation(settings).run();
        if (json)
        {
            spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(summary));
        }
        else
        {
            spec.commandLine().getOut().print(summary.toText());
        }
        spec.commandLine().getOut().flush();
        return summary.passed() ? 0 : 1;
    }

    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new SimulateCommand()).execute(args));
    }
}
