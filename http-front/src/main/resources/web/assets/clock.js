// The server's clock, as the shopper's browser best knows it.
//
// Every shopper must see the sale start at the same instant, whatever their own clock says, so
// the page never reads the wall clock (Date): it reads the browser's monotonic clock
// (performance.now()) and adds an offset to server time, estimated from GET /api/time round
// trips the way NTP and Cristian's algorithm do.
//
// One round trip sent at local t0 and answered at local t1 with server time s says: when the
// server read its clock, the local clock was somewhere in [t0, t1]. So the offset (server minus
// local) lies in [s - t1, s - t0]: the midpoint s - (t0 + t1) / 2, give or take half the round
// trip. Several samples are combined by intersecting these intervals, starting from the shortest
// round trip (the most trusted); a sample whose interval does not meet what the better ones agree
// on is an outlier (a stalled request, a clock step) and is dropped. The estimate is the middle of
// what is left and the error is its half width: an honest bound, not a guess.

/** How far two clocks may drift apart, as a fraction: 100 ppm is generous for quartz. */
const DRIFT = 100e-6;

/**
 * Combines samples {t0, t1, server, resolution} (local monotonic ms, server epoch ms, server
 * clock resolution ms) into {offset, error, used, dropped}, or null without samples.
 * A pure function: the tests and the page share it.
 */
export function estimateOffset(samples) {
  if (samples.length === 0) {
    return null;
  }
  const intervals = samples
    .map((s) => {
      // The server read its clock somewhere in [server, server + resolution).
      const low = s.server - s.t1;
      const high = s.server + (s.resolution ?? 0) - s.t0;
      return { low, high, rtt: s.t1 - s.t0 };
    })
    .sort((a, b) => a.rtt - b.rtt);
  let { low, high } = intervals[0];
  let used = 1;
  for (const interval of intervals.slice(1)) {
    const nextLow = Math.max(low, interval.low);
    const nextHigh = Math.min(high, interval.high);
    if (nextLow <= nextHigh) {
      low = nextLow;
      high = nextHigh;
      used += 1;
    }
  }
  // performance.now() is coarsened by the browser (100 µs and jitter); never claim better.
  const error = Math.max((high - low) / 2, 0.1);
  return { offset: (low + high) / 2, error, used, dropped: intervals.length - used };
}

/**
 * The server clock: sync() samples GET /api/time, now() is server epoch milliseconds.
 * Main thread only (like everything on the page).
 */
export class ServerClock {
  /**
   * @param fetchTime async () => {server, resolution}: one GET /api/time
   * @param monotonic () => local monotonic ms; performance.now() unless a test says otherwise
   */
  constructor(fetchTime, monotonic = () => performance.now()) {
    this.fetchTime = fetchTime;
    this.monotonic = monotonic;
    this.estimate = null;
    this.estimatedAt = 0;
  }

  /** True once one sync succeeded; before that there is no time to show. */
  get synced() {
    return this.estimate !== null;
  }

  /** Server epoch ms now, or NaN before the first sync. */
  now() {
    return this.estimate ? this.monotonic() + this.estimate.offset : NaN;
  }

  /** The current error bound in ms: the estimate's, widened by the drift since it was made. */
  errorMs() {
    if (!this.estimate) {
      return NaN;
    }
    return this.estimate.error + (this.monotonic() - this.estimatedAt) * DRIFT;
  }

  /**
   * Takes `count` samples one after another and adopts their estimate when it is at least as
   * good as the current one has become (or always, with `force`: after the computer slept, the
   * monotonic clock may have stood still and the old offset is wrong). Failed samples are skipped;
   * throws only when every sample failed.
   */
  async sync(count, { force = false } = {}) {
    const samples = [];
    let lastFailure = null;
    for (let i = 0; i < count; i += 1) {
      try {
        const t0 = this.monotonic();
        const answer = await this.fetchTime();
        const t1 = this.monotonic();
        samples.push({ t0, t1, server: answer.server, resolution: answer.resolution });
      } catch (failure) {
        lastFailure = failure;
      }
    }
    if (samples.length === 0) {
      throw lastFailure ?? new Error('no clock samples');
    }
    const fresh = estimateOffset(samples);
    if (force || !this.estimate || fresh.error <= this.errorMs()) {
      this.estimate = fresh;
      this.estimatedAt = this.monotonic();
    }
    return fresh;
  }
}
