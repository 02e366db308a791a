package io.flashsale.journal.link;

import io.flashsale.journal.process.ChildJava;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The link across a real network stack: the core and the edge in separate processes, each in a
 * network namespace of its own, joined by a veth pair (10.213.7.0/30, addresses that exist only
 * inside the two namespaces this test creates and deletes). Skipped only when the machine does
 * not permit {@code ip netns}.
 */
class LinkAcrossNamespacesTest
{
    private static final String CORE_ADDRESS = "10.213.7.1";
    private static final String EDGE_ADDRESS = "10.213.7.2";

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void anEdgeInOneNamespaceTradesWithACoreInAnotherOverVeth() throws Exception
    {
        final long tag = ProcessHandle.current().pid() % 100_000;
        final String coreNs = "fsl-core-" + tag;
        final String edgeNs = "fsl-edge-" + tag;
        final String coreVeth = "fslc" + tag;
        final String edgeVeth = "fsle" + tag;
        Assumptions.assumeTrue(run("ip", "netns", "add", coreNs) == 0, "ip netns is not permitted here");
        Process core = null;
        try
        {
            assertThat(run("ip", "netns", "add", edgeNs)).isZero();
            assertThat(run("ip", "link", "add", coreVeth, "type", "veth", "peer", "name", edgeVeth)).isZero();
            assertThat(run("ip", "link", "set", coreVeth, "netns", coreNs)).isZero();
            assertThat(run("ip", "link", "set", edgeVeth, "netns", edgeNs)).isZero();
            assertThat(run("ip", "-n", coreNs, "addr", "add", CORE_ADDRESS + "/30", "dev", coreVeth)).isZero();
            assertThat(run("ip", "-n", edgeNs, "addr", "add", EDGE_ADDRESS + "/30", "dev", edgeVeth)).isZero();
            for (final String[] up : new String[][] {{coreNs, coreVeth}, {coreNs, "lo"}, {edgeNs, edgeVeth}, {edgeNs, "lo"}})
            {
                assertThat(run("ip", "-n", up[0], "link", "set", up[1], "up")).isZero();
            }

            final List<String> coreOutput = new CopyOnWriteArrayList<>();
            core = inNamespace(coreNs, NetnsCore.class, CORE_ADDRESS + ":40555").start();
            collect(core, coreOutput);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (coreOutput.stream().noneMatch(line -> line.startsWith("READY")) && core.isAlive() && System.nanoTime() < deadline)
            {
                Thread.sleep(10);
            }
            assertThat(coreOutput).as("core output").anyMatch(line -> line.startsWith("READY " + CORE_ADDRESS));

            final List<String> edgeOutput = new CopyOnWriteArrayList<>();
            final Process edge = inNamespace(edgeNs, NetnsEdge.class, CORE_ADDRESS + ":40555", EDGE_ADDRESS + ":40556", "200").start();
            collect(edge, edgeOutput);
            assertThat(edge.waitFor(120, TimeUnit.SECONDS)).isTrue();
            edge.getInputStream().close();
            Thread.sleep(100);
            assertThat(edgeOutput).as("edge output").anyMatch(line -> line.startsWith("EDGE OK outcomes=200 unknown=0 view=veth sale"));
            assertThat(edge.exitValue()).isZero();
            // The core saw the edge arrive from the other namespace's address, over the veth pair.
            assertThat(coreOutput).contains("JOINED 9 " + EDGE_ADDRESS + ":40556");

            core.getOutputStream().close();
            assertThat(core.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(coreOutput).contains("COMMANDS 200");
        }
        finally
        {
            if (core != null)
            {
                core.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            run("ip", "netns", "del", edgeNs);
            run("ip", "netns", "del", coreNs);
        }
    }

    private static ProcessBuilder inNamespace(final String namespace, final Class<?> main, final String... args)
    {
        final List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        command.addAll(ChildJava.command(List.of("-Xmx512m"), main.getName(), List.of(args)));
        return new ProcessBuilder(command).redirectErrorStream(true);
    }

    private static void collect(final Process process, final List<String> lines)
    {
        final Thread reader = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = in.readLine()) != null)
                {
                    System.out.println("[" + process.pid() + "] " + line);
                    lines.add(line);
                }
            }
            catch (final IOException ignored)
            {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    private static int run(final String... command) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        final int exit = process.waitFor();
        if (exit != 0)
        {
            System.out.println(String.join(" ", command) + " -> " + exit + " " + output);
        }
        return exit;
    }
}
