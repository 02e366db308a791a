package io.flashsale.journal.crash;

import io.flashsale.journal.SyncPolicy;
import io.flashsale.journal.cli.JournalCli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The crash drill: an engine in a child JVM ({@link CrashDrillChild}) under load from this
 * process, killed with SIGKILL at a random moment, restarted on the same folder; after every
 * restart each order this process saw acknowledged (RESERVED, PAID, CANCELLED) must be there with
 * its terms and a state its acknowledgements allow, an acknowledged idempotency key must still
 * answer DUPLICATE with its order, and at the end {@code flashsale journal verify} must pass.
 *
 * <p>A kill inside a journal write leaves a torn tail; the engine then refuses to start, as it
 * should, and the drill restarts it with truncation the way an operator would, counting it.
 *
 * <p>Run by {@code CrashDrillTest} and by {@code scripts/crash-drill --cycles N}. One thread sends,
 * one reads replies.
 */
public final class CrashDrill
{
    private static final long SALE_STOCK = 1_000_000;
    private static final int USERS = 100_000;
    private static final int WINDOW = 256;

    /** What the drill found. */
    public record Summary(int cycles, long acknowledged, long orders, int tornTails, long replayed, String verify)
    {
    }

    /** One order as acknowledged to this process, and what was asked of it since. */
    private static final class Ack
    {
        final long orderId;
        final long saleId;
        final long userId;
        final int qty;
        final long deadline;
        final long key;
        volatile boolean paid;
        volatile boolean cancelled;
        volatile boolean payAsked;
        volatile boolean cancelAsked;

        Ack(final long orderId, final long saleId, final long userId, final int qty, final long deadline, final long key)
        {
            this.orderId = orderId;
            this.saleId = saleId;
            this.userId = userId;
            this.qty = qty;
            this.deadline = deadline;
            this.key = key;
        }
    }

