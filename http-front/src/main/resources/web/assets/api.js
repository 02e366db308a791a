// The flashsale HTTP API as the page uses it. Every call answers a plain result and never throws
// for an HTTP status: the page turns each outcome into words, and network failures become the
// outcome NETWORK_ERROR. Errors from the server are RFC 9457 problems whose `outcome` field is
// the machine outcome (SOLD_OUT, NOT_ADMITTED, ...).

/**
 * One answer: ok (2xx), status, outcome (the problem's outcome, or `okOutcome` on success),
 * body (parsed JSON or null), retryAfterMs (from Retry-After, or null).
 */
function result(ok, status, outcome, body, retryAfterMs) {
  return { ok, status, outcome, body, retryAfterMs };
}

/** Retry-After in seconds (the only form the server sends) as ms; HTTP dates are not expected. */
function retryAfterMs(response) {
  const header = response.headers.get('Retry-After');
  const seconds = header === null ? NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : null;
}

/**
 * The API client. `tokenSource` is a function answering the bearer token or null.
 * Main thread only.
 */
export class Api {
  constructor(tokenSource) {
    this.tokenSource = tokenSource;
  }

  async call(method, path, { body, auth = false, okOutcome = 'OK', headers = {} } = {}) {
    const init = { method, cache: 'no-store', headers: { Accept: 'application/json', ...headers } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    if (auth) {
      const token = this.tokenSource();
      if (!token) {
        return result(false, 401, 'UNAUTHENTICATED', null, null);
      }
      init.headers.Authorization = `Bearer ${token}`;
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (failure) {
      return result(false, 0, 'NETWORK_ERROR', null, null);
    }
    let parsed = null;
    try {
      parsed = await response.json();
    } catch (notJson) {
      parsed = null;
    }
    if (response.ok) {
      return result(true, response.status, okOutcome, parsed, null);
    }
    const outcome = parsed && typeof parsed.outcome === 'string' ? parsed.outcome : `HTTP_${response.status}`;
    return result(false, response.status, outcome, parsed, retryAfterMs(response));
  }

  /** One clock sample: the server's epoch ms (read with 1 ms resolution). Throws when unreachable. */
  async time() {
    const answer = await this.call('GET', '/api/time');
    if (!answer.ok || !answer.body || !Number.isFinite(answer.body.epochMillis)) {
      throw new Error(`GET /api/time answered ${answer.status}`);
    }
    return { server: answer.body.epochMillis, resolution: 1 };
  }

  /** The id of the sale on now, else the next one; answered by the page's own handler. */
  currentSale() {
    return this.call('GET', '/page/current-sale');
  }

  sale(saleId) {
    return this.call('GET', `/api/sales/${saleId}`);
  }

  /** This shopper's purchase key; the server hands it out only once the sale has started. */
  purchaseKey(saleId) {
    return this.call('GET', `/api/sales/${saleId}/key`, { auth: true });
  }

  /** One unit. The idempotency key makes a retry of the same intent buy at most once. */
  purchase(saleId, purchaseKey, idempotencyKey) {
    return this.call('POST', `/api/sales/${saleId}/purchase`, {
      auth: true,
      body: { qty: 1, key: purchaseKey },
      headers: { 'Idempotency-Key': idempotencyKey },
      okOutcome: 'RESERVED',
    });
  }

  order(orderId) {
    return this.call('GET', `/api/orders/${orderId}`, { auth: true });
  }

  pay(orderId, paymentRef) {
    return this.call('POST', `/api/orders/${orderId}/pay`, { auth: true, body: { paymentRef }, okOutcome: 'PAID' });
  }

  cancel(orderId) {
    return this.call('POST', `/api/orders/${orderId}/cancel`, { auth: true, body: {}, okOutcome: 'CANCELLED' });
  }

  /** Demo mode only: a shopper token for a name. */
  demoToken(name) {
    return this.call('POST', '/demo/token', { body: { name } });
  }
}

/** A random token of 128 bits as hex; crypto.randomUUID needs a secure context, this does not. */
export function randomKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
