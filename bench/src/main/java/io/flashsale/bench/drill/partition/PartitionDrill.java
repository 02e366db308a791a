package io.flashsale.bench.drill.partition;

import com.fasterxml.jackson.databind.JsonNode;
import io.flashsale.bench.drill.DrillHttp;
import io.flashsale.bench.drill.DrillReports;
import io.flashsale.bench.drill.diskfull.PhaseTally;
import io.flashsale.bench.drill.diskfull.PurchaseLoad;
import io.flashsale.bench.drill.replica.ReplicaSteps;
import io.flashsale.bench.scenario.AdminClient;
import io.flashsale.bench.scenario.Check;
import io.flashsale.bench.scenario.Crowd;
import io.flashsale.bench.system.Secrets;
import io.flashsale.bench.system.ServerProcess;
import io.flashsale.http.config.ServerConfig;
import io.flashsale.journal.replication.EpochHistory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.flashsale.bench.drill.replica.ReplicaSteps.millisSince;

/**
 * {@code flashsale drill partition}: a sync primary (set to stall when it loses its standby) and
 * its hot standby, each a child JVM in a network namespace of its own ({@link PartitionNetwork}),
 * replicating over a veth pair while the drill's purchase clients reach both from the root
 * namespace. Under purchase load the replication path is first impaired (netem delay and loss:
 * still acknowledged), then cut (netem loss 100%). The primary must stall (503
 * replication-stalled) instead of acknowledging alone; the standby is promoted and sells; the path
 * is healed and the old primary, still stalled, acknowledges nothing; it is then stopped and
 * restarted as the new primary's standby: the code has no step-down of its own, and its tail
 * that was never acknowledged goes to {@code quarantine/}. Then every 201 any client got is looked
 * up on the new primary, {@code journal verify} runs on both journals, and both journals must
 * hold the same records, byte for byte, through the last acknowledged sequence.
 *
 * <p>Main thread; the load runs on its own client threads.
 */
public final class PartitionDrill
{
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final Duration ANSWER_BOUND = Duration.ofSeconds(15);
    /** How long a client waits after a 503 (a stalled primary refuses at once): honest clients back off. */
    private static final long PAUSE_AFTER_503_MILLIS = 50;
    private static final int PRIMARY_LINK_PORT = 20_001;
    private static final int STANDBY_LINK_PORT = 20_002;
    private static final Pattern SET_ASIDE = Pattern.compile("set aside sequences (\\d+)\\.\\.(\\d+)");

    private final PartitionSettings settings;
    private final PrintStream out;
    private final byte[] secret = Secrets.random();
    private final ServerProcess.Place primaryPlace = new ServerProcess.Place(PartitionNetwork.PRIMARY_NAMESPACE, PartitionNetwork.PRIMARY_HTTP);
    private final ServerProcess.Place standbyPlace = new ServerProcess.Place(PartitionNetwork.STANDBY_NAMESPACE, PartitionNetwork.STANDBY_HTTP);
    private final String primaryLink = PartitionNetwork.PRIMARY_LINK + ":" + PRIMARY_LINK_PORT;
    private final String standbyLink = PartitionNetwork.STANDBY_LINK + ":" + STANDBY_LINK_PORT;
    private final List<Check> checks = new ArrayList<>();
    private final Map<String, Map<String, Long>> answers = new LinkedHashMap<>();

    public PartitionDrill(final PartitionSettings settings, final PrintStream out)
    {
        this.settings = settings;
        this.out = out;
    }

