package io.flashsale.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Forged, altered and misused bearer tokens, each sent to every route that needs one (shopper and
 * admin, reads and writes): none is accepted, each gets a 401 problem (403 for a genuine token of
 * the wrong role), a second try is refused too (nothing bad is cached), and nothing changes in the
 * engine: no sale created, no unit bought, the victim's order untouched.
 */
class JwtAttackTest
{
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static TestServer s;
    private static long sale;
    private static long victimOrder;
    private static JsonNode before;
    private static int salesBefore;

    @BeforeAll
    static void start()
    {
        s = new TestServer();
        sale = s.createSale(10, 0, 2, 3600);
        final TestServer.Response bought = s.purchase(sale, "victim", 1);
        assertThat(bought.status()).isEqualTo(201);
        victimOrder = bought.json().get("orderId").asLong();
        before = s.adminSale(sale);
        salesBefore = s.get("/admin/sales", s.admin).json().size();
    }

    @AfterAll
    static void stop()
    {
        // The books after every attack are the books before any.
        final JsonNode after = s.adminSale(sale);
        for (final String field : List.of("available", "reserved", "paid", "cancelled", "expired", "distinctBuyers"))
        {
            assertThat(after.get(field).asLong()).as(field).isEqualTo(before.get(field).asLong());
        }
        assertThat(s.get("/admin/sales", s.admin).json().size()).isEqualTo(salesBefore);
        assertThat(s.get("/api/orders/" + victimOrder, s.shopper("victim")).json().get("state").asText()).isEqualTo("RESERVED");
        s.close();
    }

    /** One attack: a token and the status it must get (401, or 403 for a genuine token of the wrong role). */
    record Attack(String name, String token, int status, boolean adminRoutesOnly)
    {
        @Override
        public String toString()
        {
            return name;
        }
    }

