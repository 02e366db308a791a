package io.flashsale.bench.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WrkTest
{
    @Test
    void readsRequestsPerSecondAndTheLatencyDistribution()
    {
        final Wrk.Result result = Wrk.parse("""
            Running 10s test @ http://127.0.0.1:8080/
              1 threads and 64 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency     1.10ms  300.00us  12.00ms   90.00%
                Req/Sec    58.00k     2.00k   62.00k    80.00%
              Latency Distribution
                 50%  823.00us
                 75%    1.10ms
                 90%    1.50ms
                 99%    3.20ms
              580000 requests in 10.00s, 40.00MB read
            Requests/sec:  57999.12
            Transfer/sec:      4.00MB
            """);

        assertThat(result.requestsPerSecond()).isEqualTo(57999.12);
        assertThat(result.p50Micros()).isEqualTo(823);
        assertThat(result.p90Micros()).isEqualTo(1500);
        assertThat(result.p99Micros()).isEqualTo(3200);
    }
}