    public PartitionReport run() throws Exception
    {
        Files.createDirectories(settings.folder());
        out.println("flashsale drill partition: " + settings.describe());
        final Path primaryJournal = settings.folder().resolve("primary-journal");
        final Path standbyJournal = settings.folder().resolve("standby-journal");
        final List<PurchaseLoad.Ack> acknowledged = new ArrayList<>();
        final Partition partition;
        final long lost;
        final long lastAcknowledged;
        final String rejoin;
        try (PartitionNetwork net = PartitionNetwork.create())
        {
            out.println("  namespaces " + PartitionNetwork.PRIMARY_NAMESPACE + " (primary, " + primaryLink + ") and "
                + PartitionNetwork.STANDBY_NAMESPACE + " (standby, " + standbyLink + ") joined by a veth pair");
            try (ServerProcess primary = ReplicaSteps.ready(ServerProcess.launchAt(primaryPlace, "serve", config(primaryJournal, primaryLink, null),
                     secret, settings.jvmOptions(), settings.folder(), "primary"), PATIENCE);
                 ServerProcess standby = ReplicaSteps.ready(ServerProcess.launchAt(standbyPlace, "standby",
                     config(standbyJournal, standbyLink, primaryLink), secret, settings.jvmOptions(), settings.folder(), "standby"), PATIENCE))
            {
                final DrillHttp primaryHttp = new DrillHttp(primary.base());
                final DrillHttp standbyHttp = new DrillHttp(standby.base());
                out.printf("  standby in sync %,d ms after it was ready%n", ReplicaSteps.awaitInSync(primaryHttp, PATIENCE));
                final Instant now = Instant.now();
                final long sale = new AdminClient(primary.host(), primary.port(), secret).createSale(new AdminClient.SaleTerms("partition drill",
                    100_000_000, now.minusSeconds(1), now.plus(Duration.ofHours(2)), 1, 3_600));

                partition = partitionUnderLoad(net, primary, primaryHttp, standby, standbyHttp, sale);
                acknowledged.addAll(partition.acknowledged);
                final AdminClient newPrimary = new AdminClient(standby.host(), standby.port(), secret);
                lastAcknowledged = ReplicaSteps.replication(standbyHttp).path("journalSequence").asLong();
                // Looked up before the rejoin: a sync primary whose rejoined standby is stopped again stalls, reads through the ring too.
                lost = ReplicaSteps.lostOrders(newPrimary, acknowledged, out);
                checks.add(Check.of("every acknowledged order is on the new primary (same id, RESERVED, same shopper)",
                    !acknowledged.isEmpty() && lost == 0, String.format("%,d acknowledged, %,d lost", acknowledged.size(), lost)));
                partition.afterCutNotOnStandby = ReplicaSteps.lostOrders(newPrimary, partition.afterCut, new PrintStream(OutputStream.nullOutputStream()));
                checks.add(Check.of("every acknowledgement the old primary gave after the cut is on the standby", partition.afterCutNotOnStandby == 0,
                    String.format("%,d answered after the cut began, %,d of them not on the standby", partition.afterCut.size(),
                        partition.afterCutNotOnStandby)));

                // The code has no step-down: a stalled old primary stays up, refusing, until it is stopped and restarted as a standby.
                primary.close();
                // Its tail: everything it journaled past the standby's last record at the promotion, purchases and ticks alike.
                partition.tailExpected = JournalAgreement.lastSequence(primaryJournal) - partition.keptThrough;
                rejoin = ReplicaSteps.rejoin(primaryJournal, start -> ServerProcess.launchAt(primaryPlace, "standby",
                    config(primaryJournal, primaryLink, standbyLink), secret, settings.jvmOptions(), settings.folder(),
                    "old-primary-standby-" + start), standbyHttp, PATIENCE);
                checks.add(Check.of("the old primary rejoins as the new primary's standby", rejoin.startsWith("yes"), rejoin));

            }
        }
        final long quarantined = quarantined();
        if (rejoin.startsWith("yes"))
        {
            checks.add(Check.of("the old primary's unacknowledged tail is set aside in quarantine/, exactly", quarantined == partition.tailExpected,
                String.format("%,d record(s) set aside; it had journaled %,d past sequence %,d, the standby's last at the promotion",
                    quarantined, partition.tailExpected, partition.keptThrough)));
        }
        checks.add(ReplicaSteps.verify(standbyJournal, settings.folder(), "new-primary"));
        checks.add(ReplicaSteps.verify(primaryJournal, settings.folder(), "old-primary"));
        // Through the shorter journal's end (the rejoined old primary stops first, a few ticks behind): it must reach the last acknowledgement.
        final long through = Math.min(JournalAgreement.lastSequence(standbyJournal), JournalAgreement.lastSequence(primaryJournal));
        final JournalAgreement agreement = JournalAgreement.compare(standbyJournal, primaryJournal, through);
        final boolean sameEpochs = sameEpochs(standbyJournal, primaryJournal);
        final String agreed = agreement.agrees() ? String.format("records 1..%,d identical", through)
            : String.format("%,d records identical, then %s", agreement.compared(), agreement.firstDifference());
        checks.add(Check.of("both journals hold the same records through the last acknowledged sequence " + lastAcknowledged,
            lastAcknowledged > 0 && through >= lastAcknowledged && agreement.agrees(), agreed));
        checks.add(Check.of("both journals hold the same epoch history", sameEpochs, sameEpochs ? "epochs files equal" : "epochs files differ"));

        final PartitionReport report = new PartitionReport(settings.describe(), answers, acknowledged.size(), lost, partition.afterCut.size(),
            partition.afterCutNotOnStandby, partition.sentAfterStall, partition.cutToStallMillis, partition.promotion,
            partition.promotedToAcceptedMillis, rejoin, partition.tailExpected, quarantined, lastAcknowledged, agreed, List.copyOf(checks));
        DrillReports.write(settings.folder().resolve("report.json"), report);
        return report;
    }

