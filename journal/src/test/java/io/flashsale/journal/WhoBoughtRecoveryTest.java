package io.flashsale.journal;

import io.flashsale.engine.EngineSnapshot;
import io.flashsale.engine.SaleEngine;
import io.flashsale.engine.command.CommandEvent;
import io.flashsale.engine.model.Commands;
import io.flashsale.engine.model.EngineFacts;
import io.flashsale.engine.sale.SaleViews;
import io.flashsale.engine.shopper.ShopperSubjects;
import io.flashsale.journal.cli.JournalCli;
import io.flashsale.journal.snapshot.SnapshotStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who bought survives a restart: the shoppers' subjects the live engine kept come back from the
 * journal alone, from a snapshot plus the rest, and (unnamed) from a snapshot written before
 * subjects were kept, which `journal verify` still accepts.
 */
class WhoBoughtRecoveryTest
{
    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong(Harness.T0);

    private JournalConfig config()
    {
        return new JournalConfig(dir).snapshotEveryCommands(0).snapshotEverySeconds(0);
    }

    @Test
    void recoveryFromTheJournalNamesEveryShopperTheLiveEngineNamed()
    {
        final EngineFacts live;
        try (Harness harness = Harness.open(config(), clock))
        {
            new Workload(harness, 11).withSales(2, 40).run(400);
            harness.closeAndHash();
            live = EngineFacts.of(harness.durable.engine());
        }
        assertThat(live.subjects()).isNotEmpty();
        assertThat(live.subjects()).allSatisfy(named -> assertThat(named.subject()).isEqualTo(Workload.subjectOf(named.userId())));

        try (DurableEngine recovered = DurableEngine.open(config()))
        {
            assertThat(recovered.recovery().snapshot()).isNull();
            assertThat(EngineFacts.of(recovered.engine())).isEqualTo(live);
            assertThat(recovered.engine().namesEveryShopper()).isTrue();
        }
    }

    @Test
    void recoveryFromASnapshotAndTheRestNamesTheSameShoppers()
    {
        final EngineFacts live;
        try (Harness harness = Harness.open(config(), clock))
        {
            final Workload workload = new Workload(harness, 12).withSales(2, 40);
            workload.run(250);
            harness.snapshotAndWait();
            workload.run(250);
            harness.closeAndHash();
            live = EngineFacts.of(harness.durable.engine());
        }

        try (DurableEngine recovered = DurableEngine.open(config()))
        {
            assertThat(recovered.recovery().snapshot()).isNotNull();
            assertThat(EngineFacts.of(recovered.engine())).isEqualTo(live);
            final long firstOrderOfANamedShopper = firstOrderOfANamedShopper(recovered.engine());
            final CommandEvent inspect = Commands.inspectOrder(Long.MIN_VALUE, firstOrderOfANamedShopper);
            recovered.engine().apply(inspect);
            assertThat(inspect.resultSubject).isEqualTo(Workload.subjectOf(inspect.resultUserId)).isNotNull();
        }
    }

    @Test
    void aSnapshotFromBeforeSubjectsRestoresItsShoppersUnnamedAndVerifyStillAgrees() throws IOException
    {
        final long snapshotAt;
        final EngineFacts live;
        try (Harness harness = Harness.open(config(), clock))
        {
            final Workload workload = new Workload(harness, 13).withSales(2, 40);
            workload.run(250);
            harness.snapshotAndWait();
            snapshotAt = harness.durable.lastSnapshotSequence();
            workload.run(250);
            harness.closeAndHash();
            live = EngineFacts.of(harness.durable.engine());
        }
        rewriteAsFormatOne(snapshotAt);

        try (DurableEngine recovered = DurableEngine.open(config()))
        {
            final SaleEngine engine = recovered.engine();
            assertThat(recovered.recovery().snapshotSequence()).isEqualTo(snapshotAt);
            assertThat(engine.namesEveryShopper()).isFalse();
            final EngineFacts facts = EngineFacts.of(engine);
            assertThat(facts.orders()).isEqualTo(live.orders());
            assertThat(facts.sales()).isEqualTo(live.sales());
            // Named only by the purchases replayed after the snapshot, and named alike.
            assertThat(facts.subjects()).isNotEmpty().hasSizeLessThan(live.subjects().size());
            assertThat(live.subjects()).containsAll(facts.subjects());
        }

        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int exit = JournalCli.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
            .execute("verify", "--journal", dir.toString(), "--no-progress");
        assertThat(exit).as(out + "\n" + err).isZero();
        assertThat(out.toString()).contains("1 snapshot(s) match the replay");
    }

    private static long firstOrderOfANamedShopper(final SaleEngine engine)
    {
        for (long order = 1; order <= engine.orders().count(); order++)
        {
            if (Workload.subjectOf(engine.orders().userId(order)) != null)
            {
                return order;
            }
        }
        throw new AssertionError("no order of a named shopper");
    }

    /** Replaces the snapshot at {@code sequence} with the same state in format 1: version 1, nothing after the orders. */
    private void rewriteAsFormatOne(final long sequence) throws IOException
    {
        final SnapshotStore store = new SnapshotStore(dir.resolve("snapshots"));
        final List<SnapshotStore.SnapshotFile> files = store.list();
        assertThat(files).extracting(SnapshotStore.SnapshotFile::sequence).containsExactly(sequence);
        final SaleEngine engine = store.load(files.get(0), new SaleViews()).engine();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream data = new DataOutputStream(bytes))
        {
            EngineSnapshot.write(engine, data);
        }
        final ShopperSubjects.Frozen named = engine.subjects().freeze();
        assertThat(named.count()).isPositive();
        int subjectBytes = 1 + 4;
        for (int entry = 0; entry < named.count(); entry++)
        {
            subjectBytes += 8 + 2 + named.subject(entry).getBytes(StandardCharsets.UTF_8).length;
        }
        final byte[] formatOne = Arrays.copyOf(bytes.toByteArray(), bytes.size() - subjectBytes);
        formatOne[7] = 1;
        store.write(formatOne, formatOne.length, sequence, engine.now());
    }
}
