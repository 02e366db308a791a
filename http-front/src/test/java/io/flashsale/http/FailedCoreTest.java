package io.flashsale.http;

import io.flashsale.engine.command.Outcome;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An embedded server (no process exit configured) whose ring fails: it stops reporting ready at
 * once and answers purchases 503 problem+json; nothing hangs.
 */
class FailedCoreTest
{
    @Test
    void aFailedRingMakesTheServerNotReadyAndRefusesPurchasesWith503() throws Exception
    {
        final ServerEnvironment environment = new ServerEnvironment().pipelineTweaks(pipeline -> pipeline.snapshots(engine ->
        {
            throw new IllegalStateException("injected engine bug");
        }));
        try (TestServer s = new TestServer(config -> { }, environment))
        {
            final long sale = s.createSale(100, 0, 2, 60);
            assertThat(s.get("/health/ready", null).status()).isEqualTo(200);
            assertThat(s.purchase(sale, "before", 1).status()).isEqualTo(201);

            final CompletableFuture<Outcome> snapshot = new CompletableFuture<>();
            assertThat(s.server.pipeline().snapshot(event -> snapshot.complete(event.outcome), null)).isEqualTo(Outcome.PENDING);

            assertThat(snapshot.get(20, TimeUnit.SECONDS)).isEqualTo(Outcome.ENGINE_ERROR);
            assertThat(s.server.isReady()).isFalse();
            s.get("/health/ready", null).problem(503, "SHUTTING_DOWN");
            s.purchase(sale, "after", 1).problem(503, "SHUTTING_DOWN");
        }
    }
}