    /** A reply line. */
    private record Reply(String outcome, long orderId, long saleId, long userId, int qty, long deadline, String state)
    {
        static Reply parse(final String[] f)
        {
            return new Reply(f[2], Long.parseLong(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5]), Integer.parseInt(f[6]), Long.parseLong(f[7]), f[8]);
        }
    }

    private final Path dir;
    private final Random random;
    private final PrintStream log;
    private final Map<Long, Ack> acked = new ConcurrentHashMap<>();
    private final AtomicLong requestIds = new AtomicLong();
    private long[] sales;
    private int tornTails;
    private long replayed;
    private int attempt;

    public CrashDrill(final Path dir, final long seed, final PrintStream log)
    {
        this.dir = dir;
        this.random = new Random(seed);
        this.log = log;
    }

    /** Runs {@code cycles} load-and-kill cycles, then a last restart, the checks, and verify. */
    public Summary run(final int cycles) throws Exception
    {
        for (int cycle = 1; cycle <= cycles; cycle++)
        {
            final SyncPolicy sync = cycle % 2 == 1 ? SyncPolicy.ASYNC : SyncPolicy.BATCH;
            try (Child child = startRecovered(sync))
            {
                checkAcknowledged(child);
                if (sales == null)
                {
                    createSales(child);
                }
                final long loadMillis = 300 + random.nextInt(1_200);
                final long before = acked.size();
                load(child, loadMillis);
                log.printf("cycle %d (%s): killed after %d ms of load, %d orders acknowledged so far (+%d)%n",
                    cycle, sync, loadMillis, acked.size(), acked.size() - before);
            }
        }
        final String verify;
        try (Child child = startRecovered(SyncPolicy.ASYNC))
        {
            checkAcknowledged(child);
            child.exit();
        }
        verify = verify();
        return new Summary(cycles, acked.size(), acked.values().stream().mapToLong(a -> a.orderId).max().orElse(0), tornTails, replayed, verify);
    }

    /** Starts the engine; when it refuses a torn or damaged tail, checks the refusal and starts it again with truncation. */
    private Child startRecovered(final SyncPolicy sync) throws Exception
    {
        Child child = new Child(dir, sync, false, ++attempt);
        final String first = child.awaitStart();
        if (first.startsWith("REFUSED"))
        {
            child.close();
            if (!first.startsWith("REFUSED TORN_TAIL"))
            {
                throw new AssertionError("the engine refused to start for a reason other than a torn tail: " + first);
            }
            tornTails++;
            log.println("restart refused as expected: " + first.substring(0, Math.min(first.length(), 160)) + "...");
            child = new Child(dir, sync, true, ++attempt);
            final String second = child.awaitStart();
            if (!second.startsWith("READY") || !second.contains("TRUNCATED"))
            {
                child.close();
                throw new AssertionError("the engine did not start with truncation: " + second);
            }
        }
        final String ready = child.startLine;
        if (!ready.startsWith("READY"))
        {
            child.close();
            throw new AssertionError("the engine did not start: " + ready + "\n" + child.logTail());
        }
        final String[] f = ready.split(" ", 3);
        log.println("restart: " + f[2]);
        final var matcher = java.util.regex.Pattern.compile("\\+ (\\d+) replayed").matcher(f[2]);
        if (matcher.find())
        {
            replayed += Long.parseLong(matcher.group(1));
        }
        return child;
    }

    private void createSales(final Child child) throws Exception
    {
        final long now = System.currentTimeMillis();
        sales = new long[2];
        final long[] windows = {120_000, 400};
        for (int i = 0; i < sales.length; i++)
        {
            final Reply created = child.call("C %d drill-" + i + " " + SALE_STOCK + " " + (now - 1_000) + " " + (now + 3_600_000) + " 3 " + windows[i]);
            if (!created.outcome().equals("SALE_CREATED"))
            {
                throw new AssertionError("sale not created: " + created);
            }
            sales[i] = created.saleId();
        }
    }

    /** Drives purchases, payments and cancellations until the kill; records every acknowledgement. */
    private void load(final Child child, final long millis) throws Exception
    {
        final long killAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        final List<Ack> open = new ArrayList<>(acked.values().stream().filter(a -> !a.paid && !a.cancelled && !a.payAsked && !a.cancelAsked).toList());
        while (System.nanoTime() < killAt)
        {
            final int dice = random.nextInt(100);
            Ack ack = null;
            if (dice >= 70)
            {
                synchronized (open)
                {
                    ack = open.isEmpty() ? null : open.remove(random.nextInt(open.size()));
                }
            }
            if (ack == null)
            {
                final long sale = sales[random.nextInt(sales.length)];
                final long user = 1 + random.nextInt(USERS);
                final int qty = 1 + random.nextInt(2);
                final long key = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(1_000_000);
                child.send("P %d " + sale + " " + user + " " + qty + " " + key, reply ->
                {
                    if (reply.outcome().equals("RESERVED"))
                    {
                        final Ack reserved = new Ack(reply.orderId(), reply.saleId(), reply.userId(), reply.qty(), reply.deadline(), key);
                        acked.put(reserved.orderId, reserved);
                        synchronized (open)
                        {
                            open.add(reserved);
                        }
                    }
                });
            }
            else if (dice < 88)
            {
                final Ack paying = ack;
                paying.payAsked = true;
                child.send("Y %d " + paying.orderId + " " + paying.userId + " card-" + paying.orderId, reply ->
                {
                    if (reply.outcome().equals("PAID"))
                    {
                        paying.paid = true;
                    }
                });
            }
            else
            {
                final Ack cancelling = ack;
                cancelling.cancelAsked = true;
                child.send("X %d " + cancelling.orderId + " " + cancelling.userId, reply ->
                {
                    if (reply.outcome().equals("CANCELLED"))
                    {
                        cancelling.cancelled = true;
                    }
                });
            }
        }
        child.kill();
    }

    /** Every acknowledged order is there, with its terms, in a state its acknowledgements allow. */
    private void checkAcknowledged(final Child child) throws Exception
    {
        final List<String> problems = new ArrayList<>();
        final List<CompletableFuture<Reply>> pending = new ArrayList<>();
        final List<Ack> asked = new ArrayList<>(acked.values());
        for (final Ack ack : asked)
        {
            pending.add(child.request("Q %d " + ack.orderId + " " + ack.userId));
        }
        child.flush();
        for (int i = 0; i < asked.size(); i++)
        {
            final Ack ack = asked.get(i);
            final Reply reply = pending.get(i).get(60, TimeUnit.SECONDS);
            final long now = System.currentTimeMillis();
            if (!reply.outcome().equals("OK") || reply.saleId() != ack.saleId || reply.userId() != ack.userId || reply.qty() != ack.qty ||
                reply.deadline() != ack.deadline)
            {
                problems.add("order " + ack.orderId + " acknowledged as sale " + ack.saleId + " user " + ack.userId + " qty " + ack.qty +
                    " is now " + reply);
                continue;
            }
            final String state = reply.state();
            final boolean allowed = switch (state)
            {
                case "PAID" -> ack.paid || ack.payAsked;
                case "CANCELLED" -> ack.cancelled || ack.cancelAsked;
                case "RESERVED" -> !ack.paid && !ack.cancelled;
                case "EXPIRED" -> !ack.paid && !ack.cancelled && ack.deadline <= now;
                default -> false;
            };
            if (!allowed || ack.paid && !state.equals("PAID") || ack.cancelled && !state.equals("CANCELLED"))
            {
                problems.add("order " + ack.orderId + " is " + state + " but was acknowledged" + (ack.paid ? " PAID" : "") +
                    (ack.cancelled ? " CANCELLED" : "") + (ack.payAsked ? " (pay asked)" : "") + (ack.cancelAsked ? " (cancel asked)" : "") +
                    ", deadline " + ack.deadline + ", now " + now);
            }
        }
        int keyed = 0;
        for (final Ack ack : asked)
        {
            if (ack.key != 0 && keyed++ < 200)
            {
                final Reply again = child.call("P %d " + ack.saleId + " " + ack.userId + " " + ack.qty + " " + ack.key);
                if (!again.outcome().equals("DUPLICATE") || again.orderId() != ack.orderId)
                {
                    problems.add("repeating the acknowledged purchase with key " + ack.key + " of order " + ack.orderId + " answered " + again);
                }
            }
        }
        if (!problems.isEmpty())
        {
            throw new AssertionError(problems.size() + " acknowledged orders are wrong after the restart, first ones: " +
                problems.subList(0, Math.min(10, problems.size())));
        }
        log.printf("after restart: all %d acknowledged orders present and consistent (%d keyed purchases repeated)%n", asked.size(), Math.min(keyed, 200));
    }

    private String verify()
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final var cli = JournalCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        final int exit = cli.execute("verify", "--journal", dir.toString());
        if (exit != 0)
        {
            throw new AssertionError("verify exited " + exit + ": " + out + err);
        }
        log.print("verify: " + out);
        return out.toString().trim();
    }

    /** The engine process and the two ends of its pipe. */
    private final class Child implements AutoCloseable
    {
        private final Process process;
        private final Writer stdin;
        private final Path logFile;
        private final Map<Long, java.util.function.Consumer<Reply>> waiting = new ConcurrentHashMap<>();
        private final Semaphore window = new Semaphore(WINDOW);
        private final CompletableFuture<String> started = new CompletableFuture<>();
        private final Thread reader;
        private String startLine;

        Child(final Path folder, final SyncPolicy sync, final boolean truncate, final int number) throws IOException
        {
            logFile = folder.resolveSibling(folder.getFileName() + "-child-" + number + ".log");
            final ProcessBuilder builder = new ProcessBuilder(io.flashsale.journal.process.ChildJava.command(List.of("-Xmx512m"),
                CrashDrillChild.class.getName(), List.of(folder.toString(), sync.name(), "5000", String.valueOf(truncate))));
            builder.redirectError(logFile.toFile());
            process = builder.start();
            stdin = new java.io.BufferedWriter(new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
            reader = new Thread(this::readReplies, "crash-drill-replies-" + number);
            reader.setDaemon(true);
            reader.start();
        }

        String awaitStart() throws Exception
        {
            startLine = started.get(120, TimeUnit.SECONDS);
            return startLine;
        }

        private void readReplies()
        {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = lines.readLine()) != null)
                {
                    if (line.startsWith("R "))
                    {
                        final String[] f = line.split(" ");
                        final var handler = waiting.remove(Long.parseLong(f[1]));
                        window.release();
                        if (handler != null)
                        {
                            handler.accept(Reply.parse(f));
                        }
                    }
                    else if (!started.isDone())
                    {
                        started.complete(line);
                    }
                }
            }
            catch (final IOException ignored)
            {
                // the process was killed
            }
            started.complete("EXITED without a start line\n" + logTail());
        }

        void send(final String format, final java.util.function.Consumer<Reply> handler) throws Exception
        {
            if (!window.tryAcquire(30, TimeUnit.SECONDS))
            {
                throw new AssertionError("no reply for 30 s\n" + logTail());
            }
            final long id = requestIds.incrementAndGet();
            waiting.put(id, handler);
            try
            {
                stdin.write(String.format(format, id));
                stdin.write('\n');
                if (window.availablePermits() < WINDOW / 2 || random.nextInt(8) == 0)
                {
                    stdin.flush();
                }
            }
            catch (final IOException ex)
            {
                waiting.remove(id);
                throw ex;
            }
        }

        CompletableFuture<Reply> request(final String format) throws Exception
        {
            final CompletableFuture<Reply> reply = new CompletableFuture<>();
            send(format, reply::complete);
            return reply;
        }

        void flush() throws IOException
        {
            stdin.flush();
        }

        Reply call(final String format) throws Exception
        {
            final CompletableFuture<Reply> reply = request(format);
            stdin.flush();
            return reply.get(60, TimeUnit.SECONDS);
        }

        /** SIGKILL, then wait until every reply it wrote before dying has been read. */
        void kill() throws Exception
        {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            reader.join(30_000);
        }

        void exit() throws Exception
        {
            stdin.write("EXIT\n");
            stdin.flush();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0)
            {
                throw new AssertionError("the engine did not shut down cleanly\n" + logTail());
            }
            reader.join(30_000);
        }

        String logTail()
        {
            try
            {
                final List<String> lines = Files.readAllLines(logFile);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
            }
            catch (final IOException ex)
            {
                return "(no log: " + ex + ")";
            }
        }

        @Override
        public void close() throws Exception
        {
            if (process.isAlive())
            {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
            reader.join(30_000);
        }
    }

    /** {@code scripts/crash-drill}: {@code --cycles N [--dir DIR] [--seed S]}. */
    public static void main(final String[] args) throws Exception
    {
        int cycles = 10;
        Path dir = null;
        long seed = System.nanoTime();
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--cycles" -> cycles = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("usage: crash-drill [--cycles N] [--dir DIR] [--seed S]");
            }
        }
        if (dir == null)
        {
            dir = Files.createTempDirectory("flashsale-crash-drill").resolve("data");
        }
        System.out.println("crash drill: " + cycles + " cycles in " + dir + " (seed " + seed + ")");
        final Summary summary = new CrashDrill(dir, seed, System.out).run(cycles);
        System.out.println("PASSED: " + summary);
        System.exit(0);
    }
}
