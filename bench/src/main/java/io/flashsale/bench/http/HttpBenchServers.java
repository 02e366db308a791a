package io.flashsale.bench.http;

import io.flashsale.engine.command.Outcome;
import io.flashsale.http.FlashsaleServer;
import io.flashsale.http.ServerEnvironment;
import io.flashsale.http.auth.Role;
import io.flashsale.http.auth.ShopperIds;
import io.flashsale.http.config.AuthSecret;
import io.flashsale.http.config.ServerConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starts the two servers that {@code scripts/bench-http} points wrk at, in one JVM: a bare Undertow
 * "ok" handler and the flashsale server with a sold-out sale and a sale with stock that will not run
 * out. Writes the wrk Lua scripts (pre-formatted requests, rotated over many shoppers, so the client
 * does the same work against every server) and prints {@code READY <bare port> <flashsale port>}.
 * Runs until killed.
 *
 * <p>Rate limits stay on but are loosened, and admission stays on (with that much stock p is 1), so
 * the purchase path measured is the real one: auth, limits, admission, ring, engine, reply.
 */
public final class HttpBenchServers
{
    public static void main(final String[] args) throws Exception
    {
        final Path out = Path.of(args.length > 0 ? args[0] : "target/bench-http");
        final int shoppers = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        final int ioThreads = Integer.parseInt(System.getProperty("bench.ioThreads", "2"));
        Files.createDirectories(out);

        final byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        final ServerConfig config = new ServerConfig();
        config.server.host = "127.0.0.1";
        config.server.port = 0;
        config.server.ioThreads = ioThreads;
        config.limits.shopper = new ServerConfig.Bucket(1_000_000, 1_000_000);
        config.limits.ip = new ServerConfig.Bucket(100_000_000, 100_000_000);
        config.limits.maxInFlight = 1 << 16;
        config.auth.tokenCacheSize = Math.max(100_000, shoppers * 2);
        config.core.waitStrategy = System.getProperty("bench.waitStrategy", config.core.waitStrategy);

        final BareOkServer bare = new BareOkServer("127.0.0.1", ioThreads);
        final FlashsaleServer flashsale = FlashsaleServer.start(config, new ServerEnvironment().secret(AuthSecret.of(secret, "bench")));
        final long now = System.currentTimeMillis();
        final long soldOut = createSale(flashsale, 1, now - 1000, 1);
        final long plenty = createSale(flashsale, Integer.MAX_VALUE, now - 1000, 1_000_000);
        // Sell the one unit of the sold-out sale so its view says SOLD_OUT.
        final CompletableFuture<Outcome> bought = new CompletableFuture<>();
        flashsale.pipeline().purchase(soldOut, 1, 1, 0, event -> bought.complete(event.outcome), null);
        if (bought.get(10, TimeUnit.SECONDS) != Outcome.RESERVED)
        {
            throw new IllegalStateException("could not sell out the sold-out sale");
        }
        Thread.sleep(100);

        final Instant expires = Instant.now().plus(Duration.ofHours(6));
        final String[] tokens = new String[shoppers];
        final String[] keysSoldOut = new String[shoppers];
        final String[] keysPlenty = new String[shoppers];
        for (int i = 0; i < shoppers; i++)
        {
            final String subject = "bench-shopper-" + i;
            tokens[i] = flashsale.tokenIssuer().issue(subject, Role.SHOPPER, expires);
            final long userId = ShopperIds.userId(subject);
            keysSoldOut[i] = flashsale.purchaseKeys().keyFor(soldOut, userId);
            keysPlenty[i] = flashsale.purchaseKeys().keyFor(plenty, userId);
        }
        writeLua(out.resolve("soldout.lua"), "/api/sales/" + soldOut + "/purchase", tokens, keysSoldOut);
        writeLua(out.resolve("purchase.lua"), "/api/sales/" + plenty + "/purchase", tokens, keysPlenty);

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            flashsale.close();
            bare.close();
        }));
        System.out.println("READY " + bare.port + " " + flashsale.port() + " " + soldOut + " " + plenty);
        System.out.flush();
        Thread.currentThread().join();
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
