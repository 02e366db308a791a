package io.flashsale.engine.pipeline;

import io.flashsale.engine.command.Outcome;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A failure listener that keeps every call, for tests to check it was told once and what. Any thread. */
final class FailureRecorder implements PipelineFailureListener
{
    record Failure(Outcome outcome, String where, Throwable cause, String thread)
    {
    }

    private final List<Failure> failures = new CopyOnWriteArrayList<>();

    @Override
    public void pipelineFailed(final Outcome outcome, final String where, final Throwable cause)
    {
        failures.add(new Failure(outcome, where, cause, Thread.currentThread().getName()));
    }

    List<Failure> failures()
    {
        return List.copyOf(failures);
    }

    Failure only()
    {
        if (failures.size() != 1)
        {
            throw new AssertionError("expected one failure, got " + failures);
        }
        return failures.get(0);
    }
}
