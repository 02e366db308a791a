package io.flashsale.bench.system;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Debian's nginx as the ordinary load balancer in front of the edges: a foreground child process
 * ({@code daemon off}) with a generated configuration whose prefix, pid file, error log and temp
 * paths all live in one folder of the run, so it needs no system directory and runs beside a
 * system nginx. Upstream = the edges, round robin, keep-alive connections to them, X-Forwarded-For
 * appended (the edges trust it through {@code limits.trustedProxies}). The admin and demo routes,
 * which live on the core only, go to the core when one is given.
 *
 * <p>Failover ({@code proxy_next_upstream error timeout}): a request goes to another edge only when
 * nginx could not hand it to the first one: the connection was refused or timed out, or (for the
 * methods nginx calls idempotent) the edge failed before it answered. A POST that an edge may
 * already have read is never resent by nginx: its outcome is the edge's to tell, and nginx answers
 * 503 {@code edge-unavailable} saying to retry with the same Idempotency-Key. Resending it would
 * be safe (purchases, payments and cancellations are idempotent by that key, which the core
 * checks), but the shopper's own retry is what the protocol promises, and it goes to a live edge
 * because the failed one is out of rotation for {@code fail_timeout}. 503s the edges answer
 * themselves (not admitted, core unavailable) are passed through, never retried and never count
 * against an edge: another edge would say the same, and counting them would take healthy edges out
 * of rotation exactly when the core is briefly away.
 *
 * <p>Main thread.
 */
public final class NginxProcess implements AutoCloseable
{
    static final Path BINARY = Path.of("/usr/sbin/nginx");
    private static final String INSTALL_HINT = "apt-get install nginx-light (scripts/ensure-test-packages installs it)";

    private final ChildProcess child;
    private final String host;
    private final int port;
    private final Path folder;

    private NginxProcess(final ChildProcess child, final String host, final int port, final Path folder)
    {
        this.child = child;
        this.host = host;
        this.port = port;
        this.folder = folder;
    }

    /**
     * What nginx listens on and forwards to.
     *
     * @param listenHost the address to bind ("127.0.0.1", or "0.0.0.0" for the demo)
     * @param listenPort the port, 0 for a free one
     * @param edges      each edge's "host:port"
     * @param core       the core's "host:port" for /admin/ and /demo/, or null to leave them to the edges (404 there)
     */
    public record Layout(String listenHost, int listenPort, List<String> edges, String core)
    {
    }

