package io.flashsale.engine;

import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.command.CommandType;
import io.flashsale.engine.model.CommandStreams;
import io.flashsale.engine.model.Commands;
import io.flashsale.engine.model.EngineFacts;
import io.flashsale.engine.model.ReferenceEngine;
import io.flashsale.engine.model.SeededStreams;
import io.flashsale.engine.sale.SaleViews;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Snapshots and replays keep the state exactly, and a restored engine carries on like the original. */
class SnapshotPropertiesTest
{
    @Test
    void snapshotThenRestoreKeepsTheStateHashAtEverySnapshotPoint()
    {
        SeededStreams.forEach(10_001, 1000, 150, (stream, random) -> restoresAtEverySnapshotPoint(stream));
    }

    private static void restoresAtEverySnapshotPoint(final List<CommandEvent> stream) throws IOException
    {
        final SaleEngine engine = new SaleEngine();
        for (final CommandEvent input : stream)
        {
            final CommandEvent command = Commands.copyOf(input);
            engine.apply(command);
            if (command.type == CommandType.SNAPSHOT)
            {
                assertRestoresExactly(engine);
            }
        }
        assertRestoresExactly(engine);
    }

    @Test
    void aCutKeepsTheStateOfItsMomentWhileTheEngineGoesOn()
    {
        SeededStreams.forEach(40_001, 300, 150, (stream, random) -> cutStaysAsItWas(stream, random.nextInt(101)));
    }

    private static void cutStaysAsItWas(final List<CommandEvent> stream, final int splitPercent) throws IOException
    {
        final int split = stream.size() * splitPercent / 100;
        final SaleEngine engine = new SaleEngine();
        for (final CommandEvent input : stream.subList(0, split))
        {
            engine.apply(Commands.copyOf(input));
        }
        final byte[] atTheCut = bytes(engine);
        final EngineSnapshot.Cut cut = EngineSnapshot.cut(engine);
        for (final CommandEvent input : stream.subList(split, stream.size()))
        {
            engine.apply(Commands.copyOf(input));
        }
        final ByteArrayOutputStream later = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(later))
        {
            EngineSnapshot.write(cut, out);
        }
        assertThat(later.toByteArray()).isEqualTo(atTheCut);
    }

    private static byte[] bytes(final SaleEngine engine) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes))
        {
            EngineSnapshot.write(engine, out);
        }
        return bytes.toByteArray();
    }

    @Test
    void restoredEngineAnswersTheRestOfTheStreamLikeTheOriginal()
    {
        SeededStreams.forEach(20_001, 1000, 150, (stream, random) -> continuesLikeTheOriginal(stream, random.nextInt(101)));
    }

    private static void continuesLikeTheOriginal(final List<CommandEvent> stream, final int splitPercent) throws IOException
    {
        final int split = stream.size() * splitPercent / 100;
        final SaleEngine original = new SaleEngine();
        for (final CommandEvent input : stream.subList(0, split))
        {
            original.apply(Commands.copyOf(input));
        }
        final SaleEngine restored = roundTrip(original, new SaleViews());

        for (int i = split; i < stream.size(); i++)
        {
            final CommandEvent first = Commands.copyOf(stream.get(i));
            final CommandEvent second = Commands.copyOf(stream.get(i));
            original.apply(first);
            restored.apply(second);
            assertThat(ReferenceEngine.Result.of(second)).as("command %d: %s", i, second).isEqualTo(ReferenceEngine.Result.of(first));
        }
        assertThat(EngineFacts.of(restored)).isEqualTo(EngineFacts.of(original));
        assertThat(EngineSnapshot.stateHash(restored)).isEqualTo(EngineSnapshot.stateHash(original));
    }

    @Test
    void replayingTheSameStreamIntoAFreshEngineGivesTheSameStateHash()
    {
        SeededStreams.forEach(30_001, 500, 150, (stream, random) -> replaysToTheSameHash(stream));
    }

    private static void replaysToTheSameHash(final List<CommandEvent> stream)
    {
        final SaleEngine first = new SaleEngine();
        final SaleEngine second = new SaleEngine(16, new SaleViews());
        for (final CommandEvent input : stream)
        {
            first.apply(Commands.copyOf(input));
            second.apply(Commands.copyOf(input));
        }
        assertThat(EngineSnapshot.stateHash(second)).isEqualTo(EngineSnapshot.stateHash(first));
        assertThat(EngineFacts.of(second)).isEqualTo(EngineFacts.of(first));
    }

    /**
     * A journal holds only the journaled commands; replaying them must rebuild the live engine's
     * state exactly, so the commands left out (queries, snapshots) must not change state.
     */
    @Test
    void replayingOnlyTheJournaledCommandsRebuildsTheSameState()
    {
        SeededStreams.forEach(40_001, 1000, 150, (stream, random) -> journaledCommandsRebuildTheState(stream));
    }

    private static void journaledCommandsRebuildTheState(final List<CommandEvent> stream)
    {
        final SaleEngine live = new SaleEngine();
        for (final CommandEvent input : stream)
        {
            live.apply(Commands.copyOf(input));
        }
        final SaleEngine replayed = new SaleEngine();
        for (final CommandEvent input : CommandStreams.journaledOnly(stream))
        {
            replayed.apply(Commands.copyOf(input));
        }
        assertThat(EngineFacts.of(replayed)).isEqualTo(EngineFacts.of(live));
        assertThat(EngineSnapshot.stateHash(replayed)).isEqualTo(EngineSnapshot.stateHash(live));
    }

    private static void assertRestoresExactly(final SaleEngine engine) throws IOException
    {
        final SaleEngine restored = roundTrip(engine, new SaleViews());
        assertThat(EngineSnapshot.stateHash(restored)).isEqualTo(EngineSnapshot.stateHash(engine));
        assertThat(EngineFacts.of(restored)).isEqualTo(EngineFacts.of(engine));
    }

    static SaleEngine roundTrip(final SaleEngine engine, final SaleViews views) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes))
        {
            EngineSnapshot.write(engine, out);
        }
        return EngineSnapshot.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), views);
    }
}
