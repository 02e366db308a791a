package io.flashsale.bench.http;

import io.flashsale.engine.command.Outcome;
import io.flashsale.http.FlashsaleServer;
import io.flashsale.http.ServerEnvironment;
import io.flashsale.http.auth.PurchaseKeys;
import io.flashsale.http.auth.Role;
import io.flashsale.http.auth.TokenIssuer;
import io.flashsale.http.auth.ShopperIds;
import io.flashsale.http.config.AuthSecret;
import io.flashsale.http.config.ServerConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The servers and client scripts of {@code scripts/bench-http}, one mode per JVM so that the
 * flashsale core's threads never run while the baseline is measured:
 * <ul>
 *   <li>{@code lua DIR SHOPPERS}: writes the wrk scripts (pre-formatted purchase requests rotated over
 *       many shoppers, so the client does the same work against every server);</li>
 *   <li>{@code bare}: a bare Undertow "ok" handler;</li>
 *   <li>{@code flashsale}: the flashsale server with sale 1 sold out and sale 2 with stock that will
 *       not run out.</li>
 * </ul>
 * Servers print {@code READY <port>} and run until killed. Tokens and keys come from the secret in
 * FLASHSALE_AUTH_SECRET, shared by the modes.
 *
 * <p>Rate limits stay on but are loosened, and admission stays on (with that much stock p is 1), so
 * the purchase path measured is the real one: auth, limits, admission, ring, engine, reply.
 */
public final class HttpBenchServers
{
    static final long SOLD_OUT_SALE = 1;
    static final long OPEN_SALE = 2;

    public static void main(final String[] args) throws Exception
    {
        final byte[] secret = AuthSecret.resolve(new ServerConfig.Auth(), System.getenv()).bytes();
        final int ioThreads = Integer.parseInt(System.getProperty("bench.ioThreads", "2"));
        switch (args[0])
        {
            case "lua" -> writeScripts(Path.of(args[1]), Integer.parseInt(args[2]), secret);
            case "bare" -> {
                final BareOkServer bare = new BareOkServer("127.0.0.1", ioThreads);
                Runtime.getRuntime().addShutdownHook(new Thread(bare::close));
                ready(bare.port);
            }
            case "flashsale" -> {
                final FlashsaleServer server = startFlashsale(secret, ioThreads);
                Runtime.getRuntime().addShutdownHook(new Thread(server::close));
                ready(server.port());
            }
            default -> throw new IllegalArgumentException("mode: lua | bare | flashsale");
        }
    }

    private static void ready(final int port) throws InterruptedException
    {
        System.out.println("READY " + port);
        System.out.flush();
        Thread.currentThread().join();
    }

    private static FlashsaleServer startFlashsale(final byte[] secret, final int ioThreads) throws Exception
    {
        final ServerConfig config = new ServerConfig();
        config.server.host = "127.0.0.1";
        config.server.port = 0;
        config.server.ioThreads = ioThreads;
        config.limits.shopper = new ServerConfig.Bucket(1_000_000, 1_000_000);
        config.limits.ip = new ServerConfig.Bucket(100_000_000, 100_000_000);
        config.limits.maxInFlight = 1 << 16;
        config.auth.tokenCacheSize = 1_000_000;
        config.core.waitStrategy = System.getProperty("bench.waitStrategy", config.core.waitStrategy);
        // A fresh journal: the sale ids below assume an empty history.
        config.journal.directory = Files.createTempDirectory("flashsale-bench-journal").toString();
        final FlashsaleServer flashsale = FlashsaleServer.start(config, new ServerEnvironment().secret(AuthSecret.of(secret, "bench")));
        final long now = System.currentTimeMillis();
        if (createSale(flashsale, 1, now - 1000, 1) != SOLD_OUT_SALE || createSale(flashsale, Integer.MAX_VALUE, now - 1000, 1_000_000) != OPEN_SALE)
        {
            throw new IllegalStateException("unexpected sale ids");
        }
        // Sell the one unit of the sold-out sale so its view says SOLD_OUT.
        final CompletableFuture<Outcome> bought = new CompletableFuture<>();
        flashsale.pipeline().purchase(SOLD_OUT_SALE, 1, 1, 0, event -> bought.complete(event.outcome), null);
        if (bought.get(10, TimeUnit.SECONDS) != Outcome.RESERVED)
        {
            throw new IllegalStateException("could not sell out the sold-out sale");
        }
        return flashsale;
    }

