package io.flashsale.bench.drill.partition;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The partition drill's network: two namespaces, one per core, each joined to this (root)
 * namespace by a veth pair for the drill's HTTP clients, and joined to each other by a third pair
 * that carries only replication. {@link #impair}, {@link #cut} and {@link #heal} put a qdisc on
 * both ends of that pair (a qdisc shapes what a device sends, so both ends make both directions),
 * and never touch the HTTP paths: {@code tc netem} where the kernel has it; where it does not (a
 * small VM kernel without sch_netem), the cut is the {@code blackhole} qdisc, which drops every
 * packet just as {@code netem loss 100%} does, and the impairment a {@code tbf} rate limit.
 *
 * <pre>
 *   root  fspa0 10.214.1.1 ── fspa1 10.214.1.2  fsp-a (primary)  fspab 10.214.3.1 ──┐
 *   root  fspb0 10.214.2.1 ── fspb1 10.214.2.2  fsp-b (standby)  fspba 10.214.3.2 ──┘ replication
 * </pre>
 *
 * Names start with {@code fsp-}/{@code fsp} and addresses lie in 10.214.0.0/16, reserved for this
 * drill on this machine: {@link #create} first removes what a killed run left. Needs root and
 * iproute2 ({@code ip}, {@code tc}); {@link #unavailable} says why not. Main thread.
 */
public final class PartitionNetwork implements AutoCloseable
{
    public static final String PRIMARY_NAMESPACE = "fsp-a";
    public static final String STANDBY_NAMESPACE = "fsp-b";
    /** Where each core serves HTTP, reachable from the root namespace. */
    public static final String PRIMARY_HTTP = "10.214.1.2";
    public static final String STANDBY_HTTP = "10.214.2.2";
    /** Each core's end of the replication pair. */
    public static final String PRIMARY_LINK = "10.214.3.1";
    public static final String STANDBY_LINK = "10.214.3.2";

    private static final String PRIMARY_LINK_DEVICE = "fspab";
    private static final String STANDBY_LINK_DEVICE = "fspba";
    private static final String[] SEARCH = {"/usr/sbin", "/sbin", "/usr/bin", "/bin"};

    private static final String[] FALLBACK_IMPAIRMENT = {"tbf", "rate", "1mbit", "burst", "16kb", "latency", "100ms"};

    private final String ip;
    private final String tc;
    private boolean netem;
    private String linkState = "whole";

    private PartitionNetwork(final String ip, final String tc)
    {
        this.ip = ip;
        this.tc = tc;
    }

    /** Why the drill cannot build its network here (not root, no iproute2), or null when it can. */
    public static String unavailable()
    {
        if (!"root".equals(System.getProperty("user.name")))
        {
            return "the partition drill needs root for ip netns and tc (running as " + System.getProperty("user.name") + ")";
        }
        if (find("ip") == null || find("tc") == null)
        {
            return "the partition drill needs iproute2 (ip and tc; scripts/ensure-test-packages installs it)";
        }
        return null;
    }

    /** Removes any leftovers of an earlier run, then builds the namespaces and the three veth pairs. */
    public static PartitionNetwork create() throws IOException, InterruptedException
    {
        final String why = unavailable();
        if (why != null)
        {
            throw new IllegalStateException(why);
        }
        final PartitionNetwork net = new PartitionNetwork(find("ip"), find("tc"));
        net.removeAll();
        try
        {
            net.namespace(PRIMARY_NAMESPACE, "fspa0", "fspa1", "10.214.1.1", PRIMARY_HTTP);
            net.namespace(STANDBY_NAMESPACE, "fspb0", "fspb1", "10.214.2.1", STANDBY_HTTP);
            net.must(net.ip, "-n", PRIMARY_NAMESPACE, "link", "add", PRIMARY_LINK_DEVICE, "type", "veth", "peer", "name", STANDBY_LINK_DEVICE,
                "netns", STANDBY_NAMESPACE);
            net.must(net.ip, "-n", PRIMARY_NAMESPACE, "addr", "add", PRIMARY_LINK + "/30", "dev", PRIMARY_LINK_DEVICE);
            net.must(net.ip, "-n", STANDBY_NAMESPACE, "addr", "add", STANDBY_LINK + "/30", "dev", STANDBY_LINK_DEVICE);
            net.must(net.ip, "-n", PRIMARY_NAMESPACE, "link", "set", PRIMARY_LINK_DEVICE, "up");
            net.must(net.ip, "-n", STANDBY_NAMESPACE, "link", "set", STANDBY_LINK_DEVICE, "up");
            net.netem = exec(net.tc, "-n", PRIMARY_NAMESPACE, "qdisc", "replace", "dev", PRIMARY_LINK_DEVICE, "root", "netem", "delay", "0ms").exit == 0;
            net.heal();
            return net;
        }
        catch (final IOException | RuntimeException ex)
        {
            net.removeAll();
            throw ex;
        }
    }

    private void namespace(final String name, final String rootEnd, final String innerEnd, final String rootAddress, final String innerAddress)
        throws IOException, InterruptedException
    {
        must(ip, "netns", "add", name);
        must(ip, "link", "add", rootEnd, "type", "veth", "peer", "name", innerEnd, "netns", name);
        must(ip, "addr", "add", rootAddress + "/30", "dev", rootEnd);
        must(ip, "-n", name, "addr", "add", innerAddress + "/30", "dev", innerEnd);
        must(ip, "link", "set", rootEnd, "up");
        must(ip, "-n", name, "link", "set", innerEnd, "up");
        must(ip, "-n", name, "link", "set", "lo", "up");
    }

    /** Whether this kernel has netem (else the cut is a blackhole and the impairment a rate limit). */
    public boolean hasNetem()
    {
        return netem;
    }

    /**
     * Delay and loss on the replication path, both ways (a 1 Mbit/s rate limit where there is no
     * netem): sync replication must still work through it.
     */
    public void impair(final int delayMillis, final double lossPercent) throws IOException, InterruptedException
    {
        if (netem)
        {
            qdisc("netem", "delay", delayMillis + "ms", "loss", lossPercent + "%");
            linkState = "netem delay " + delayMillis + "ms loss " + lossPercent + "%";
        }
        else
        {
            qdisc(FALLBACK_IMPAIRMENT);
            linkState = String.join(" ", FALLBACK_IMPAIRMENT) + " (this kernel has no netem)";
        }
    }

    /** Every packet on the replication path dropped, both ways; the HTTP paths stay whole. */
    public void cut() throws IOException, InterruptedException
    {
        if (netem)
        {
            qdisc("netem", "loss", "100%");
            linkState = "cut (netem loss 100%)";
        }
        else
        {
            qdisc("blackhole");
            linkState = "cut (blackhole qdisc: every packet dropped; this kernel has no netem)";
        }
    }

    /** The replication path whole again. */
    public void heal() throws IOException, InterruptedException
    {
        run(tc, "-n", PRIMARY_NAMESPACE, "qdisc", "del", "dev", PRIMARY_LINK_DEVICE, "root");
        run(tc, "-n", STANDBY_NAMESPACE, "qdisc", "del", "dev", STANDBY_LINK_DEVICE, "root");
        linkState = "whole";
    }

    /** What is on the replication path now, for the log. */
    public String linkState()
    {
        return linkState;
    }

    private void qdisc(final String... options) throws IOException, InterruptedException
    {
        for (final String[] end : new String[][] {{PRIMARY_NAMESPACE, PRIMARY_LINK_DEVICE}, {STANDBY_NAMESPACE, STANDBY_LINK_DEVICE}})
        {
            final List<String> command = new ArrayList<>(List.of(tc, "-n", end[0], "qdisc", "replace", "dev", end[1], "root"));
            command.addAll(List.of(options));
            must(command.toArray(String[]::new));
        }
    }

    /** Deletes both namespaces (their devices go with them) and the root ends of the pairs. */
    @Override
    public void close() throws IOException, InterruptedException
    {
        removeAll();
    }

    private void removeAll() throws IOException, InterruptedException
    {
        run(ip, "netns", "del", PRIMARY_NAMESPACE);
        run(ip, "netns", "del", STANDBY_NAMESPACE);
        run(ip, "link", "del", "fspa0");
        run(ip, "link", "del", "fspb0");
    }

    private void must(final String... command) throws IOException, InterruptedException
    {
        final Result result = exec(command);
        if (result.exit != 0)
        {
            throw new IOException(String.join(" ", command) + " failed (exit " + result.exit + "): " + result.output.strip());
        }
    }

    /** For clean-up: what is not there need not be removed. */
    private void run(final String... command) throws IOException, InterruptedException
    {
        exec(command);
    }

    private record Result(int exit, String output)
    {
    }

    private static Result exec(final String... command) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not end within 30 s");
        }
        return new Result(process.exitValue(), output);
    }

    private static String find(final String tool)
    {
        final List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of(SEARCH));
        for (final String dir : dirs)
        {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool)))
            {
                return Path.of(dir, tool).toString();
            }
        }
        return null;
    }
}
