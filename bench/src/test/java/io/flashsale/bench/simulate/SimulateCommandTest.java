package io.flashsale.bench.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flashsale.engine.pipeline.WaitStrategyKind;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-process sale: the real engine and ring, a racing crowd, books that must balance. */
class SimulateCommandTest
{
    @Test
    void aCrowdRacingForFewUnitsNeverOversellsAndTheRepliesMatchTheBooks() throws Exception
    {
        final SimulationSummary summary = new FlashSaleSimulation(new SimulationSettings(
            20_000, 200, 2, 4, 0.5, 0.25, 50, 2, 1 << 10, WaitStrategyKind.SLEEPING, 7)).run();

        assertThat(summary.passed()).as(summary.toText()).isTrue();
        assertThat(summary.oversold()).isZero();
        assertThat(summary.unitsPaid()).isPositive().isLessThanOrEqualTo(200);
        assertThat(summary.acknowledgedPaidUnits()).isEqualTo(summary.unitsPaid());
        // Every walked-away reservation has expired by the time the books are read.
        assertThat(summary.unitsStillReserved()).isZero();
        assertThat(summary.unitsPaid() + summary.unitsAvailable()).isEqualTo(200);
        assertThat(summary.unitsExpired()).isPositive();
        assertThat(summary.unitsCancelled()).isPositive();
        assertThat(summary.shoppersServed()).isPositive();
        assertThat(summary.outcomes()).containsKeys("RESERVED", "PAID", "CANCELLED", "SOLD_OUT");
        assertThat(summary.commands()).isGreaterThanOrEqualTo(20_000);
    }

    @Test
    void jsonPrintsTheSameSummaryAsOneObject() throws Exception
    {
        final StringWriter out = new StringWriter();
        final CommandLine command = new CommandLine(new SimulateCommand()).setOut(new PrintWriter(out));
        final int exit = command.execute("--shoppers", "3000", "--stock", "50", "--threads", "2",
            "--payment-window-ms", "30", "--json");

        assertThat(exit).as(out.toString()).isZero();
        final JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("shoppers").asInt()).isEqualTo(3000);
        assertThat(json.get("stock").asLong()).isEqualTo(50);
        assertThat(json.get("oversold").asLong()).isZero();
        assertThat(json.get("booksBalance").asBoolean()).isTrue();
        assertThat(json.get("unitsPaid").asLong()).isLessThanOrEqualTo(50);
        assertThat(json.get("commandsPerSecond").asLong()).isPositive();
    }

    @Test
    void impossibleSettingsAreAUsageError()
    {
        final StringWriter err = new StringWriter();
        final CommandLine command = new CommandLine(new SimulateCommand()).setErr(new PrintWriter(err));
        assertThat(command.execute("--pay", "0.9", "--cancel", "0.5")).isEqualTo(2);
        assertThat(err.toString()).contains("--pay and --cancel");
        assertThat(command.execute("--ring-size", "1000")).isEqualTo(2);
    }
}
