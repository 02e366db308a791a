package io.flashsale.engine.pipeline;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.Outcome;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A SIGBUS in Chronicle's memory-mapped write (a full file system) reaches the ring as the JVM's
 * InternalError, raised wherever the journal thread happens to be: it is the journal's failure,
 * answered JOURNAL_FAILED, not an engine error.
 */
class MappedWriteFaultTest
{
    /** The message HotSpot gives the error it raises after a fault in an unsafe (mapped) access. */
    private static final String SIGBUS_MESSAGE = "a fault occurred in a recent unsafe memory access operation in compiled Java code";

    private final List<Outcome> told = new ArrayList<>();
    private final StageFailures failures = new StageFailures((outcome, where, cause) -> told.add(outcome), () -> { });

    @Test
    void aFaultInAMappedWriteThatEscapesTheJournalStageIsTheJournalsFailure()
    {
        final CommandEvent event = new CommandEvent();
        failures.handleEventException(new InternalError(SIGBUS_MESSAGE), 12, event);

        assertThat(told).containsExactly(Outcome.JOURNAL_FAILED);
        assertThat(failures.outcome()).isEqualTo(Outcome.JOURNAL_FAILED);
        assertThat(event.journalFailed).isTrue();
    }

    @Test
    void anyOtherErrorIsStillAnEngineError()
    {
        final CommandEvent event = new CommandEvent();
        failures.handleEventException(new InternalError("something else"), 12, event);

        assertThat(told).containsExactly(Outcome.ENGINE_ERROR);
        assertThat(event.outcome).isEqualTo(Outcome.ENGINE_ERROR);
        assertThat(event.journalFailed).isFalse();
    }
}
