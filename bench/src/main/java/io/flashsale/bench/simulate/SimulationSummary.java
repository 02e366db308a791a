package io.flashsale.bench.simulate;

import java.util.Map;

/**
 * The outcome of a simulated sale, in units unless a name says otherwise. {@code oversold} is
 * reserved plus paid units beyond the stock, from the engine's books; {@code acknowledgedPaidUnits}
 * is what the shoppers were told, counted from the replies they received. Both must agree with
 * the books for the run to pass.
 */
public record SimulationSummary(
    int shoppers,
    long stock,
    int perUserLimit,
    int threads,
    long unitsReserved,
    long unitsPaid,
    long unitsReturned,
    long unitsCancelled,
    long unitsExpired,
    long unitsStillReserved,
    long unitsAvailable,
    long shoppersServed,
    long shoppersPaid,
    long oversold,
    long acknowledgedPaidUnits,
    long commands,
    long busyRetries,
    long elapsedMillis,
    long commandsPerSecond,
    Map<String, Long> outcomes,
    boolean booksBalance)
{
    /** True when nothing was oversold and the replies agree with the engine's books. */
    public boolean passed()
    {
        return oversold == 0 && booksBalance && acknowledgedPaidUnits == unitsPaid;
    }

    public String toText()
    {
        final StringBuilder text = new StringBuilder();
        text.append(String.format("flash sale: %,d shoppers, stock %,d, per-user limit %d, %d producer threads%n",
            shoppers, stock, perUserLimit, threads));
        text.append(String.format("  units reserved (incl. later returned)%,12d%n", unitsReserved));
        text.append(String.format("  units paid                           %,12d%n", unitsPaid));
        text.append(String.format("  units returned (cancelled / expired) %,12d  (%,d / %,d)%n", unitsReturned, unitsCancelled, unitsExpired));
        text.append(String.format("  units still reserved / available     %,12d / %,d%n", unitsStillReserved, unitsAvailable));
        text.append(String.format("  shoppers served (reserved) / paid    %,12d / %,d%n", shoppersServed, shoppersPaid));
        text.append(String.format("  oversold                             %,12d%n", oversold));
        text.append(String.format("  commands                             %,12d in %,d ms (%,d commands/s, %,d busy retries)%n",
            commands, elapsedMillis, commandsPerSecond, busyRetries));
        text.append("  outcomes                             ").append(outcomes).append(System.lineSeparator());
        text.append(passed() ? "  PASS: books balance, nothing oversold" : "  FAIL: oversold or books do not balance");
        text.append(System.lineSeparator());
        return text.toString();
    }
}
