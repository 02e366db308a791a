package io.flashsale.http;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A sync primary and its standby as two servers in this JVM (real Aeron on 127.0.0.1): the standby
 * refuses writes; once the standby is gone, the primary stalls rather than acknowledge alone: not
 * ready (503 replication-stalled with the replication details), writes refused 503
 * replication-stalled, reads still served; a new standby in sync lifts the stall.
 */
class StallOnStandbyLostTest
{
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void aSyncPrimaryThatLosesItsStandbyStallsUntilAStandbyIsInSyncAgain() throws Exception
    {
        final String link = "127.0.0.1:" + freeUdpPort();
        try (TestServer primary = new TestServer(config -> config.replication.link = link, new ServerEnvironment()))
        {
            final long sale = primary.createSale(1_000, 0, 5, 600);
            try (TestServer standby = new TestServer(config -> config.replication.primary = link, new ServerEnvironment()))
            {
                await().atMost(PATIENCE).until(() -> primary.get("/health/ready", null).json().path("replication").path("inSync").asBoolean());
                assertThat(primary.purchase(sale, "ann", 1).status()).isEqualTo(201);
                standby.purchase(sale, "bob", 1).problem(503, "STANDBY");
                assertThat(standby.get("/health/ready", null).json().path("replication").path("role").asText()).isEqualTo("standby");
            }
            await().atMost(PATIENCE).until(() -> primary.get("/health/ready", null).status() == 503);
            final TestServer.Response ready = primary.get("/health/ready", null).problem(503, "REPLICATION_STALLED");
            assertThat(ready.json().path("replication").path("stalled").asBoolean()).isTrue();
            final TestServer.Response refused = primary.purchase(sale, "cid", 1).problem(503, "REPLICATION_STALLED");
            assertThat(refused.header("Retry-After")).isNotNull();
            assertThat(primary.get("/api/sales/" + sale, null).status()).isEqualTo(200);
            assertThat(primary.get("/metrics", null).body()).contains("flashsale_replication_stalled 1.0");

            try (TestServer second = new TestServer(config -> config.replication.primary = link, new ServerEnvironment()))
            {
                await().atMost(PATIENCE).until(() -> primary.get("/health/ready", null).status() == 200);
                assertThat(primary.purchase(sale, "cid", 1).status()).isEqualTo(201);
            }
        }
    }

    private static int freeUdpPort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