    /** What happened between the first purchase and the rejoin. */
    private static final class Partition
    {
        final List<PurchaseLoad.Ack> acknowledged = new ArrayList<>();
        List<PurchaseLoad.Ack> afterCut = List.of();
        long afterCutNotOnStandby;
        long sentAfterStall;
        long cutToStallMillis = -1;
        String promotion = "not tried";
        long promotedToAcceptedMillis = -1;
        /** The new epoch's first sequence, less one: what the old primary keeps. */
        long keptThrough;
        long tailExpected;
    }

    private Partition partitionUnderLoad(final PartitionNetwork net, final ServerProcess primary, final DrillHttp primaryHttp,
        final ServerProcess standby, final DrillHttp standbyHttp, final long sale) throws Exception
    {
        final Partition partition = new Partition();
        final PurchaseLoad onPrimary = new PurchaseLoad(primary.base(), sale, secret, ANSWER_BOUND, "partition-a", PAUSE_AFTER_503_MILLIS);
        onPrimary.phase(LinkPhase.WHOLE);
        onPrimary.start(settings.clients());
        ReplicaSteps.awaitFirstAck(onPrimary, PATIENCE);
        Thread.sleep(settings.wholeMillis());
        if (settings.impairedMillis() > 0)
        {
            net.impair(settings.delayMillis(), settings.lossPercent());
            onPrimary.phase(LinkPhase.IMPAIRED);
            out.println("  replication path: " + net.linkState());
            Thread.sleep(settings.impairedMillis());
            final long impairedAcks = onPrimary.tally(LinkPhase.IMPAIRED).count(PhaseTally.RESERVED);
            checks.add(Check.of("sync replication acknowledges through " + net.linkState(), impairedAcks > 0,
                String.format("%,d purchases acknowledged; answers %s", impairedAcks, onPrimary.tally(LinkPhase.IMPAIRED).answers())));
        }

        final long cut = System.nanoTime();
        onPrimary.phase(LinkPhase.CUT);
        net.cut();
        out.println("  replication path: " + net.linkState());
        final long stalled = awaitStalled(primaryHttp);
        partition.cutToStallMillis = stalled < 0 ? -1 : (stalled - cut) / 1_000_000;
        Thread.sleep(settings.cutMillis());
        onPrimary.stop();
        final JsonNode oldPrimary = ReplicaSteps.replication(primaryHttp);
        out.println("  old primary after the cut: " + oldPrimary);
        final long stalledRefusals = stalledRefusals(onPrimary.tally(LinkPhase.CUT));
        checks.add(Check.of("the cut-off primary stalls: readiness says stalled, purchases get 503 replication-stalled", stalled >= 0
            && stalledRefusals > 0, (stalled >= 0 ? "stalled " + partition.cutToStallMillis + " ms after the cut" : "never said stalled")
            + "; answers after the cut " + onPrimary.tally(LinkPhase.CUT).answers()));
        partition.acknowledged.addAll(onPrimary.acknowledged());
        partition.afterCut = onPrimary.acknowledged().stream().filter(ack -> ack.answeredNanos() >= cut).toList();
        partition.sentAfterStall = stalled < 0 ? 0 : onPrimary.acknowledged().stream().filter(ack -> ack.sentNanos() > stalled).count();
        checks.add(Check.of("the cut-off primary acknowledges nothing once stalled", stalled >= 0 && partition.sentAfterStall == 0,
            String.format("%,d acknowledgements to purchases sent after it said stalled", partition.sentAfterStall)));

        final long standbyHas = ReplicaSteps.replication(standbyHttp).path("journalSequence").asLong();
        final DrillHttp.Reply promoted = standbyHttp.send("POST", "/admin/replication/promote", Crowd.adminAuthorization(secret), null);
        final long promotedAt = System.nanoTime();
        partition.promotion = promoted.status() + " " + promoted.body().trim();
        partition.keptThrough = promoted.status() == 200 ? promoted.json().path("firstSequence").asLong(standbyHas + 1) - 1 : standbyHas;
        checks.add(Check.of("the standby is promoted by the admin route", promoted.status() == 200, partition.promotion));
        final PurchaseLoad onNewPrimary = new PurchaseLoad(standby.base(), sale, secret, ANSWER_BOUND, "partition-b", PAUSE_AFTER_503_MILLIS);
        onNewPrimary.phase(LinkPhase.PROMOTED);
        onNewPrimary.start(settings.clients());
        Thread.sleep(settings.promotedMillis());
        onNewPrimary.stop();
        partition.acknowledged.addAll(onNewPrimary.acknowledged());
        final OptionalLong firstAccepted = onNewPrimary.acknowledged().stream().mapToLong(PurchaseLoad.Ack::answeredNanos).min();
        partition.promotedToAcceptedMillis = firstAccepted.isPresent() ? (firstAccepted.getAsLong() - promotedAt) / 1_000_000 : -1;
        checks.add(Check.of("the promoted standby accepts purchases", !onNewPrimary.acknowledged().isEmpty(),
            String.format("%,d acknowledged; answers %s", onNewPrimary.acknowledged().size(), onNewPrimary.tally(LinkPhase.PROMOTED).answers())));

        net.heal();
        out.println("  replication path: " + net.linkState());
        // Longer than a peer timeout: whatever the healed path could bring back to the old primary has come.
        final PurchaseLoad onHealed = new PurchaseLoad(primary.base(), sale, secret, ANSWER_BOUND, "partition-healed", PAUSE_AFTER_503_MILLIS);
        onHealed.phase(LinkPhase.HEALED);
        Thread.sleep(1_500);
        onHealed.start(Math.min(2, settings.clients()));
        Thread.sleep(1_000);
        onHealed.stop();
        partition.acknowledged.addAll(onHealed.acknowledged());
        checks.add(Check.of("healed, the old primary still acknowledges nothing (no step-down, no second primary)",
            onHealed.acknowledged().isEmpty() && stalledRefusals(onHealed.tally(LinkPhase.HEALED)) > 0,
            "answers " + onHealed.tally(LinkPhase.HEALED).answers()));

        tally(LinkPhase.WHOLE, onPrimary);
        tally(LinkPhase.IMPAIRED, onPrimary);
        tally(LinkPhase.CUT, onPrimary);
        tally(LinkPhase.PROMOTED, onNewPrimary);
        tally(LinkPhase.HEALED, onHealed);
        return partition;
    }

