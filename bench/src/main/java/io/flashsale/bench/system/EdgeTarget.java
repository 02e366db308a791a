package io.flashsale.bench.system;

import io.flashsale.http.config.ServerConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * flashsale as an edge deployment under load: one core, N edges, nginx in front
 * ({@link EdgeDeployment}), a fresh secret, the core's journal in the results folder. The load
 * goes to nginx; the admin calls too (nginx sends /admin/ to the core). The core and the edges
 * get the same knobs as {@link FlashsaleTarget}'s server: token buckets off (the whole crowd comes
 * from 127.0.0.1), admission as asked.
 *
 * <p>Main thread.
 */
public final class EdgeTarget implements Target
{
    private final EdgeDeployment deployment;
    private final byte[] secret;
    private final Path journal;

    private EdgeTarget(final EdgeDeployment deployment, final byte[] secret, final Path journal)
    {
        this.deployment = deployment;
        this.secret = secret;
        this.journal = journal;
    }

    public static EdgeTarget start(final FlashsaleTarget.Options options, final int edges, final Path folder)
        throws IOException, InterruptedException
    {
        return start(options, edges, folder, config -> { });
    }

    /** @param coreTweaks last word on the core's configuration (a figure that needs other admission settings) */
    public static EdgeTarget start(
        final FlashsaleTarget.Options options, final int edges, final Path folder, final java.util.function.Consumer<ServerConfig> coreTweaks)
        throws IOException, InterruptedException
    {
        Files.createDirectories(folder);
        final byte[] secret = Secrets.random();
        final Path journal = folder.resolve("journal").toAbsolutePath();
        final ServerConfig core = FlashsaleTarget.config(options, journal);
        coreTweaks.accept(core);
        final ServerConfig edge = FlashsaleTarget.config(options, journal);
        final EdgeDeployment deployment = EdgeDeployment.start(new EdgeDeployment.Options(edges, true, options.jvmOptions(), options.jvmOptions()),
            core, edge, secret, folder);
        return new EdgeTarget(deployment, secret, journal);
    }

    public EdgeDeployment deployment()
    {
        return deployment;
    }

    @Override
    public String name()
    {
        return "flashsale-edges";
    }

    @Override
    public String description()
    {
        return String.format("nginx pid %d -> %d edges (pids %s) -> core pid %d over the link %s", deployment.nginx().pid(),
            deployment.edges().size(), deployment.edges().stream().map(e -> Long.toString(e.pid())).toList(), deployment.core().pid(),
            deployment.link());
    }

    @Override
    public int port()
    {
        return deployment.frontPort();
    }

    @Override
    public byte[] secret()
    {
        return secret.clone();
    }

    @Override
    public boolean keepsBooks()
    {
        return true;
    }

    @Override
    public Path journalDirectory()
    {
        return journal;
    }

    @Override
    public void awaitSaleView(final long saleId, final long available) throws Exception
    {
        deployment.awaitSaleOnEdges(saleId, available);
    }

    @Override
    public void close()
    {
        deployment.close();
    }
}