    /** Starts nginx with its files in {@code folder}; returns once it accepts connections. */
    public static NginxProcess start(final Layout layout, final Path folder) throws IOException, InterruptedException
    {
        if (!Files.isExecutable(BINARY))
        {
            throw new IllegalStateException(BINARY + " is missing: " + INSTALL_HINT);
        }
        final Path prefix = Files.createDirectories(folder.toAbsolutePath());
        // nginx started by root runs its workers as nobody; they only use descriptors the master
        // opened (logs, sockets) and never the disk (no temp files, see config), so the folder
        // needs no wider permissions than the run gives it.
        Files.setPosixFilePermissions(prefix, PosixFilePermissions.fromString("rwx------"));
        final int port = layout.listenPort() > 0 ? layout.listenPort() : ChildProcess.freePort();
        final Path conf = prefix.resolve("nginx.conf");
        Files.writeString(conf, config(layout.listenHost(), port, layout.edges(), layout.core(), prefix));
        final ChildProcess child = ChildProcess.start("nginx",
            List.of(BINARY.toString(), "-p", prefix.toString(), "-e", prefix.resolve("error.log").toString(), "-c", conf.toString()),
            Map.of(), prefix.resolve("nginx.log"));
        final String connectHost = "0.0.0.0".equals(layout.listenHost()) ? "127.0.0.1" : layout.listenHost();
        final long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!accepts(connectHost, port))
        {
            if (!child.isAlive() || System.nanoTime() > deadline)
            {
                child.close();
                throw new IllegalStateException("nginx did not listen on " + connectHost + ":" + port + "; its log ends:\n"
                    + child.tail() + "\n" + tail(prefix.resolve("error.log")));
            }
            Thread.sleep(50);
        }
        return new NginxProcess(child, connectHost, port, prefix);
    }

    /** The configuration text; every path under {@code prefix}. */
    static String config(final String listenHost, final int listenPort, final List<String> edges, final String core, final Path prefix)
    {
        if (edges.isEmpty())
        {
            throw new IllegalArgumentException("nginx needs at least one edge");
        }
        final StringBuilder servers = new StringBuilder();
        for (final String edge : edges)
        {
            // One failure takes an edge out of rotation for 2 s, then nginx tries it again.
            servers.append("    server ").append(edge).append(" max_fails=1 fail_timeout=2s;\n");
        }
        final String coreRoutes = core == null ? "" : """
                # Admin and demo routes exist on the core only.
                location /admin/ { proxy_pass http://core; }
                location /demo/ { proxy_pass http://core; }
            """;
        final String coreUpstream = core == null ? "" : "  upstream core {\n    server " + core + ";\n    keepalive 8;\n  }\n";
        return """
            # Generated by io.flashsale.bench.system.NginxProcess; every path is under this folder.
            # One worker: the machine's few cores belong to the edges and the core.
            worker_processes 1;
            daemon off;
            pid %1$s/nginx.pid;
            error_log %1$s/error.log warn;
            events {
              worker_connections 16384;
            }
            http {
              access_log off;
              # Never spill to disk (the workers may run as nobody and cannot reach this folder):
              # bodies up to the edges' largest limit stay in memory; the edges answer 413 beyond theirs.
              client_max_body_size 1m;
              client_body_buffer_size 1m;
              proxy_max_temp_file_size 0;
              client_body_temp_path %1$s/client_body;
              proxy_temp_path %1$s/proxy;
              fastcgi_temp_path %1$s/fastcgi;
              uwsgi_temp_path %1$s/uwsgi;
              scgi_temp_path %1$s/scgi;
              # A load generator's connection lives for the whole run.
              keepalive_requests 10000000;
              keepalive_timeout 75s;

              upstream edges {
            %2$s    keepalive 256;
                keepalive_requests 10000000;
                keepalive_timeout 60s;
              }
            %3$s
              server {
                listen %4$s:%5$d backlog=4096;
                proxy_http_version 1.1;
                proxy_set_header Connection "";
                proxy_set_header Host $http_host;
                proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                proxy_connect_timeout 1s;
                proxy_send_timeout 10s;
                proxy_read_timeout 30s;
                # See NginxProcess: another edge only when this one could not take the request.
                proxy_next_upstream error timeout;
                proxy_next_upstream_tries 3;
                proxy_next_upstream_timeout 5s;

                location / { proxy_pass http://edges; }
            %6$s
                # nginx's own 502/504 (no edge reachable, or one failed mid-request) as the edges answer faults.
                error_page 502 504 =503 @edge_unavailable;
                location @edge_unavailable {
                  default_type application/problem+json;
                  add_header Retry-After 1 always;
                  return 503 '{"type":"https://flashsale.dev/problems/edge-unavailable","title":"No edge could answer","status":503,"detail":"No edge answered this request; if it was a purchase, payment or cancellation its outcome is not known here: retry with the same Idempotency-Key","outcome":"EDGE_UNAVAILABLE"}';
                }
              }
            }
            """.formatted(prefix, servers, coreUpstream, listenHost, listenPort, coreRoutes);
    }

    private static boolean accepts(final String host, final int port)
    {
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        }
        catch (final IOException notYet)
        {
            return false;
        }
    }

    private static String tail(final Path file)
    {
        try
        {
            final List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        }
        catch (final IOException ex)
        {
            return "(" + file + " unreadable: " + ex.getMessage() + ")";
        }
    }

    public int port()
    {
        return port;
    }

    public String base()
    {
        return "http://" + host + ":" + port;
    }

    public long pid()
    {
        return child.pid();
    }

    public Path folder()
    {
        return folder;
    }

    /** nginx's own error log (upstream failures it saw are there). */
    public String errorLogTail()
    {
        return tail(folder.resolve("error.log"));
    }

    /** SIGTERM: nginx closes at once ("fast shutdown"); SIGKILL if it will not. */
    @Override
    public void close()
    {
        child.close();
    }
}
