package io.flashsale.bench.system;

import io.flashsale.journal.process.ChildJava;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The bare Undertow server that answers "ok" from the IO thread (the http branch's
 * {@code io.flashsale.bench.http.BareOkServer}, through {@code BareOkServerMain}), as a child JVM: the ceiling of any HTTP handler
 * on this machine. It answers every path alike, keeps no books and no journal; tokens sent to it
 * are signed with a throw-away secret it never checks.
 *
 * <p>Main thread.
 */
public final class BareTarget implements Target
{
    static final String MAIN = "io.flashsale.bench.http.BareOkServerMain";

    private final ChildProcess child;
    private final int port;
    private final byte[] secret = Secrets.random();

    private BareTarget(final ChildProcess child, final int port)
    {
        this.child = child;
        this.port = port;
    }

    public static BareTarget start(final Path folder, final int ioThreads, final List<String> jvmOptions) throws IOException, InterruptedException
    {
        Files.createDirectories(folder);
        final int threads = ioThreads > 0 ? ioThreads : Runtime.getRuntime().availableProcessors();
        final ChildProcess child = ChildProcess.start("bare", ChildJava.command(jvmOptions, MAIN, List.of(Integer.toString(threads))),
            Map.of(), folder.resolve("bare-server.log"));
        final int port = child.awaitLine("LISTENING ", Duration.ofSeconds(60));
        child.awaitHttp("http://127.0.0.1:" + port + "/", Duration.ofSeconds(60));
        return new BareTarget(child, port);
    }

    @Override
    public String name()
    {
        return "bare";
    }

    @Override
    public String description()
    {
        return "Undertow answering \"ok\" from the IO thread, child JVM pid " + child.pid();
    }


    @Override
    public int port()
    {
        return port;
    }

    @Override
    public byte[] secret()
    {
        return secret.clone();
    }

    @Override
    public boolean keepsBooks()
    {
        return false;
    }


    @Override
    public void close()
    {
        child.close();
    }
}
