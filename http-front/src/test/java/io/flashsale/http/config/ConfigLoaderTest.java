package io.flashsale.http.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The YAML file, its validation messages, and where the JWT secret comes from. */
class ConfigLoaderTest
{
    @TempDir
    Path dir;

    private ServerConfig parse(final String yaml)
    {
        return ConfigLoader.parse(yaml.getBytes(StandardCharsets.UTF_8), "test.yml");
    }

    @Test
    void everyKeyIsOptionalAndTheFileOverridesDefaults() throws Exception
    {
        final Path file = dir.resolve("flashsale.yml");
        Files.writeString(file, "server:\n  port: 9090\nadmission:\n  multiple: 3.5\nlimits:\n  shopper: {capacity: 4, refillPerSecond: 0.5}\n");
        final ServerConfig config = ConfigLoader.load(file).validate();
        assertThat(config.server.port).isEqualTo(9090);
        assertThat(config.admission.multiple).isEqualTo(3.5);
        assertThat(config.limits.shopper.capacity).isEqualTo(4);
        assertThat(config.limits.ip.capacity).isEqualTo(new ServerConfig().limits.ip.capacity);
        assertThat(ConfigLoader.load(null).validate().server.port).isEqualTo(8080);
        assertThat(parse("").validate().server.port).isEqualTo(8080);
    }

    @Test
    void replicationKeysAreReadAndContinueAloneWithAutomaticPromotionIsRefusedWithTheReason()
    {
        final ServerConfig primary = parse("replication:\n  link: 10.0.0.1:7400\n  mode: async\n  onStandbyLost: continue-alone\n").validate();
        assertThat(primary.replication.link).isEqualTo("10.0.0.1:7400");
        assertThat(primary.replication.mode).isEqualTo("async");
        assertThat(parse("").validate().replication.mode).isEqualTo("sync");
        assertThat(parse("").validate().replication.onStandbyLost).isEqualTo("stall");

        final ServerConfig twoPrimaries = parse("replication:\n  link: 10.0.0.1:7400\n  onStandbyLost: continue-alone\n  failoverAfterMillis: 3000\n");
        assertThatThrownBy(twoPrimaries::validate)
            .isInstanceOf(ConfigException.class)
            .satisfies(ex -> assertThat(((ConfigException)ex).problems()).anyMatch(problem ->
                problem.startsWith("replication.onStandbyLost: continue-alone cannot be combined with automatic promotion") &&
                    problem.contains("both would acknowledge")));
        assertThatThrownBy(() -> parse("replication:\n  link: nowhere\n  mode: eventually\n").validate())
            .isInstanceOf(ConfigException.class)
            .satisfies(ex -> assertThat(((ConfigException)ex).problems()).contains(
                "replication.mode: must be sync or async, was eventually", "replication.link: must be HOST:PORT, was nowhere (link address must be HOST:PORT, got nowhere)"));
    }

    @Test
    void automaticPromotionIsOffByDefaultAndItsDelayIsCheckedAgainstTheFloorAndThePeerTimeout()
    {
        assertThat(parse("").validate().replication.failoverAfterMillis).isZero();
        final ServerConfig standby = parse("replication:\n  primary: 10.0.0.1:7400\n  peerTimeoutMillis: 300\n  failoverAfterMillis: 500\n").validate();
        assertThat(standby.replication.failoverAfterMillis).isEqualTo(500);

        assertThatThrownBy(() -> parse("replication:\n  primary: 10.0.0.1:7400\n  peerTimeoutMillis: 50\n  failoverAfterMillis: 150\n").validate())
            .isInstanceOf(ConfigException.class)
            .satisfies(ex -> assertThat(((ConfigException)ex).problems()).anyMatch(problem ->
                problem.startsWith("replication.failoverAfterMillis: must be 0 (off) or between 200 and 600000") &&
                    problem.contains("superseded while alive") && problem.endsWith("was 150")));
        // The default peer timeout is 1000 ms: a shorter failover would take over before the primary stops acknowledging.
        assertThatThrownBy(() -> parse("replication:\n  primary: 10.0.0.1:7400\n  failoverAfterMillis: 500\n").validate())
            .isInstanceOf(ConfigException.class)
            .satisfies(ex -> assertThat(((ConfigException)ex).problems()).anyMatch(problem ->
                problem.startsWith("replication.failoverAfterMillis: must be at least replication.peerTimeoutMillis (1000)") &&
                    problem.contains("lower peerTimeoutMillis on both nodes")));
        assertThatThrownBy(() -> parse("replication:\n  primary: 10.0.0.1:7400\n  failoverAfterMillis: -1\n").validate())
            .isInstanceOf(ConfigException.class);
    }

