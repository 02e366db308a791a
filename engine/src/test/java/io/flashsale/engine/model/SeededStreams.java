package io.flashsale.engine.model;

import io.flashsale.engine.command.CommandEvent;

import java.util.List;
import java.util.Random;

/**
 * Runs a property over many random command streams, one per seed, and names the seed of the
 * first stream that breaks it, so the failure replays exactly with {@link CommandStreams#sample}.
 * A failure inside a stream is reported by its command index, which is the shortest failing prefix
 * when the property checks after every command.
 */
public final class SeededStreams
{
    /** What a property does with one stream; {@code random} is seeded per stream for extra choices. */
    @FunctionalInterface
    public interface StreamProperty
    {
        void check(List<CommandEvent> stream, Random random) throws Exception;
    }

    private SeededStreams()
    {
    }

    /** Checks {@code property} on {@code streams} streams of up to {@code maxCommands} commands. */
    public static void forEach(final long firstSeed, final int streams, final int maxCommands, final StreamProperty property)
    {
        for (long seed = firstSeed; seed < firstSeed + streams; seed++)
        {
            final List<CommandEvent> stream = CommandStreams.sample(seed, maxCommands);
            try
            {
                property.check(stream, new Random(seed * 31 + 7));
            }
            catch (final Exception | AssertionError ex)
            {
                throw new AssertionError("property failed for seed " + seed + " (CommandStreams.sample(" + seed + ", " +
                    maxCommands + "), " + stream.size() + " commands): " + ex.getMessage(), ex);
            }
        }
    }
}
