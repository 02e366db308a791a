package io.flashsale.http.config;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.flashsale.journal.space.JournalSpaceGuard;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Everything the server can be told, as read from the YAML file (every key optional) and then
 * overridden by command-line flags. Plain public fields with the defaults a demo needs; call
 * {@link #validate()} once everything is set.
 *
 * <p>Not thread-safe: built and checked on the main thread before the server starts, read-only
 * afterwards.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public final class ServerConfig
{
    private static final String WAIT_STRATEGIES =
        Stream.of(io.flashsale.engine.pipeline.WaitStrategyKind.values()).map(Enum::name).collect(Collectors.joining(", "));

    public Server server = new Server();
    public Journal journal = new Journal();
    public Auth auth = new Auth();
    public Limits limits = new Limits();
    public Admission admission = new Admission();
    public Core core = new Core();
    public Edges edges = new Edges();
    public Edge edge = new Edge();
    public Replication replication = new Replication();

    /** Where and how the HTTP listener runs. */
    public static final class Server
    {
        public String host = "0.0.0.0";
        /** 0 binds an ephemeral port (tests). */
        public int port = 8080;
        /** Undertow IO threads; 0 means one per core. */
        public int ioThreads = 0;
        /** The largest request body accepted, in bytes. */
        public int maxBodyBytes = 4096;
        /** A request's headers must be in within this many milliseconds of its first byte, else the connection is closed (slowloris). */
        public int requestParseTimeoutMillis = 10_000;
        /** A request's body must be in within this many milliseconds of its headers, else 408 and the connection is closed. */
        public int bodyTimeoutMillis = 10_000;
        /** A connection with no request under way for this long is closed. */
        public int idleTimeoutMillis = 60_000;
        /**
         * A response that cannot be written for this long (the client stopped reading) closes the
         * connection, so a client that never reads cannot keep its connection and buffered answers.
         */
        public int writeTimeoutMillis = 30_000;
        /** Connections held at once; at the limit the server stops accepting until they fall to 90 % of it. */
        public int maxConnections = 10_000;
    }

    /** Where the command journal and snapshots live, and how hard the journal syncs. */
    public static final class Journal
    {
        public String directory = "./data/journal";
        /** ASYNC: the OS page cache (survives a process crash); BATCH: msync per ring batch (survives power loss). */
        public String sync = "ASYNC";
        /** A snapshot after this many journaled commands; 0 for never. */
        public long snapshotEveryCommands = 1_000_000;
        /** A snapshot after this many seconds; 0 for never. */
        public long snapshotEverySeconds = 60;
        /** Snapshots kept; older ones are deleted. */
        public int keepSnapshots = 3;
        /** Cut a torn or corrupt journal tail at start-up instead of refusing to start. An operator's decision. */
        public boolean truncateTornTail;
        /**
         * Below this many usable bytes on the journal's file system, purchases, payments,
         * cancellations and new sales are refused (503 journal-full) and the server is not ready,
         * until a quarter more is free again. 0 turns the guard off. Default 128 MiB: Chronicle's
         * 80 MiB mapped window (64 MiB chunk + 16 MiB overlap) and a margin.
         */
        public long minFreeBytes = JournalSpaceGuard.DEFAULT_MIN_FREE_BYTES;
    }

    /** Token verification. The secret itself should come from the environment or a file. */
    public static final class Auth
    {
        /** A file whose bytes (trailing newline dropped) are the HS256 secret. */
        public String secretFile;
        /** The HS256 secret inline; prefer FLASHSALE_AUTH_SECRET or secretFile. */
        public String secret;
        /** Verified tokens remembered, so a hot shopper is not re-verified on every request. */
        public int tokenCacheSize = 100_000;
    }

    /** Token buckets and the global cap on requests waiting for the ring. */
    public static final class Limits
    {
        public Bucket shopper = new Bucket(10, 5);
        public Bucket ip = new Bucket(400, 200);
        /** The most buckets kept per table (shoppers, IPs); idle ones are dropped first. */
        public int maxTrackedKeys = 1_000_000;
        /** A bucket untouched this long is forgotten (it would be full again anyway). */
        public int idleExpirySeconds = 120;
        /** Requests published to the ring and not yet answered, across the server. */
        public int maxInFlight = 8192;
        /** Turns the token buckets off (benchmarks); the in-flight cap stays. */
        public boolean enabled = true;
        /**
         * Load balancers or CDNs in front of the server (addresses or CIDR blocks). A request from one
         * of them is limited by the client its X-Forwarded-For names; empty: the header is ignored.
         */
        public List<String> trustedProxies = new ArrayList<>();
    }

    /** One token bucket: a burst of {@code capacity}, refilled at {@code refillPerSecond}. */
    public static final class Bucket
    {
        public long capacity;
        public double refillPerSecond;

        public Bucket()
        {
        }

        public Bucket(final long capacity, final double refillPerSecond)
        {
            this.capacity = capacity;
            this.refillPerSecond = refillPerSecond;
        }
    }

    /** The probabilistic admission draw in front of the ring. */
    public static final class Admission
    {
        public boolean enabled = true;
        /** The ring should see about this many purchase attempts per unit still available, per interval. */
        public double multiple = 2.0;
        public int intervalMillis = 100;
        /** What a shed shopper is told to wait. */
        public int retryAfterSeconds = 1;
        /**
         * A sale's attempts a second (over every front) that are never shed while the core has the
         * capacity: a small crowd buys first come, first served, whatever the units left. 1,000/s is
         * about 2-4 % of the purchases/s one two-core server answers over HTTP (27-60 k/s, README
         * figures) and well under 1 % of what its ring applies, so the floor cannot overload the core,
         * while every crowd short of a real flood is let through whole.
         */
        public double alwaysAdmitPerSecond = 1000;
        /**
         * The share of the ring's measured service rate that admitted purchases may fill in an
         * interval. The rest is for payments, cancels, order reads, clock ticks and for the rate
         * being measured a little high: 0.8 keeps the ring's backlog from growing.
         */
        public double coreUtilization = 0.8;
    }

    /** The ring. */
    public static final class Core
    {
        /** Slots in the ring; a power of two. */
        public int ringSize = 1 << 14;
        /**
         * PARKING, BLOCKING, SLEEPING, YIELDING or BUSY_SPIN (see {@code WaitStrategyKind}). PARKING by
         * default: it blocks while the ring is empty, so an idle ring leaves the CPU to the IO threads
         * (SLEEPING's timed wake-ups took 17% of the server's CPU in a sold-out flood), and it naps rather
         * than spins while an earlier stage works (Disruptor 4's BLOCKING busy-spins there, which halved
         * purchase throughput on 2 cores).
         */
        public String waitStrategy = "PARKING";
        /**
         * PARALLEL (journal and logic on two threads, replies on a third) or SERIAL (one thread journals,
         * applies and answers each batch; see {@code StageLayout}).
         */
        public String stageLayout = "SERIAL";
        /** How often the clock is pushed through the ring so unpaid orders expire; 0 for never. */
        public int tickIntervalMillis = 250;
    }

    /** The core's side of the link to edge processes ({@code serve}). */
    public static final class Edges
    {
        /** HOST:PORT (UDP) the core's link binds for edges; empty: no edges. Only this address is bound. */
        public String link = "";
    }

    /** An edge process ({@code edge}): where its core is and who it is. */
    public static final class Edge
    {
        /**
         * The cores' link addresses, HOST:PORT each (their {@code edges.link}): one core, or a primary
         * and its standbys, of which the edge follows the primary of the highest epoch. One address
         * may be written as a plain value.
         */
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        public List<String> core = new ArrayList<>();
        /** This edge's own UDP address, HOST:PORT, where the core sends to; empty: server.host, any free port. */
        public String link = "";
        /** This edge's id, unique among the core's edges; 0: derived from the HTTP port. */
        public int id = 0;
        /**
         * Heartbeat intervals (50 ms each) without a word from the core before this edge says the
         * core is unavailable (503 core-unavailable, not ready). 3 answers a dead core fast; a
         * machine whose core may stall longer (GC, starved CPU) wants more.
         */
        public int silenceIntervals = 3;
    }

    /**
     * Hot standby replication. A primary sets {@code link} (the address standbys join); a standby
     * sets {@code primary} (the address it joins). Neither: no replication.
     */
    public static final class Replication
    {
        /** The shortest automatic-promotion delay accepted: four of the primary's 50 ms heartbeats, and some. */
        public static final long MIN_FAILOVER_MILLIS = 200;

        /** The primary's replication address, HOST:PORT (UDP); null for none. On a standby: the address it opens once promoted. */
        public String link;
        /** On a standby: the primary's replication address. */
        public String primary;
        /** On a standby: its own address the primary sends to; null: the local address towards the primary, any free port. */
        public String standbyEndpoint;
        /** sync (no reply before the standby journaled the command, once it is in sync) or async (lag reported). */
        public String mode = "sync";
        /** stall (nothing more acknowledged until a standby is in sync again) or continue-alone. */
        public String onStandbyLost = "stall";
        /** A peer not heard from for this long is lost. */
        public int peerTimeoutMillis = 1_000;
        /**
         * On a standby: promote itself when it is in sync and its primary has been silent this long
         * (at once when the primary steps down, its ring failed); 0: off, promotion by hand only.
         * At least {@link #peerTimeoutMillis}. Safe in sync mode with stall only (see journal/README.md).
         */
        public long failoverAfterMillis;
    }

    /**
     * Checks every value and reports all problems at once, each as "key: what is wrong".
     *
     * @throws ConfigException listing every problem found
     */
    public ServerConfig validate()
    {
        final List<String> problems = new ArrayList<>();
        if (server == null || journal == null || auth == null || limits == null || admission == null || core == null ||
            edges == null || edge == null)
        {
            throw new ConfigException(List.of("a top-level section is empty; remove it or give it keys"));
        }
        check(problems, server.host != null && !server.host.isBlank(), "server.host", "must not be empty", server.host);
        check(problems, server.port >= 0 && server.port <= 65535, "server.port", "must be between 0 and 65535", server.port);
        check(problems, server.ioThreads >= 0 && server.ioThreads <= 256, "server.ioThreads", "must be between 0 (one per core) and 256", server.ioThreads);
        check(problems, server.maxBodyBytes >= 256 && server.maxBodyBytes <= 1 << 20, "server.maxBodyBytes", "must be between 256 and 1048576", server.maxBodyBytes);
        check(problems, server.requestParseTimeoutMillis >= 100 && server.requestParseTimeoutMillis <= 600_000, "server.requestParseTimeoutMillis", "must be between 100 and 600000", server.requestParseTimeoutMillis);
        check(problems, server.bodyTimeoutMillis >= 100 && server.bodyTimeoutMillis <= 600_000, "server.bodyTimeoutMillis", "must be between 100 and 600000", server.bodyTimeoutMillis);
        check(problems, server.idleTimeoutMillis >= 100 && server.idleTimeoutMillis <= 3_600_000, "server.idleTimeoutMillis", "must be between 100 and 3600000", server.idleTimeoutMillis);
        check(problems, server.writeTimeoutMillis >= 100 && server.writeTimeoutMillis <= 600_000, "server.writeTimeoutMillis", "must be between 100 and 600000", server.writeTimeoutMillis);
        check(problems, server.maxConnections >= 2 && server.maxConnections <= 1_000_000, "server.maxConnections", "must be between 2 and 1000000", server.maxConnections);
        check(problems, journal.directory != null && !journal.directory.isBlank(), "journal.directory", "must not be empty", journal.directory);
        check(problems, "ASYNC".equals(journal.sync) || "BATCH".equals(journal.sync), "journal.sync", "must be ASYNC or BATCH", journal.sync);
        check(problems, journal.snapshotEveryCommands >= 0, "journal.snapshotEveryCommands", "must be 0 (never) or more", journal.snapshotEveryCommands);
        check(problems, journal.snapshotEverySeconds >= 0, "journal.snapshotEverySeconds", "must be 0 (never) or more", journal.snapshotEverySeconds);
        check(problems, journal.minFreeBytes == 0 || journal.minFreeBytes >= JournalSpaceGuard.SMALLEST_MIN_FREE_BYTES, "journal.minFreeBytes",
            "must be 0 (no guard) or at least " + JournalSpaceGuard.SMALLEST_MIN_FREE_BYTES + " (the journal allocates 4 MiB ahead of its writes)",
            journal.minFreeBytes);
        check(problems, journal.keepSnapshots >= 1, "journal.keepSnapshots", "must be at least 1", journal.keepSnapshots);
        check(problems, auth.tokenCacheSize >= 0, "auth.tokenCacheSize", "must be 0 (no cache) or more", auth.tokenCacheSize);
        checkBucket(problems, "limits.shopper", limits.shopper);
        checkBucket(problems, "limits.ip", limits.ip);
        if (limits.trustedProxies == null)
        {
            limits.trustedProxies = new ArrayList<>();
        }
        for (int i = 0; i < limits.trustedProxies.size(); i++)
        {
            final String proxy = limits.trustedProxies.get(i);
            check(problems, io.flashsale.http.limit.ClientAddress.problemWith(proxy) == null, "limits.trustedProxies[" + i + "]",
                "must be an IP address or CIDR block", proxy);
        }
        check(problems, limits.maxTrackedKeys >= 1000, "limits.maxTrackedKeys", "must be at least 1000", limits.maxTrackedKeys);
        check(problems, limits.idleExpirySeconds >= 1, "limits.idleExpirySeconds", "must be at least 1", limits.idleExpirySeconds);
        check(problems, limits.maxInFlight >= 1, "limits.maxInFlight", "must be at least 1", limits.maxInFlight);
        check(problems, admission.multiple >= 1.0 && admission.multiple <= 1000.0, "admission.multiple", "must be between 1 and 1000", admission.multiple);
        check(problems, admission.intervalMillis >= 10 && admission.intervalMillis <= 10_000, "admission.intervalMillis", "must be between 10 and 10000", admission.intervalMillis);
        check(problems, admission.alwaysAdmitPerSecond >= 0 && admission.alwaysAdmitPerSecond <= 1_000_000, "admission.alwaysAdmitPerSecond", "must be between 0 and 1000000", admission.alwaysAdmitPerSecond);
        check(problems, admission.coreUtilization > 0 && admission.coreUtilization <= 1.0, "admission.coreUtilization", "must be more than 0 and at most 1", admission.coreUtilization);
        check(problems, admission.retryAfterSeconds >= 1 && admission.retryAfterSeconds <= 3600, "admission.retryAfterSeconds", "must be between 1 and 3600", admission.retryAfterSeconds);
        check(problems, core.ringSize >= 2 && Integer.bitCount(core.ringSize) == 1 && core.ringSize <= 1 << 24, "core.ringSize", "must be a power of two between 2 and 16777216", core.ringSize);
        check(problems, oneOf(io.flashsale.engine.pipeline.StageLayout.values(), core.stageLayout), "core.stageLayout", "must be PARALLEL or SERIAL", core.stageLayout);
        check(problems, oneOf(io.flashsale.engine.pipeline.WaitStrategyKind.values(), core.waitStrategy), "core.waitStrategy", "must be one of " + WAIT_STRATEGIES, core.waitStrategy);
        check(problems, core.tickIntervalMillis >= 0, "core.tickIntervalMillis", "must be 0 (never) or more", core.tickIntervalMillis);
        checkEndpoint(problems, "edges.link", edges.link);
        checkCores(problems, edge.core);
        checkEndpoint(problems, "edge.link", edge.link);
        check(problems, edge.id >= 0, "edge.id", "must be 0 (from the HTTP port) or more", edge.id);
        check(problems, edge.silenceIntervals >= 2 && edge.silenceIntervals <= 200, "edge.silenceIntervals", "must be between 2 and 200", edge.silenceIntervals);
        checkReplication(problems);
        if (!problems.isEmpty())
        {
            throw new ConfigException(problems);
        }
        return this;
    }

    private void checkReplication(final List<String> problems)
    {
        if (replication == null)
        {
            replication = new Replication();
        }
        check(problems, "sync".equalsIgnoreCase(replication.mode) || "async".equalsIgnoreCase(replication.mode),
            "replication.mode", "must be sync or async", replication.mode);
        check(problems, "stall".equalsIgnoreCase(replication.onStandbyLost) || "continue-alone".equalsIgnoreCase(replication.onStandbyLost),
            "replication.onStandbyLost", "must be stall or continue-alone", replication.onStandbyLost);
        check(problems, replication.peerTimeoutMillis >= 50 && replication.peerTimeoutMillis <= 600_000,
            "replication.peerTimeoutMillis", "must be between 50 and 600000", replication.peerTimeoutMillis);
        checkEndpoint(problems, "replication.link", replication.link);
        checkEndpoint(problems, "replication.primary", replication.primary);
        checkEndpoint(problems, "replication.standbyEndpoint", replication.standbyEndpoint);
        check(problems, replication.failoverAfterMillis == 0 ||
                replication.failoverAfterMillis >= Replication.MIN_FAILOVER_MILLIS && replication.failoverAfterMillis <= 600_000,
            "replication.failoverAfterMillis", "must be 0 (off) or between " + Replication.MIN_FAILOVER_MILLIS + " and 600000: below that, a primary " +
                "slowed for a moment (a collector pause, a loaded machine) would be superseded while alive", replication.failoverAfterMillis);
        check(problems, replication.failoverAfterMillis == 0 || replication.failoverAfterMillis >= replication.peerTimeoutMillis,
            "replication.failoverAfterMillis", "must be at least replication.peerTimeoutMillis (" + replication.peerTimeoutMillis +
                "): the standby takes over only after the primary, with the same setting, has declared it lost and stopped acknowledging " +
                "(sync, stall); to fail over sooner, lower peerTimeoutMillis on both nodes", replication.failoverAfterMillis);
        // Two primaries acknowledging orders: the old one going on alone while the standby promotes itself.
        check(problems, !("continue-alone".equalsIgnoreCase(replication.onStandbyLost) && replication.failoverAfterMillis > 0),
            "replication.onStandbyLost", "continue-alone cannot be combined with automatic promotion (replication.failoverAfterMillis > 0): " +
                "a primary cut off from its standby would go on acknowledging orders while the standby promotes itself, and both would " +
                "acknowledge; use stall, or promote by hand", replication.onStandbyLost);
    }

    /** Each core address HOST:PORT, none twice (a core given twice would be linked to twice). */
    private static void checkCores(final List<String> problems, final List<String> cores)
    {
        if (cores == null)
        {
            problems.add("edge.core: must be an address HOST:PORT or a list of them");
            return;
        }
        for (int i = 0; i < cores.size(); i++)
        {
            final String core = cores.get(i);
            check(problems, core != null && !core.isBlank(), "edge.core[" + i + "]", "must be HOST:PORT", core);
            checkEndpoint(problems, "edge.core[" + i + "]", core);
            check(problems, core == null || cores.indexOf(core) == i, "edge.core[" + i + "]", "is given twice", core);
        }
    }

    /** Unset (null or empty), or HOST:PORT as the link parses it. */
    private static void checkEndpoint(final List<String> problems, final String key, final String value)
    {
        if (value == null || value.isBlank())
        {
            return;
        }
        try
        {
            io.flashsale.journal.link.LinkEndpoint.parse(value);
        }
        catch (final IllegalArgumentException ex)
        {
            problems.add(key + ": must be HOST:PORT, was " + value + " (" + ex.getMessage() + ")");
        }
    }

    private static void checkBucket(final List<String> problems, final String key, final Bucket bucket)
    {
        if (bucket == null)
        {
            problems.add(key + ": must be a mapping with capacity and refillPerSecond");
            return;
        }
        check(problems, bucket.capacity >= 1, key + ".capacity", "must be at least 1", bucket.capacity);
        check(problems, bucket.refillPerSecond > 0 && Double.isFinite(bucket.refillPerSecond), key + ".refillPerSecond", "must be more than 0", bucket.refillPerSecond);
    }

    /** Whether {@code name} names one of {@code values} exactly. */
    private static boolean oneOf(final Enum<?>[] values, final String name)
    {
        return name != null && Stream.of(values).anyMatch(value -> value.name().equals(name));
    }

    private static void check(final List<String> problems, final boolean ok, final String key, final String rule, final Object value)
    {
        if (!ok)
        {
            problems.add(key + ": " + rule + ", was " + value);
        }
    }
}
