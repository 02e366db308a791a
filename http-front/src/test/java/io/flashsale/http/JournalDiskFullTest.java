package io.flashsale.http;

import io.flashsale.engine.command.Outcome;
import io.flashsale.engine.pipeline.CommandPipeline;
import io.flashsale.journal.space.DiskFiller;
import io.flashsale.journal.space.TmpfsMount;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The journal on a real, small file system (a tmpfs, mounted as root; skipped where mounting is
 * not permitted) that another writer fills. With the free-space guard the server refuses
 * state-changing commands before the disk is full and comes back by itself; without it a journal
 * write that fails answers every command in flight with JOURNAL_FAILED, and no acknowledged order
 * is lost.
 */
class JournalDiskFullTest
{
    private static final long FILE_SYSTEM_BYTES = 32L << 20;
    private static final long MIN_FREE_BYTES = 8L << 20;

    @TempDir
    Path dir;

    private TmpfsMount mount;
    private Path filler;

    @BeforeEach
    void mountSmallFileSystem() throws Exception
    {
        try
        {
            mount = TmpfsMount.mount(dir.resolve("fs"), FILE_SYSTEM_BYTES);
        }
        catch (final TmpfsMount.MountRefused refused)
        {
            assumeTrue(false, refused.getMessage());
        }
        filler = mount.directory().resolve("filler");
    }

    @AfterEach
    void unmount() throws Exception
    {
        if (mount != null)
        {
            mount.close();
        }
    }

    @Test
    void aNearlyFullDiskRefusesStateChangesWithJournalFullKeepsReadsAndResumesWhenThereIsRoom() throws Exception
    {
        try (TestServer s = new TestServer(config -> {
            config.journal.directory = mount.directory().resolve("data").toString();
            config.journal.minFreeBytes = MIN_FREE_BYTES;
        }, new ServerEnvironment()))
        {
            final long sale = s.createSale(100, 0, 1, 600);
            final TestServer.Response bought = s.purchase(sale, "before", 1);
            assertThat(bought.status()).as(bought.body()).isEqualTo(201);
            final long order = bought.json().get("orderId").asLong();

            DiskFiller.fill(filler, MIN_FREE_BYTES / 2);
            final TestServer.Response notReady = await(() -> s.get("/health/ready", null), 503);
            notReady.problem(503, "JOURNAL_FULL");
            assertThat(notReady.json().get("detail").asText()).contains("bytes free", "journal.minFreeBytes " + MIN_FREE_BYTES);
            assertThat(s.server.isReady()).isFalse();

            final TestServer.Response refused = s.purchase(sale, "during", 1).problem(503, "JOURNAL_FULL");
            assertThat(refused.header("Retry-After")).isNotNull();
            s.post("/api/orders/" + order + "/pay", s.shopper("before"), "{\"paymentRef\":\"pay-1\"}").problem(503, "JOURNAL_FULL");
            s.post("/api/orders/" + order + "/cancel", s.shopper("before"), "{}").problem(503, "JOURNAL_FULL");
            s.post("/admin/sales", s.admin, "{\"name\":\"More\",\"stock\":5,\"startsAt\":\"2030-01-01T13:00:00Z\"," +
                "\"endsAt\":\"2030-01-01T14:00:00Z\",\"perUserLimit\":1,\"paymentWindowSeconds\":60}").problem(503, "JOURNAL_FULL");

            assertThat(s.get("/api/sales/" + sale, null).status()).isEqualTo(200);
            assertThat(s.get("/api/orders/" + order, s.shopper("before")).json().get("state").asText()).isEqualTo("RESERVED");
            assertThat(s.adminSale(sale).get("reserved").asLong()).as("nothing refused reached the ring").isEqualTo(1);
            final String metrics = s.get("/metrics", null).body();
            assertThat(metrics).contains("flashsale_journal_full 1.0", "flashsale_journal_min_free_bytes " + (double)MIN_FREE_BYTES);

            Files.delete(filler);
            await(() -> s.get("/health/ready", null), 200);
            assertThat(s.purchase(sale, "after", 1).status()).isEqualTo(201);
            s.post("/api/orders/" + order + "/pay", s.shopper("before"), "{\"paymentRef\":\"pay-1\"}");
            assertThat(s.get("/api/orders/" + order, s.shopper("before")).json().get("state").asText()).isEqualTo("PAID");
            assertThat(s.get("/metrics", null).body()).contains("flashsale_journal_full 0.0");
        }
    }

    @Test
    void aJournalWriteOnAFullDiskAnswersEveryCommandInFlightWithJournalFailedAndLosesNoAcknowledgedOrder() throws Exception
    {
        final String journal = mount.directory().resolve("data").toString();
        final Map<Long, Outcome> answers = new ConcurrentHashMap<>();
        final AtomicLong published = new AtomicLong();
        final long sale;
        try (TestServer s = new TestServer(config -> {
            config.journal.directory = journal;
            config.journal.minFreeBytes = 0; // no guard: a disk filled faster than anyone looks
            config.journal.snapshotEverySeconds = 0;
        }, new ServerEnvironment()))
        {
            sale = s.createSale(Integer.MAX_VALUE, 0, 1, 600);
            final CommandPipeline pipeline = s.server.pipeline();
            long user = 1;
            boolean filled = false;
            while (user < 2_000_000)
            {
                final long buyer = user;
                final Outcome outcome = pipeline.purchase(sale, buyer, 1, 0, event -> answers.put(buyer, event.outcome), null);
                if (outcome == Outcome.PENDING)
                {
                    published.incrementAndGet();
                    user++;
                }
                else if (outcome == Outcome.SHUTTING_DOWN)
                {
                    break;
                }
                if (!filled && user == 1_000)
                {
                    DiskFiller.fill(filler, 0);
                    filled = true;
                }
            }
            assertThat(filled).isTrue();
            assertThat(pipeline.hasFailed()).as("the journal filled the disk and failed").isTrue();

            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (answers.size() < published.get() && System.nanoTime() < deadline)
            {
                Thread.sleep(10);
            }
            assertThat(answers).as("every command published was answered").hasSize((int)published.get());
            assertThat(answers.values()).containsOnly(Outcome.RESERVED, Outcome.JOURNAL_FAILED).contains(Outcome.JOURNAL_FAILED);
            assertThat(s.server.isReady()).isFalse();
            s.get("/health/ready", null).problem(503, "SHUTTING_DOWN");
            final TestServer.Response purchase = s.purchase(sale, "late", 1);
            assertThat(purchase.status()).as(purchase.body()).isEqualTo(503);
        }

        final long acknowledged = answers.values().stream().filter(o -> o == Outcome.RESERVED).count();
        Files.delete(filler);
        try (TestServer restarted = new TestServer(config -> {
            config.journal.directory = journal;
            config.journal.minFreeBytes = MIN_FREE_BYTES;
        }, new ServerEnvironment()))
        {
            assertThat(restarted.server.isReady()).isTrue();
            assertThat(restarted.adminSale(sale).get("reserved").asLong()).as("exactly the acknowledged orders").isEqualTo(acknowledged);
        }
    }

    private static TestServer.Response await(final Supplier<TestServer.Response> ask, final int status) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        TestServer.Response last = ask.get();
        while (last.status() != status && System.nanoTime() < deadline)
        {
            Thread.sleep(20);
            last = ask.get();
        }
        assertThat(last.status()).as(last.body()).isEqualTo(status);
        return last;
    }
}