    static List<Attack> attacks()
    {
        final long now = s.clock.get() / 1000;
        final String header = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
        final String shopper = "{\"sub\":\"victim\",\"role\":\"shopper\",\"exp\":" + (now + 3600) + "}";
        final String admin = "{\"sub\":\"mallory\",\"role\":\"admin\",\"exp\":" + (now + 3600) + "}";
        final byte[] key = TestServer.SECRET;
        final String genuine = s.shopper("victim");
        final String[] parts = genuine.split("\\.");
        final List<Attack> attacks = new ArrayList<>();
        for (final String claims : List.of(shopper, admin))
        {
            final String who = claims == shopper ? "shopper" : "admin";
            attacks.add(new Attack("alg none, no signature (" + who + ")", unsigned("{\"alg\":\"none\",\"typ\":\"JWT\"}", claims), 401, false));
            attacks.add(new Attack("alg None (" + who + ")", unsigned("{\"alg\":\"None\"}", claims), 401, false));
            attacks.add(new Attack("alg none with an HS256 signature (" + who + ")",
                jwt("{\"alg\":\"none\"}", claims, "HmacSHA256", key), 401, false));
            attacks.add(new Attack("no alg (" + who + ")", jwt("{\"typ\":\"JWT\"}", claims, "HmacSHA256", key), 401, false));
            attacks.add(new Attack("alg switched to HS512, right key (" + who + ")", jwt("{\"alg\":\"HS512\"}", claims, "HmacSHA512", key), 401, false));
            attacks.add(new Attack("alg switched to HS384, right key (" + who + ")", jwt("{\"alg\":\"HS384\"}", claims, "HmacSHA384", key), 401, false));
            attacks.add(new Attack("alg switched to RS256, HMAC signature (" + who + ")", jwt("{\"alg\":\"RS256\"}", claims, "HmacSHA256", key), 401, false));
            attacks.add(new Attack("alg hs256 in lower case (" + who + ")", jwt("{\"alg\":\"hs256\"}", claims, "HmacSHA256", key), 401, false));
            attacks.add(new Attack("wrong key (" + who + ")", jwt(header, claims, "HmacSHA256",
                "a-secret-that-is-not-the-servers-secret-0123".getBytes(StandardCharsets.UTF_8)), 401, false));
            attacks.add(new Attack("empty key (" + who + ")", jwt(header, claims, "HmacSHA256", new byte[1]), 401, false));
            attacks.add(new Attack("signature stripped, dot kept (" + who + ")", unsigned(header, claims), 401, false));
            attacks.add(new Attack("signature stripped, two parts (" + who + ")", b64(header) + "." + b64(claims), 401, false));
        }
        // Tampered claims under the genuine signature of a shopper token.
        attacks.add(new Attack("role raised to admin", parts[0] + "." + b64(admin.replace("mallory", "victim")) + "." + parts[2], 401, false));
        attacks.add(new Attack("subject changed", parts[0] + "." + b64(shopper.replace("victim", "eve")) + "." + parts[2], 401, false));
        attacks.add(new Attack("expiry extended", parts[0] + "." + b64(shopper.replace(Long.toString(now + 3600), Long.toString(now + 86_400 * 365))) + "." + parts[2], 401, false));
        attacks.add(new Attack("signature of another token", parts[0] + "." + b64(admin) + "." + s.admin.split("\\.")[2], 401, false));
        attacks.add(new Attack("signature flipped", parts[0] + "." + parts[1] + "." + flip(parts[2]), 401, false));
        attacks.add(new Attack("header swapped for alg none", b64("{\"alg\":\"none\"}") + "." + parts[1] + "." + parts[2], 401, false));
        attacks.add(new Attack("extra segment", genuine + ".AAAA", 401, false));
        // Correctly signed, but not valid now or not well formed.
        attacks.add(new Attack("expired a second ago", jwt(header, shopper.replace(Long.toString(now + 3600), Long.toString(now - 1)), "HmacSHA256", key), 401, false));
        attacks.add(new Attack("expired a year ago", jwt(header, admin.replace(Long.toString(now + 3600), Long.toString(now - 86_400 * 365)), "HmacSHA256", key), 401, false));
        attacks.add(new Attack("expires this very second", jwt(header, shopper.replace(Long.toString(now + 3600), Long.toString(now)), "HmacSHA256", key), 401, false));
        attacks.add(new Attack("not valid before an hour from now", jwt(header, shopper.replace("}", ",\"nbf\":" + (now + 3600) + "}"), "HmacSHA256", key), 401, false));
        attacks.add(new Attack("issued in the future", jwt(header, shopper.replace("}", ",\"iat\":" + (now + 3600) + "}"), "HmacSHA256", key), 401, false));
        attacks.add(new Attack("no expiry", jwt(header, "{\"sub\":\"victim\",\"role\":\"admin\"}", "HmacSHA256", key), 401, false));
        attacks.add(new Attack("expiry as a string", jwt(header, admin.replace(Long.toString(now + 3600), "\"" + (now + 3600) + "\""), "HmacSHA256", key), 401, false));
        attacks.add(new Attack("role ADMIN in capitals", jwt(header, admin.replace("\"admin\"", "\"ADMIN\""), "HmacSHA256", key), 401, false));
        attacks.add(new Attack("role as an array", jwt(header, admin.replace("\"admin\"", "[\"admin\"]"), "HmacSHA256", key), 401, false));
        attacks.add(new Attack("empty subject", jwt(header, admin.replace("mallory", ""), "HmacSHA256", key), 401, false));
        attacks.add(new Attack("payload not JSON", b64(header) + "." + b64("admin") + "." + mac("HmacSHA256", key, b64(header) + "." + b64("admin")), 401, false));
        // A genuine shopper token is a shopper's, whatever it is used for.
        attacks.add(new Attack("a shopper token on admin routes", genuine, 403, true));
        return attacks;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void noForgedAlteredOrMisusedTokenIsAccepted(final Attack attack)
    {
        final String key = s.keyFor(sale, "victim");
        final List<String[]> routes = new ArrayList<>(List.of(
            new String[] {"GET", "/admin/sales", null},
            new String[] {"GET", "/admin/sales/" + sale, null},
            new String[] {"POST", "/admin/sales", "{\"name\":\"Forged\",\"stock\":1000,\"startsAt\":\"2030-01-01T00:00:00Z\","
                + "\"endsAt\":\"2030-01-02T00:00:00Z\",\"perUserLimit\":1000,\"paymentWindowSeconds\":60}"}));
        if (!attack.adminRoutesOnly())
        {
            routes.addAll(List.of(
                new String[] {"GET", "/api/sales/" + sale + "/key", null},
                new String[] {"POST", "/api/sales/" + sale + "/purchase", "{\"qty\":1,\"key\":\"" + key + "\"}"},
                new String[] {"GET", "/api/orders/" + victimOrder, null},
                new String[] {"POST", "/api/orders/" + victimOrder + "/pay", "{\"paymentRef\":\"stolen\"}"},
                new String[] {"POST", "/api/orders/" + victimOrder + "/cancel", null}));
        }
        for (final String[] route : routes)
        {
            for (int attempt = 1; attempt <= 2; attempt++) // the second time would come from a cache, if anything were cached
            {
                final TestServer.Response answer = s.send(s.request(route[1], attack.token())
                    .method(route[0], route[2] == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(route[2]))
                    .header("Content-Type", "application/json").build());
                assertThat(answer.status()).as("%s %s, attempt %d: %s", route[0], route[1], attempt, answer.body()).isEqualTo(attack.status());
                answer.problem(attack.status(), attack.status() == 403 ? "FORBIDDEN" : answer.json().get("outcome").asText());
                if (attack.status() == 401)
                {
                    assertThat(answer.json().get("outcome").asText()).isIn("UNAUTHENTICATED", "TOKEN_EXPIRED");
                    assertThat(answer.header("WWW-Authenticate")).isEqualTo("Bearer");
                }
            }
        }
    }

    private static String jwt(final String header, final String claims, final String macAlgorithm, final byte[] key)
    {
        final String signed = b64(header) + "." + b64(claims);
        return signed + "." + mac(macAlgorithm, key, signed);
    }

    private static String unsigned(final String header, final String claims)
    {
        return b64(header) + "." + b64(claims) + ".";
    }

    private static String mac(final String algorithm, final byte[] key, final String signed)
    {
        try
        {
            final Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return B64.encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
        }
        catch (final java.security.GeneralSecurityException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static String b64(final String json)
    {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The signature with its first byte changed (not its last character, whose low bits base64 may ignore). */
    private static String flip(final String signature)
    {
        final byte[] raw = Base64.getUrlDecoder().decode(signature);
        raw[0] ^= 0x01;
        return B64.encodeToString(raw);
    }
}