    @Test
    void anEdgesCoreIsOneAddressOrAListOfThemEachCheckedAndNoneTwice()
    {
        assertThat(parse("edge:\n  core: 10.0.0.1:7300\n").validate().edge.core).containsExactly("10.0.0.1:7300");
        assertThat(parse("edge:\n  core: [10.0.0.1:7300, 10.0.0.2:7300]\n").validate().edge.core)
            .containsExactly("10.0.0.1:7300", "10.0.0.2:7300");
        assertThat(parse("").validate().edge.core).isEmpty();
        assertThatThrownBy(() -> parse("edge:\n  core: [10.0.0.1:7300, nowhere, 10.0.0.1:7300]\n").validate())
            .isInstanceOf(ConfigException.class)
            .satisfies(ex -> assertThat(((ConfigException)ex).problems()).contains(
                "edge.core[1]: must be HOST:PORT, was nowhere (link address must be HOST:PORT, got nowhere)",
                "edge.core[2]: is given twice, was 10.0.0.1:7300"));
    }

    @Test
    void anUnknownKeyIsNamedWithTheKnownOnes()
    {
        assertThatThrownBy(() -> parse("limits:\n  shoper: {capacity: 1}\n"))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("unknown key 'limits.shoper'")
            .hasMessageContaining("shopper");
    }

    @Test
    void aWrongTypeNamesTheKeyAndTheExpectedType()
    {
        assertThatThrownBy(() -> parse("server:\n  port: eighty\n")).hasMessageContaining("server.port").hasMessageContaining("integer");
        assertThatThrownBy(() -> parse("server:\n  port: 80.5\n")).hasMessageContaining("server.port");
        assertThatThrownBy(() -> parse("server: [1, 2]\n")).hasMessageContaining("server");
        assertThatThrownBy(() -> parse("server:\n  port: [\n")).hasMessageContaining("test.yml");
    }

    @Test
    void validationReportsEveryProblemByKey()
    {
        final ServerConfig config = parse("server:\n  port: 70000\nadmission:\n  multiple: 0.5\n  alwaysAdmitPerSecond: -1\n  coreUtilization: 1.5\ncore:\n  ringSize: 1000\n  waitStrategy: FAST\n"
            + "  stageLayout: WIDE\nlimits:\n  trustedProxies: [10.0.0.0/8, lb.local]\n");
        assertThatThrownBy(config::validate)
            .isInstanceOf(ConfigException.class)
            .satisfies(ex -> assertThat(((ConfigException)ex).problems()).containsExactlyInAnyOrder(
                "server.port: must be between 0 and 65535, was 70000",
                "admission.multiple: must be between 1 and 1000, was 0.5",
                "admission.alwaysAdmitPerSecond: must be between 0 and 1000000, was -1.0",
                "admission.coreUtilization: must be more than 0 and at most 1, was 1.5",
                "core.ringSize: must be a power of two between 2 and 16777216, was 1000",
                "core.waitStrategy: must be one of PARKING, BLOCKING, SLEEPING, YIELDING, BUSY_SPIN, was FAST",
                "core.stageLayout: must be PARALLEL or SERIAL, was WIDE",
                "limits.trustedProxies[1]: must be an IP address or CIDR block, was lb.local"));
    }

    @Test
    void theSecretComesFromTheEnvironmentThenAFileThenTheConfig() throws Exception
    {
        final ServerConfig.Auth auth = new ServerConfig.Auth();
        auth.secret = "inline-secret-inline-secret-inline-secret";
        final Path file = dir.resolve("secret");
        Files.writeString(file, "file-secret-file-secret-file-secret-123\n");
        auth.secretFile = file.toString();
        final String env = "env-secret-env-secret-env-secret-env-secret";

        assertThat(AuthSecret.resolve(auth, Map.of(AuthSecret.ENV, env)).bytes()).isEqualTo(env.getBytes(StandardCharsets.UTF_8));
        assertThat(AuthSecret.resolve(auth, Map.of()).bytes()).isEqualTo("file-secret-file-secret-file-secret-123".getBytes(StandardCharsets.UTF_8));
        auth.secretFile = null;
        assertThat(AuthSecret.resolve(auth, Map.of()).source()).contains("auth.secret");
    }

    @Test
    void withoutASecretTheServerRefusesToStartAndSaysWhy()
    {
        assertThatThrownBy(() -> AuthSecret.resolve(new ServerConfig.Auth(), Map.of()))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("no JWT secret configured")
            .hasMessageContaining(AuthSecret.ENV);
        final ServerConfig.Auth shortSecret = new ServerConfig.Auth();
        shortSecret.secret = "short";
        assertThatThrownBy(() -> AuthSecret.resolve(shortSecret, Map.of())).hasMessageContaining("at least 32 bytes");
        final ServerConfig.Auth missingFile = new ServerConfig.Auth();
        missingFile.secretFile = dir.resolve("nope").toString();
        assertThatThrownBy(() -> AuthSecret.resolve(missingFile, Map.of())).hasMessageContaining("auth.secretFile");
    }
}