    /** Polls the primary's readiness until it says stalled; the System.nanoTime of that answer, or -1. */
    private static long awaitStalled(final DrillHttp primary) throws Exception
    {
        final long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline)
        {
            if (ReplicaSteps.replication(primary).path("stalled").asBoolean())
            {
                return System.nanoTime();
            }
            Thread.sleep(20);
        }
        return -1;
    }

    private static long stalledRefusals(final PhaseTally tally)
    {
        return tally.answers().entrySet().stream().filter(kind -> kind.getKey().startsWith("503") && kind.getKey().contains("STALLED"))
            .mapToLong(Map.Entry::getValue).sum();
    }

    private void tally(final LinkPhase phase, final PurchaseLoad load)
    {
        final PhaseTally tally = load.tally(phase);
        final Map<String, Long> kinds = new LinkedHashMap<>(tally.answers());
        if (tally.unanswered() > 0)
        {
            kinds.put("unanswered", tally.unanswered());
        }
        if (!kinds.isEmpty())
        {
            answers.put(phase.name(), kinds);
        }
    }

    private ServerConfig config(final Path journal, final String link, final String primary)
    {
        final ServerConfig config = new ServerConfig();
        config.server.ioThreads = 2;
        config.journal.directory = journal.toString();
        // The whole crowd comes from one address: a per-IP bucket would only measure itself.
        config.limits.enabled = false;
        config.replication.link = link;
        config.replication.mode = "sync";
        config.replication.onStandbyLost = "stall";
        config.replication.primary = primary;
        return config;
    }

    /** Records the rejoined old primary set aside, from its log's quarantine line. */
    private long quarantined() throws IOException
    {
        long records = 0;
        try (Stream<Path> files = Files.list(settings.folder()))
        {
            for (final Path log : files.filter(f -> f.getFileName().toString().matches("old-primary-standby-\\d+\\.log")).toList())
            {
                final Matcher setAside = SET_ASIDE.matcher(Files.readString(log, StandardCharsets.UTF_8));
                while (setAside.find())
                {
                    records += Long.parseLong(setAside.group(2)) - Long.parseLong(setAside.group(1)) + 1;
                }
            }
        }
        return records;
    }

    private static boolean sameEpochs(final Path a, final Path b) throws IOException
    {
        final Path fileA = a.resolve(EpochHistory.FILE_NAME);
        final Path fileB = b.resolve(EpochHistory.FILE_NAME);
        return Files.exists(fileA) && Files.exists(fileB) && Arrays.equals(Files.readAllBytes(fileA), Files.readAllBytes(fileB));
    }
}
