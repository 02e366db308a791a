package io.flashsale.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

/**
 * Makes hostile HTTP requests from a seed: random and mutated methods, paths, headers, tokens and
 * bodies aimed at every route, as raw bytes. Most are well-formed HTTP/1.1 whose content is wrong
 * (they reach the handlers, which must answer each with a real outcome); some break HTTP itself
 * (request line, header syntax, lying lengths, random bytes), which the server may refuse however
 * it likes but must survive. The same seed makes the same request. One thread.
 */
final class HostileRequests
{
    /** One request: its bytes, whether it is well-formed HTTP, whether it is a HEAD, and a readable summary. */
    record Hostile(byte[] bytes, boolean wellFormed, boolean head, String summary)
    {
    }

    /** What the fuzz can aim at: existing sales and orders, and who may hold tokens for them. */
    record World(long openSale, long futureSale, long soldOutSale, long[] orders, String[] shoppers,
        String[] shopperTokens, String adminToken, String expiredToken, String foreignToken,
        BiFunction<Long, Integer, String> purchaseKey)
    {
    }

    private static final String[] TEMPLATES = {
        "GET /api/time", "GET /api/sales/{sale}", "GET /api/sales/{sale}/key", "POST /api/sales/{sale}/purchase",
        "GET /api/orders/{order}", "POST /api/orders/{order}/pay", "POST /api/orders/{order}/cancel",
        "GET /admin/sales", "POST /admin/sales", "GET /admin/sales/{sale}", "GET /health/live", "GET /health/ready",
        "GET /metrics", "GET /", "POST /demo/token", "GET /assets/app.js", "GET /page/current-sale"};
    private static final String[] ODD_METHODS = {"PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "get", "Post", "FOO", "M-SEARCH"};
    private static final String[] ODD_IDS = {"0", "-1", "abc", "1.0", "1e3", "00001", "99999999999999999999", "9007199254740993",
        "%31", "%20", "%2e%2e", "..", "%00", "%C3%A9", "%E2%82%AC", "+1", "0x10", "%EF%BC%91"};
    private static final String[] CONTENT_TYPES = {"application/json", "application/json; charset=utf-8", "APPLICATION/JSON",
        "text/plain", "application/jsonx", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ";", "*/*"};

    private final World world;

    HostileRequests(final World world)
    {
        this.world = world;
    }

    Hostile make(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final Parts parts = wellFormed(random);
        if (random.nextInt(100) < 15)
        {
            return breakHttp(parts, random);
        }
        return new Hostile(parts.bytes(), true, parts.method.equals("HEAD"), parts.summary());
    }

    /** A request being built: its line, headers and body, all mutable until rendered. */
    private static final class Parts
    {
        String method;
        String target;
        String version = "HTTP/1.1";
        final List<String[]> headers = new ArrayList<>();
        byte[] body;
        boolean chunked;

        byte[] bytes()
        {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            write(out, method + " " + target + " " + version + "\r\n");
            for (final String[] header : headers)
            {
                write(out, header[0] + ": " + header[1] + "\r\n");
            }
            if (body != null && chunked)
            {
                write(out, "Transfer-Encoding: chunked\r\n\r\n");
                write(out, Integer.toHexString(body.length) + "\r\n");
                out.writeBytes(body);
                write(out, "\r\n0\r\n\r\n");
            }
            else if (body != null)
            {
                write(out, "Content-Length: " + body.length + "\r\n\r\n");
                out.writeBytes(body);
            }
            else
            {
                write(out, "\r\n");
            }
            return out.toByteArray();
        }

        String summary()
        {
            final StringBuilder text = new StringBuilder(method).append(' ').append(target);
            for (final String[] header : headers)
            {
                text.append(" | ").append(header[0]).append(": ").append(header[1].length() > 60 ? header[1].substring(0, 60) + "..." : header[1]);
            }
            if (body != null)
            {
                final String shown = new String(body, StandardCharsets.ISO_8859_1);
                text.append(chunked ? " | chunked " : " | body ").append(shown.length() > 200 ? shown.substring(0, 200) + "..." : shown);
            }
            return text.toString();
        }

        private static void write(final ByteArrayOutputStream out, final String text)
        {
            out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    private Parts wellFormed(final SplittableRandom random)
    {
        final Parts parts = new Parts();
        final String template = TEMPLATES[random.nextInt(TEMPLATES.length)];
        final int space = template.indexOf(' ');
        parts.method = random.nextInt(100) < 80 ? template.substring(0, space) : ODD_METHODS[random.nextInt(ODD_METHODS.length)];
        final int shopper = random.nextInt(world.shoppers().length);
        final long sale = pickSale(random);
        parts.target = path(template.substring(space + 1), sale, random);
        parts.headers.add(new String[] {"Host", "flashsale"});
        parts.headers.add(new String[] {"Connection", "close"});
        final String authorization = authorization(random, shopper);
        if (authorization != null)
        {
            parts.headers.add(new String[] {"Authorization", authorization});
        }
        if (random.nextInt(100) < 20)
        {
            parts.headers.add(new String[] {"Idempotency-Key", idempotencyKey(random)});
        }
        for (int i = random.nextInt(4) == 0 ? random.nextInt(5) : 0; i > 0; i--)
        {
            parts.headers.add(new String[] {"X-Fuzz-" + i, printable(random, random.nextInt(80))});
        }
        if (parts.method.equals("POST") || random.nextInt(100) < 10)
        {
            parts.body = body(template, sale, shopper, random);
            parts.chunked = parts.body != null && random.nextInt(100) < 10;
            if (parts.body != null && random.nextInt(100) < 90)
            {
                parts.headers.add(new String[] {"Content-Type", random.nextInt(100) < 80 ? "application/json" : CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)]});
            }
        }
        return parts;
    }

    private long pickSale(final SplittableRandom random)
    {
        return switch (random.nextInt(6))
        {
            case 0, 1, 2 -> world.openSale();
            case 3 -> world.futureSale();
            case 4 -> world.soldOutSale();
            default -> 1 + random.nextInt(50);
        };
    }

    private String path(final String template, final long sale, final SplittableRandom random)
    {
        String path = template;
        if (path.contains("{sale}"))
        {
            path = path.replace("{sale}", random.nextInt(100) < 80 ? Long.toString(sale) : ODD_IDS[random.nextInt(ODD_IDS.length)]);
        }
        if (path.contains("{order}"))
        {
            final String order = switch (random.nextInt(5))
            {
                case 0, 1, 2 -> Long.toString(world.orders()[random.nextInt(world.orders().length)]);
                case 3 -> Long.toString(1 + random.nextInt(1000));
                default -> ODD_IDS[random.nextInt(ODD_IDS.length)];
            };
            path = path.replace("{order}", order);
        }
        switch (random.nextInt(20))
        {
            case 0 -> path = path + "/";
            case 1 -> path = path.replace("/api/", "//api/");
            case 2 -> path = path.toUpperCase(java.util.Locale.ROOT);
            case 3 -> path = path + "/extra";
            case 4 -> path = path.substring(0, Math.max(1, path.lastIndexOf('/')));
            case 5 -> path = path + "?" + printableQuery(random);
            case 6 -> path = path.replace("/api/", "/api/../admin/");
            case 7 -> path = path.replace("a", "%61");
            case 8 -> path = "/" + printableQuery(random).replace('&', '/');
            default ->
            {
            }
        }
        return path;
    }

    private String authorization(final SplittableRandom random, final int shopper)
    {
        final String own = world.shopperTokens()[shopper];
        return switch (random.nextInt(14))
        {
            case 0, 1, 2, 3, 4 -> "Bearer " + own;
            case 5, 6 -> "Bearer " + world.adminToken();
            case 7 -> null;
            case 8 -> "Bearer " + world.expiredToken();
            case 9 -> "Bearer " + world.foreignToken();
            case 10 -> "Bearer " + mutate(own, random);
            case 11 -> random.nextBoolean() ? "Basic YWxpY2U6c2VjcmV0" : "Bearer";
            case 12 -> "Bearer " + printable(random, random.nextInt(8_000));
            default -> "bearer " + own + (random.nextBoolean() ? "   " : "");
        };
    }

    private static String idempotencyKey(final SplittableRandom random)
    {
        return switch (random.nextInt(5))
        {
            case 0 -> "";
            case 1 -> "k".repeat(65);
            case 2 -> "has space";
            case 3 -> "k-" + random.nextInt(3); // repeats: replays of earlier answers
            default -> "key-" + random.nextLong();
        };
    }

    private byte[] body(final String template, final long sale, final int shopper, final SplittableRandom random)
    {
        final String valid = switch (template)
        {
            case "POST /api/sales/{sale}/purchase" -> "{\"qty\":" + (1 + random.nextInt(2)) + ",\"key\":\""
                + world.purchaseKey().apply(random.nextInt(10) == 0 ? sale + 1 : sale, shopper) + "\"}";
            case "POST /api/orders/{order}/pay" -> "{\"paymentRef\":\"ref-" + random.nextInt(1000) + "\"}";
            case "POST /api/orders/{order}/cancel" -> random.nextBoolean() ? "{}" : null;
            case "POST /admin/sales" -> "{\"name\":\"Fuzz\",\"stock\":" + (1 + random.nextInt(100)) + ",\"startsAt\":\"2029-12-31T00:00:00Z\","
                + "\"endsAt\":\"2030-02-01T00:00:00Z\",\"perUserLimit\":3,\"paymentWindowSeconds\":3600}";
            case "POST /demo/token" -> "{\"name\":\"fuzz" + random.nextInt(100) + "\"}";
            default -> "{\"unexpected\":true}";
        };
        if (valid == null)
        {
            return null;
        }
        if (random.nextInt(100) < 8)
        {
            final byte[] noise = new byte[random.nextInt(6_000)];
            random.nextBytes(noise);
            return noise;
        }
        byte[] body = valid.getBytes(StandardCharsets.UTF_8);
        for (int mutations = random.nextInt(4); mutations > 0; mutations--)
        {
            body = mutate(body, random);
        }
        return body;
    }

    private static final String[] JSON_VALUES = {"null", "true", "-1", "0", "1.5", "1e309", "-9223372036854775809", "99999999999999999999",
        "\"\"", "\"1\"", "[]", "{}", "[1,2]", "{\"a\":{\"b\":1}}", "\"\\u0000\"", "\"\\ud800\"", "NaN", "'x'"};

    private static byte[] mutate(final byte[] body, final SplittableRandom random)
    {
        final String text = new String(body, StandardCharsets.ISO_8859_1);
        final int at = body.length == 0 ? 0 : random.nextInt(body.length);
        final String mutated = switch (random.nextInt(10))
        {
            case 0 -> text.substring(0, at) + (char)random.nextInt(256) + text.substring(Math.min(text.length(), at + 1));
            case 1 -> text.substring(0, at);
            case 2 -> text.substring(0, at) + printable(random, random.nextInt(20)) + text.substring(at);
            case 3 -> text.replaceFirst(":[^,}]*", ":" + JSON_VALUES[random.nextInt(JSON_VALUES.length)]);
            case 4 -> text.replaceFirst("\\{", "{\"extra\":1,");
            case 5 -> text.replaceFirst("\"[a-zA-Z]+\":[^,}]*,?", "");
            case 6 -> "[".repeat(2_000) + "]".repeat(2_000);
            case 7 -> text.replaceFirst(":\"", ":\"" + "x".repeat(3_000 + random.nextInt(3_000)));
            case 8 -> text + text;
            default -> text.replaceFirst("\\{", "{\"qty\":1,");
        };
        return mutated.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String mutate(final String token, final SplittableRandom random)
    {
        final char[] chars = token.toCharArray();
        // Never the last character: base64 may ignore its low bits, so the "mutation" could be no change.
        final int at = random.nextInt(chars.length - 1);
        chars[at] = chars[at] == 'A' ? 'B' : 'A';
        return new String(chars);
    }

    /** The same request, now broken as HTTP. */
    private Hostile breakHttp(final Parts parts, final SplittableRandom random)
    {
        final byte[] good = parts.bytes();
        final String text = new String(good, StandardCharsets.ISO_8859_1);
        final int headEnd = text.indexOf("\r\n\r\n");
        final String broken = switch (random.nextInt(16))
        {
            case 0 -> text.replaceFirst("HTTP/1\\.1", "HTTP/2.0");
            case 1 -> text.replaceFirst(" HTTP/1\\.1", "");
            case 2 -> text.replaceFirst(" /", "  /");
            case 3 -> text.replaceFirst(" /", " /%zz");
            case 4 -> text.replaceFirst(" /", " /\u00e9\u0001");
            case 5 -> text.replaceFirst("Host: flashsale", "Host flashsale");
            case 6 -> text.replaceFirst("Host: flashsale", "Bad Header: x");
            case 7 -> text.replaceFirst("Host: flashsale\r\n", "Host: flashsale\r\n folded\r\n");
            case 8 -> text.replace("\r\n", "\n");
            case 9 -> text.replaceFirst("Connection: close", "Connection: close\r\nContent-Length: -5");
            case 10 -> text.replaceFirst("Connection: close", "Connection: close\r\nContent-Length: 10\r\nTransfer-Encoding: chunked");
            case 11 -> text.replaceFirst("Connection: close", "Connection: close\r\nX-Big: " + "b".repeat(1_100_000));
            case 12 -> text.replaceFirst("Connection: close", "Connection: close" + "\r\nX-Many: 1".repeat(300));
            case 13 -> headEnd < 0 ? text : text.substring(0, headEnd) + "\r\nContent-Length: 99999" + text.substring(headEnd);
            case 14 -> text.replaceFirst(" /", " http://elsewhere.example/");
            default ->
            {
                final byte[] noise = new byte[1 + random.nextInt(2_000)];
                random.nextBytes(noise);
                yield new String(noise, StandardCharsets.ISO_8859_1);
            }
        };
        return new Hostile(broken.getBytes(StandardCharsets.ISO_8859_1), false, parts.method.equals("HEAD"), "BROKEN HTTP: "
            + printableSummary(broken));
    }

    private static String printableSummary(final String raw)
    {
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(raw.length(), 300); i++)
        {
            final char c = raw.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int)c & 0xff));
        }
        return out.toString();
    }

    private static String printable(final SplittableRandom random, final int length)
    {
        final StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            text.append((char)(0x21 + random.nextInt(0x7e - 0x21)));
        }
        return text.toString();
    }

    private static String printableQuery(final SplittableRandom random)
    {
        final String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-._~=&";
        final StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(1, 30); i > 0; i--)
        {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }
}