    private static void writeScripts(final Path out, final int shoppers, final byte[] secret) throws IOException
    {
        Files.createDirectories(out);
        final TokenIssuer issuer = new TokenIssuer(secret);
        final PurchaseKeys purchaseKeys = new PurchaseKeys(secret);
        final Instant expires = Instant.now().plus(Duration.ofHours(6));
        final String[] tokens = new String[shoppers];
        final String[] keysSoldOut = new String[shoppers];
        final String[] keysOpen = new String[shoppers];
        for (int i = 0; i < shoppers; i++)
        {
            final String subject = "bench-shopper-" + i;
            tokens[i] = issuer.issue(subject, Role.SHOPPER, expires);
            final long userId = ShopperIds.userId(subject);
            keysSoldOut[i] = purchaseKeys.keyFor(SOLD_OUT_SALE, userId);
            keysOpen[i] = purchaseKeys.keyFor(OPEN_SALE, userId);
        }
        writeLua(out.resolve("soldout.lua"), "/api/sales/" + SOLD_OUT_SALE + "/purchase", tokens, keysSoldOut);
        writeLua(out.resolve("purchase.lua"), "/api/sales/" + OPEN_SALE + "/purchase", tokens, keysOpen);
    }

    private static long createSale(final FlashsaleServer server, final long stock, final long startsAt, final int perUserLimit)
        throws Exception
    {
        final CompletableFuture<Long> id = new CompletableFuture<>();
        server.pipeline().createSale("bench", stock, startsAt, startsAt + Duration.ofDays(1).toMillis(), perUserLimit,
            Duration.ofHours(1).toMillis(), event -> id.complete(event.resultSaleId), null);
        return id.get(10, TimeUnit.SECONDS);
    }

    /** One pre-formatted request per shopper, rotated by request(): the client does no formatting per request. */
    private static void writeLua(final Path file, final String path, final String[] tokens, final String[] keys) throws IOException
    {
        final StringBuilder lua = new StringBuilder(tokens.length * 300);
        lua.append("-- generated by HttpBenchServers\nlocal tokens = {\n");
        for (final String token : tokens)
        {
            lua.append("\"").append(token).append("\",\n");
        }
        lua.append("}\nlocal keys = {\n");
        for (final String key : keys)
        {
            lua.append("\"").append(key).append("\",\n");
        }
        lua.append("}\n")
            .append("local requests = {}\n")
            .append("local n = #tokens\n")
            .append("local i = 0\n")
            .append("init = function(args)\n")
            .append("  for j = 1, n do\n")
            .append("    requests[j] = wrk.format(\"POST\", \"").append(path).append("\", {[\"Authorization\"] = \"Bearer \" .. tokens[j],")
            .append(" [\"Content-Type\"] = \"application/json\"}, '{\"qty\":1,\"key\":\"' .. keys[j] .. '\"}')\n")
            .append("  end\n")
            .append("  i = math.random(n) - 1\n")
            .append("end\n")
            .append("request = function()\n")
            .append("  i = i % n + 1\n")
            .append("  return requests[i]\n")
            .append("end\n")
            .append("statuses = {}\n")
            .append("local threads = {}\n")
            .append("setup = function(thread) table.insert(threads, thread) end\n")
            .append("response = function(status, headers, body)\n")
            .append("  statuses[status] = (statuses[status] or 0) + 1\n")
            .append("end\n")
            .append("done = function(summary, latency, reqs)\n")
            .append("  local total = {}\n")
            .append("  for _, thread in ipairs(threads) do\n")
            .append("    for status, count in pairs(thread:get(\"statuses\")) do total[status] = (total[status] or 0) + count end\n")
            .append("  end\n")
            .append("  io.write(\"statuses:\")\n")
            .append("  for status, count in pairs(total) do io.write(\" \" .. status .. \"=\" .. count) end\n")
            .append("  io.write(\"\\n\")\n")
            .append("end\n");
        Files.writeString(file, lua, StandardCharsets.UTF_8);
    }
}
