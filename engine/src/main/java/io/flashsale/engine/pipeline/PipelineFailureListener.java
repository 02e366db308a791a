package io.flashsale.engine.pipeline;

import io.flashsale.engine.command.Outcome;

/**
 * Told when the pipeline can no longer keep its promises: a ring stage, the ticker or a helper
 * thread serving the ring threw (an engine bug, an {@link OutOfMemoryError}, a journal that cannot
 * write). By then the pipeline refuses new commands and answers every command in flight with the
 * failure's outcome. The rest is the process's business, outside the engine: stop reporting ready,
 * drain briefly, exit non-zero, and let a restart recover from the journal.
 *
 * <p>Called at most once per pipeline, on the thread that failed. Hand over and return: do not
 * block and allocate little, the cause may be an {@link OutOfMemoryError}.
 */
@FunctionalInterface
public interface PipelineFailureListener
{
    PipelineFailureListener NONE = (outcome, where, cause) -> { };

    /**
     * @param outcome {@link Outcome#JOURNAL_FAILED} when the journal could not record a command,
     *                {@link Outcome#ENGINE_ERROR} for anything else: what the commands in flight are answered
     * @param where   the stage or thread that failed ("journal stage", "business logic stage", "ticker", ...)
     * @param cause   what it threw
     */
    void pipelineFailed(Outcome outcome, String where, Throwable cause);
}
