package io.flashsale.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Demo mode adds a home page and a shopper-token endpoint; serve mode has neither. */
class DemoModeTest
{
    @Test
    void demoMintsShopperTokensThatTheApiAccepts()
    {
        try (TestServer s = new TestServer(config -> { }, new ServerEnvironment().demo(true)))
        {
            final long sale = s.createSale(5, 0, 1, 60);
            final TestServer.Response minted = s.post("/demo/token", null, "{\"name\":\"alice\"}");
            assertThat(minted.status()).as(minted.body()).isEqualTo(201);
            assertThat(minted.json().get("role").asText()).isEqualTo("shopper");
            final String token = minted.json().get("token").asText();
            final TestServer.Response key = s.get("/api/sales/" + sale + "/key", token);
            assertThat(key.status()).isEqualTo(200);
            assertThat(key.json().get("key").asText()).isEqualTo(s.keyFor(sale, "alice"));
            // A demo token is a shopper token, never an admin one.
            s.get("/admin/sales", token).problem(403, "FORBIDDEN");

            s.post("/demo/token", null, "{\"name\":\"<script>\"}").problem(400, "INVALID");
            s.post("/demo/token", null, "{\"name\":\"alice\",\"role\":\"admin\"}").problem(400, "INVALID");
            final TestServer.Response home = s.get("/", null);
            assertThat(home.status()).isEqualTo(200);
            assertThat(home.body()).contains("/demo/token");
        }
    }

    @Test
    void serveModeHasNoDemoRoutes()
    {
        try (TestServer s = new TestServer())
        {
            s.post("/demo/token", null, "{\"name\":\"alice\"}").problem(404, "NOT_FOUND");
            s.get("/", null).problem(404, "NOT_FOUND");
        }
    }
}
