// The shopper page: one sale, its countdown on the server's clock, and the buy flow.
//
// Everything that depends on time reads ServerClock (server time estimated from GET /api/time),
// never Date.now(): a shopper whose computer is minutes off sees the same instant as everyone.
// The page holds its state in one object and re-renders the parts that changed; it runs on the
// main thread only. Stable data-testid hooks (README) are what tests and host shops rely on.

import { ServerClock } from './clock.js';
import { Api, randomKey } from './api.js';

const SYNC_SAMPLES = 8;
const RESYNC_SAMPLES = 4;
const RESYNC_EVERY_MS = 60_000;
/** A gap this long between ticks of a visible page means the computer slept: resync. */
const WAKE_GAP_MS = 5_000;
const MAX_AUTO_RETRIES = 30;
const TOKEN_KEY = 'flashsale.token';
const NAME_PATTERN = /^[A-Za-z0-9._@-]{1,64}$/;

const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);
const byId = (id) => document.getElementById(id);

const ui = {
  saleName: byTestId('sale-name'),
  terms: byId('sale-terms'),
  signinCard: byId('signin-card'),
  signinForm: byId('signin-form'),
  signinName: byTestId('signin-name'),
  signinButton: byTestId('signin'),
  signinError: byId('signin-error'),
  signedInAs: byTestId('signed-in-as'),
  shopSignin: byId('shop-signin'),
  countdownLabel: byId('countdown-label'),
  countdown: byTestId('countdown'),
  startsAt: byId('starts-at'),
  clockError: byTestId('clock-error'),
  available: byTestId('available'),
  availableLabel: byId('available-label'),
  buy: byTestId('buy'),
  buyHint: byId('buy-hint'),
  outcome: byTestId('outcome'),
  outcomeText: byId('outcome-text'),
  retryNote: byTestId('retry-note'),
  orderCard: byId('order-card'),
  orderState: byTestId('order-state'),
  payCountdown: byTestId('pay-countdown'),
  pay: byTestId('pay'),
  cancel: byTestId('cancel'),
  announcer: byId('announcer'),
};

const demo = document.querySelector('meta[name="flashsale-mode"]')?.content === 'demo';

const state = {
  token: null,
  shopper: null,
  /** What the page shows: {id, name, startsAtMs, endsAtMs, perUserLimit, paymentWindowSeconds, available}. */
  sale: null,
  saleProblem: null,
  explicitSale: new URLSearchParams(location.search).get('sale'),
  phase: 'loading',
  key: null,
  keyPending: false,
  keyRetryAt: 0,
  /** The idempotency key of the purchase being attempted; kept until a definite answer. */
  intent: null,
  attempts: 0,
  inFlight: false,
  /** Buy had the focus when it turned itself off for an attempt: give it back when it comes on again. */
  refocusBuy: false,
  retryAt: null,
  limitReached: false,
  order: null,
  orderMessage: '',
  lastTick: 0,
};

const api = new Api(() => state.token);
const clock = new ServerClock(() => api.time());

// ---------------------------------------------------------------- small helpers

function setText(element, text) {
  if (element.textContent !== text) {
    element.textContent = text;
  }
}

function setData(element, name, value) {
  if (element.dataset[name] !== value) {
    element.dataset[name] = value;
  }
}

/** Re-announces even an identical message: clear first, then set on the next task. */
function announce(message) {
  ui.announcer.textContent = '';
  setTimeout(() => { ui.announcer.textContent = message; }, 50);
}

function jittered(ms, spread = 0.5) {
  return ms + Math.random() * ms * spread;
}

function pad(n, width = 2) {
  return String(n).padStart(width, '0');
}

/** 93_723_400 ms as "1 d 02:02:03", 3_723_400 as "01:02:03", 83_400 as "01:23.4". */
export function formatDuration(ms) {
  const tenths = Math.floor(ms / 100) % 10;
  const totalSeconds = Math.floor(ms / 1000);
  const seconds = totalSeconds % 60;
  const minutes = Math.floor(totalSeconds / 60) % 60;
  const hours = Math.floor(totalSeconds / 3600) % 24;
  const days = Math.floor(totalSeconds / 86400);
  if (days > 0) {
    return `${days} d ${pad(hours)}:${pad(minutes)}:${pad(seconds)}`;
  }
  if (hours > 0) {
    return `${pad(hours)}:${pad(minutes)}:${pad(seconds)}`;
  }
  return `${pad(minutes)}:${pad(seconds)}.${tenths}`;
}

function formatInstant(epochMs) {
  // Formatting a given instant in the shopper's time zone does not read their (maybe wrong) clock.
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' }).format(epochMs);
}

// ---------------------------------------------------------------- sign-in

function storage() {
  try {
    return window.sessionStorage;
  } catch (sandboxed) {
    return null;
  }
}

/** The token's subject, for "signed in as"; the server verifies the token, the page only reads it. */
function subjectOf(token) {
  try {
    const payload = atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'));
    const utf8 = Uint8Array.from(payload, (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(utf8)).sub ?? null;
  } catch (notAJwt) {
    return null;
  }
}

function setToken(token) {
  state.token = token;
  state.shopper = token ? subjectOf(token) : null;
  try {
    if (token) {
      storage()?.setItem(TOKEN_KEY, token);
    } else {
      storage()?.removeItem(TOKEN_KEY);
    }
  } catch (full) {
    // Private modes may refuse storage; the token then lives as long as the tab.
  }
  // A new shopper starts afresh: their own key, no one else's order or outcome.
  clearRetry();
  state.key = null;
  state.keyRetryAt = 0;
  state.intent = null;
  state.attempts = 0;
  state.refocusBuy = false;
  state.limitReached = false;
  state.order = null;
  state.orderMessage = '';
  setOutcome('', '');
  renderSignin();
  renderOrder();
  renderBuy();
}

/** Outside demo mode the host shop passes the token in the URL fragment: /?sale=3#token=JWT. */
function takeTokenFromFragment() {
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (token) {
    // Out of the address bar and history, so it is not bookmarked or shared by accident.
    history.replaceState(null, '', location.pathname + location.search);
    setToken(token);
    return true;
  }
  return false;
}

async function signIn(event) {
  event.preventDefault();
  const name = ui.signinName.value.trim();
  if (!NAME_PATTERN.test(name)) {
    ui.signinName.setAttribute('aria-invalid', 'true');
    setText(ui.signinError, 'Use 1 to 64 letters, digits or . _ - @.');
    ui.signinName.focus();
    return;
  }
  ui.signinName.removeAttribute('aria-invalid');
  ui.signinButton.disabled = true;
  const answer = await api.demoToken(name);
  ui.signinButton.disabled = false;
  if (answer.ok) {
    setText(ui.signinError, '');
    setToken(answer.body.token);
    announce(`Signed in as ${state.shopper ?? name}.`);
  } else {
    setText(ui.signinError, answer.outcome === 'NETWORK_ERROR'
      ? 'Could not reach the shop. Try again.'
      : `Sign-in failed: ${answer.body?.detail ?? answer.outcome}.`);
  }
}

function signedOut(message) {
  setToken(null);
  setOutcome('UNAUTHENTICATED', message);
}

function renderSignin() {
  // Demo mode: the sign-in form. Shop mode: who the host shop signed in, or a note to sign in there.
  ui.signinCard.hidden = !demo && state.token === null;
  ui.signinForm.hidden = !demo;
  ui.shopSignin.hidden = demo || state.token !== null;
  const who = state.token ? (state.shopper ?? 'a shopper') : '';
  setData(ui.signedInAs, 'name', state.shopper ?? '');
  setText(ui.signedInAs, who ? `Signed in as ${who}` : 'Sign in to buy');
}

// ---------------------------------------------------------------- the sale

function saleFrom(body) {
  return {
    id: body.id,
    name: body.name,
    startsAtMs: Date.parse(body.startsAt),
    endsAtMs: Date.parse(body.endsAt),
    perUserLimit: body.perUserLimit,
    paymentWindowSeconds: body.paymentWindowSeconds,
    available: body.available,
  };
}

async function loadSale() {
  let saleId = state.explicitSale;
  if (saleId === null) {
    const current = await api.currentSale();
    if (!current.ok || current.body?.saleId == null) {
      showNoSale(current.ok ? 'There is no sale on or coming up right now.' : 'Could not reach the shop. Trying again…');
      setTimeout(loadSale, jittered(current.retryAfterMs ?? 10_000, 0.3));
      return;
    }
    saleId = String(current.body.saleId);
  }
  if (!/^[1-9][0-9]{0,15}$/.test(saleId)) {
    showNoSale(`There is no sale “${saleId}”.`);
    return;
  }
  const answer = await api.sale(saleId);
  if (answer.ok) {
    state.sale = saleFrom(answer.body);
    state.saleProblem = null;
    renderSale();
    scheduleSaleRefresh();
  } else if (answer.outcome === 'UNKNOWN_SALE') {
    showNoSale(`There is no sale ${saleId}.`);
  } else {
    showNoSale('Could not load the sale. Trying again…');
    setTimeout(loadSale, jittered(answer.retryAfterMs ?? 3_000, 0.3));
  }
}

function showNoSale(message) {
  state.saleProblem = message;
  document.body.dataset.sale = 'none';
  setText(ui.saleName, message);
  document.title = 'Flash sale';
  renderBuy();
}

/** Units available move all the time; refresh every second or two, spread so shoppers do not poll in step. */
function scheduleSaleRefresh() {
  const period = state.phase === 'open' ? 1_000 : 2_000;
  setTimeout(refreshSale, jittered(period * 0.75, 0.5));
}

async function refreshSale() {
  if (!state.sale) {
    return;
  }
  if (document.visibilityState === 'visible') {
    const answer = await api.sale(state.sale.id);
    if (answer.ok) {
      state.sale = saleFrom(answer.body);
      renderSale();
    }
  }
  if (state.phase === 'ended' && state.explicitSale === null) {
    // The sale is over: a page at / moves on to the next one, if there is one.
    setTimeout(switchToCurrentSale, 5_000);
    return;
  }
  scheduleSaleRefresh();
}

async function switchToCurrentSale() {
  const current = await api.currentSale();
  if (current.ok && current.body?.saleId != null && state.sale && current.body.saleId !== state.sale.id) {
    state.sale = null;
    state.key = null;
    state.order = null;
    setOutcome('', '');
    renderOrder();
    loadSale();
    return;
  }
  setTimeout(switchToCurrentSale, jittered(15_000, 0.3));
}

function renderSale() {
  const sale = state.sale;
  delete document.body.dataset.sale;
  setText(ui.saleName, sale.name);
  document.title = `${sale.name} · flash sale`;
  const limit = sale.perUserLimit === 1 ? 'one per shopper' : `up to ${sale.perUserLimit} per shopper`;
  setText(ui.terms, `Ends ${formatInstant(sale.endsAtMs)} · ${limit} · ${sale.paymentWindowSeconds} s to pay`);
  setText(ui.startsAt, `Starts ${formatInstant(sale.startsAtMs)} (your time zone)`);
  setData(ui.available, 'available', String(sale.available));
  setText(ui.available, String(sale.available));
  setText(ui.availableLabel, sale.available === 1 ? 'unit available' : 'units available');
  renderBuy();
}

// ---------------------------------------------------------------- the clock and the countdown

function phaseAt(now) {
  if (!state.sale || !Number.isFinite(now)) {
    return 'loading';
  }
  if (now >= state.sale.endsAtMs) {
    return 'ended';
  }
  return now >= state.sale.startsAtMs ? 'open' : 'scheduled';
}

function renderCountdown(now) {
  const phase = phaseAt(now);
  if (phase !== state.phase) {
    const started = state.phase === 'scheduled' && phase === 'open';
    state.phase = phase;
    if (started) {
      announce('The sale has started.');
    } else if (phase === 'ended') {
      announce('The sale has ended.');
    }
    renderBuy();
  }
  if (phase === 'loading') {
    setData(ui.countdown, 'remainingMs', '');
    setText(ui.countdown, '--:--:--');
    setText(ui.countdownLabel, clock.synced ? 'Starts in' : 'Syncing the clock');
    return;
  }
  const remaining = Math.max(0, Math.round(state.sale.startsAtMs - now));
  setData(ui.countdown, 'remainingMs', String(remaining));
  setData(ui.countdown, 'phase', phase);
  if (phase === 'scheduled') {
    setText(ui.countdownLabel, 'Starts in');
    setText(ui.countdown, formatDuration(remaining));
  } else if (phase === 'open') {
    setText(ui.countdownLabel, 'On sale now');
    setText(ui.countdown, `Ends in ${formatDuration(Math.max(0, state.sale.endsAtMs - now))}`);
  } else {
    setText(ui.countdownLabel, 'Sale over');
    setText(ui.countdown, 'Ended');
  }
}

function renderClockError() {
  if (!clock.synced) {
    return;
  }
  const error = Math.ceil(clock.errorMs());
  setData(ui.clockError, 'errorMs', String(error));
  setText(ui.clockError, `Synced to the shop's clock, ± ${error} ms`);
}

async function syncClock(count, force) {
  try {
    await clock.sync(count, { force });
    renderClockError();
    return true;
  } catch (unreachable) {
    if (!clock.synced) {
      setText(ui.clockError, "Can't reach the shop's clock. Retrying…");
    }
    return false;
  }
}

async function firstSync() {
  let delay = 1_000;
  while (!(await syncClock(SYNC_SAMPLES, true))) {
    await new Promise((resolve) => setTimeout(resolve, jittered(delay, 0.3)));
    delay = Math.min(delay * 2, 30_000);
  }
}

// ---------------------------------------------------------------- the purchase key

async function maybeFetchKey(now) {
  if (!state.token || state.key || state.keyPending || state.phase !== 'open') {
    return;
  }
  if (performance.now() < state.keyRetryAt) {
    return;
  }
  state.keyPending = true;
  const token = state.token;
  const answer = await api.purchaseKey(state.sale.id);
  state.keyPending = false;
  if (token !== state.token) {
    return; // another shopper signed in meanwhile
  }
  if (answer.ok) {
    state.key = answer.body.key;
    announce('You can buy now.');
  } else if (answer.outcome === 'NOT_STARTED') {
    // The estimate ran a hair early (it is within its ± error); ask again in a moment.
    state.keyRetryAt = performance.now() + jittered(100, 1);
  } else if (answer.outcome === 'UNAUTHENTICATED' || answer.outcome === 'TOKEN_EXPIRED') {
    signedOut(demo ? 'Your sign-in has expired. Please sign in again.' : 'Your sign-in has expired. Please sign in at the shop again.');
  } else {
    state.keyRetryAt = performance.now() + jittered(answer.retryAfterMs ?? 1_000);
  }
  renderBuy();
}

// ---------------------------------------------------------------- buying

function buyAvailability() {
  if (!state.sale) {
    return [false, state.saleProblem ?? 'Loading the sale…'];
  }
  if (state.phase === 'ended') {
    return [false, 'The sale has ended.'];
  }
  if (!state.token) {
    return [false, demo ? 'Sign in to buy.' : 'Sign in at the shop to buy.'];
  }
  if (state.phase !== 'open') {
    return [false, 'Buy opens when the sale starts.'];
  }
  if (!state.key) {
    return [false, 'Getting your purchase key…'];
  }
  if (state.inFlight) {
    return [false, 'Sending your order…'];
  }
  if (state.retryAt !== null) {
    return [false, 'Buy is paused while the page tries again for you.'];
  }
  if (state.order && state.order.state === 'RESERVED') {
    return [false, 'Pay for or cancel your reservation first.'];
  }
  if (state.limitReached) {
    return [false, 'Buy is off: you are at this sale’s per-shopper limit.'];
  }
  return [true, state.sale.available > 0
    ? 'One unit per click.'
    : 'None available right now; units that are not paid in time come back, so you may still try.'];
}

function renderBuy() {
  const [enabled, hint] = buyAvailability();
  ui.buy.disabled = !enabled;
  setText(ui.buyHint, hint);
}

function setOutcome(outcome, text) {
  setData(ui.outcome, 'outcome', outcome);
  setData(ui.outcome, 'attempts', String(state.attempts));
  setText(ui.outcomeText, text);
  ui.outcome.className = `outcome outcome-${outcome.toLowerCase().replace(/_/g, '-')}`;
}

function clearRetry() {
  clearTimeout(state.retryTimer);
  state.retryTimer = null;
  state.retryAt = null;
  ui.retryNote.hidden = true;
}

async function buy() {
  const [enabled] = buyAvailability();
  if (!enabled || !state.sale) {
    return;
  }
  state.intent ??= randomKey();
  state.refocusBuy ||= document.activeElement === ui.buy;
  state.inFlight = true;
  state.attempts += 1;
  renderBuy();
  if (state.attempts > 1) {
    // An automatic retry. The outcome is a live region, read out at every change of its words,
    // and retries come every second or so: its words stay, the note under it says what is going on.
    setData(ui.outcome, 'outcome', 'PENDING');
    setData(ui.outcome, 'attempts', String(state.attempts));
    ui.retryNote.hidden = false;
    setText(ui.retryNote, `Trying again now (attempt ${state.attempts})…`);
  } else {
    setOutcome('PENDING', 'Sending your order…');
  }
  const token = state.token;
  const answer = await api.purchase(state.sale.id, state.key, state.intent);
  state.inFlight = false;
  ui.retryNote.hidden = true;
  if (token === state.token) {
    onPurchaseAnswer(answer);
  }
  renderBuy();
  restoreBuyFocus();
}

/** A disabled button loses the focus to the page: put it back on Buy, unless the page moved it elsewhere meanwhile. */
function restoreBuyFocus() {
  if (!state.refocusBuy || ui.buy.disabled) {
    return;
  }
  state.refocusBuy = false;
  if (document.activeElement === null || document.activeElement === document.body) {
    ui.buy.focus();
  }
}

/** Problems the server marks as worth retrying later (429 and 503 with Retry-After). */
const RETRY_WORDS = {
  NOT_ADMITTED: 'Lots of shoppers are trying right now and this attempt was not let through (every attempt has the same chance).',
  BUSY: 'The shop is at capacity right now.',
  RATE_LIMITED: 'Too many attempts in a short time.',
  NOT_READY: 'The shop is starting up.',
  SHUTTING_DOWN: 'The shop is restarting.',
  JOURNAL_FAILED: 'The shop could not record the order; nothing was bought.',
};

function onPurchaseAnswer(answer) {
  const outcome = answer.outcome;
  if (outcome === 'RESERVED') {
    state.intent = null;
    state.sale.available = Math.max(0, state.sale.available - 1);
    showOrder(answer.body);
    setOutcome('RESERVED', `Reserved! Order ${answer.body.orderId} is yours if you pay in time.`);
    state.attempts = 0;
    renderSale();
    ui.pay.focus();
    return;
  }
  if (outcome in RETRY_WORDS) {
    scheduleRetry(answer, RETRY_WORDS[outcome]);
    return;
  }
  // A definite answer: the next click is a new attempt with a new idempotency key. Only when the
  // answer leaves it unknown whether the order went through is the key kept, so that pressing Buy
  // again cannot buy twice.
  const unknown = outcome === 'NETWORK_ERROR' || answer.status >= 500;
  if (!unknown) {
    state.intent = null;
  }
  // The outcome shows how many attempts it took (data-attempts); the next click counts afresh.
  reportOutcome(answer, unknown);
  state.attempts = 0;
}

function reportOutcome(answer, unknown) {
  const outcome = answer.outcome;
  switch (outcome) {
    case 'SOLD_OUT':
      state.sale.available = 0;
      renderSale();
      setOutcome(outcome, 'Sold out: every unit is taken. Units that are not paid in time come back, so you may try again.');
      break;
    case 'LIMIT_REACHED':
      state.limitReached = true;
      setOutcome(outcome, 'You already hold as many units as this sale allows per shopper.');
      break;
    case 'NOT_STARTED':
      state.key = null;
      state.keyRetryAt = performance.now() + jittered(200);
      setOutcome(outcome, 'The sale has not started yet. Buy opens when it does.');
      break;
    case 'ENDED':
      setOutcome(outcome, 'The sale has ended.');
      break;
    case 'BAD_PURCHASE_KEY':
      state.key = null;
      setOutcome(outcome, 'Your purchase key was not accepted; getting a fresh one. Press Buy again when it is enabled.');
      break;
    case 'UNAUTHENTICATED':
    case 'TOKEN_EXPIRED':
      signedOut(demo ? 'Please sign in again to buy.' : 'Please sign in at the shop again to buy.');
      break;
    case 'NETWORK_ERROR':
      setOutcome(outcome, 'Could not reach the shop. Pressing Buy again is safe: it will not buy twice.');
      break;
    default:
      setOutcome(outcome, unknown
        ? `Something went wrong at the shop (${answer.status}). Pressing Buy again is safe: it will not buy twice.`
        : `The shop refused this attempt: ${answer.body?.detail ?? outcome}.`);
  }
}

function scheduleRetry(answer, why) {
  if (state.attempts >= MAX_AUTO_RETRIES) {
    state.attempts = 0;
    setOutcome(answer.outcome, `${why} Still crowded after many tries: press Buy to try again.`);
    return;
  }
  // Never before Retry-After, and spread over half as long again so that everyone who was turned
  // away at the same moment does not come back at the same moment.
  const delay = jittered(answer.retryAfterMs ?? 1_000);
  state.retryAt = performance.now() + delay;
  if (state.attempts === 1) {
    // Once, not at every retry: the note that counts down to the next one is not a live region.
    announce('The page keeps trying for you automatically.');
  }
  setOutcome(answer.outcome, why);
  ui.retryNote.hidden = false;
  renderRetryNote();
  state.retryTimer = setTimeout(() => {
    clearRetry();
    buy();
  }, delay);
}

function renderRetryNote() {
  if (state.retryAt === null) {
    return;
  }
  const seconds = Math.max(0, (state.retryAt - performance.now()) / 1000);
  setText(ui.retryNote, `Trying again automatically in ${seconds.toFixed(1)} s (attempt ${state.attempts + 1}).`);
}

// ---------------------------------------------------------------- the order

const ORDER_WORDS = {
  RESERVED: 'Reserved for you. Pay before the time runs out.',
  PAID: 'Paid. Thank you! It is yours.',
  CANCELLED: 'Cancelled. The unit went back to the sale.',
  EXPIRED: 'Expired: the time to pay ran out and the unit went back to the sale.',
};

function showOrder(body) {
  state.order = {
    id: body.orderId,
    state: body.state,
    deadlineMs: Date.parse(body.paymentDeadline),
    busy: false,
    checking: false,
  };
  state.orderMessage = '';
  renderOrder();
}

function renderOrder() {
  const order = state.order;
  ui.orderCard.hidden = order === null;
  if (order === null) {
    setData(ui.orderState, 'state', '');
    return;
  }
  setData(ui.orderState, 'state', order.state);
  setData(ui.orderState, 'orderId', String(order.id));
  setText(ui.orderState, `Order ${order.id}: ${ORDER_WORDS[order.state] ?? order.state}${state.orderMessage ? ` ${state.orderMessage}` : ''}`);
  const open = order.state === 'RESERVED';
  ui.pay.hidden = !open;
  ui.cancel.hidden = !open;
  ui.pay.disabled = order.busy;
  ui.cancel.disabled = order.busy;
  ui.payCountdown.hidden = !open;
  renderPayCountdown(clock.now());
}

function renderPayCountdown(now) {
  const order = state.order;
  if (!order || order.state !== 'RESERVED' || !Number.isFinite(now)) {
    return;
  }
  const remaining = Math.max(0, Math.round(order.deadlineMs - now));
  setData(ui.payCountdown, 'remainingMs', String(remaining));
  setText(ui.payCountdown, remaining > 0 ? `Time left to pay: ${formatDuration(remaining)}` : 'Time to pay is up…');
  if (remaining === 0 && !order.checking && !order.busy) {
    // The server decides; ask it once the deadline has passed by its own clock.
    order.checking = true;
    setTimeout(checkOrder, 300);
  }
}

async function checkOrder() {
  const order = state.order;
  const answer = await api.order(order.id);
  if (state.order !== order) {
    return;
  }
  if (answer.ok && answer.body.state) {
    order.state = answer.body.state;
    if (order.state === 'EXPIRED') {
      state.limitReached = false;
      announce('Your reservation expired.');
    }
    renderOrder();
    renderBuy();
    if (order.state === 'RESERVED') {
      setTimeout(checkOrder, 1_000);
    }
  } else {
    setTimeout(checkOrder, jittered(answer.retryAfterMs ?? 2_000));
  }
}

/** Pay and Cancel: one request, then the order's new state in words. */
async function changeOrder(action) {
  const order = state.order;
  if (!order || order.busy || order.state !== 'RESERVED') {
    return;
  }
  order.busy = true;
  state.orderMessage = action === 'pay' ? 'Paying…' : 'Cancelling…';
  renderOrder();
  // The demo's payment: a real shop pays with its provider and passes the provider's reference.
  const answer = action === 'pay' ? await api.pay(order.id, `page-${randomKey()}`) : await api.cancel(order.id);
  order.busy = false;
  state.orderMessage = '';
  if (state.order !== order) {
    return;
  }
  const newState = {
    PAID: 'PAID',
    ALREADY_PAID: 'PAID',
    CANCELLED: 'CANCELLED',
    ALREADY_CANCELLED: 'CANCELLED',
    EXPIRED: 'EXPIRED',
  }[answer.ok ? (answer.body?.state ?? answer.outcome) : answer.outcome];
  if (newState) {
    order.state = newState;
    if (newState !== 'PAID') {
      state.limitReached = false;
    }
    ui.orderState.focus();
  } else if (answer.outcome === 'UNAUTHENTICATED' || answer.outcome === 'TOKEN_EXPIRED') {
    signedOut('Please sign in again, then pay from your orders.');
    return;
  } else if (answer.outcome === 'NETWORK_ERROR') {
    state.orderMessage = 'Could not reach the shop; try again.';
  } else {
    state.orderMessage = `The shop could not do that: ${answer.body?.detail ?? answer.outcome}.`;
  }
  renderOrder();
  renderBuy();
  refreshSoon();
}

function refreshSoon() {
  setTimeout(async () => {
    if (state.sale) {
      const answer = await api.sale(state.sale.id);
      if (answer.ok) {
        state.sale = saleFrom(answer.body);
        renderSale();
      }
    }
  }, 200);
}

// ---------------------------------------------------------------- the loop and the wiring

function tick() {
  const mono = performance.now();
  if (state.lastTick && mono - state.lastTick > WAKE_GAP_MS && document.visibilityState === 'visible') {
    syncClock(RESYNC_SAMPLES, true);
  }
  state.lastTick = mono;
  const now = clock.now();
  renderCountdown(now);
  renderClockError();
  renderPayCountdown(now);
  renderRetryNote();
  maybeFetchKey(now);
}

function frame() {
  tick();
  requestAnimationFrame(frame);
}

function start() {
  ui.orderState.tabIndex = -1;
  ui.signinForm.addEventListener('submit', signIn);
  ui.buy.addEventListener('click', buy);
  ui.pay.addEventListener('click', () => changeOrder('pay'));
  ui.cancel.addEventListener('click', () => changeOrder('cancel'));
  window.addEventListener('hashchange', takeTokenFromFragment);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') {
      syncClock(RESYNC_SAMPLES, true);
    }
  });
  window.addEventListener('online', () => syncClock(RESYNC_SAMPLES, true));
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) {
      syncClock(RESYNC_SAMPLES, true);
    }
  });

  if (!takeTokenFromFragment()) {
    const stored = storage()?.getItem(TOKEN_KEY) ?? null;
    state.token = stored;
    state.shopper = stored ? subjectOf(stored) : null;
  }
  renderSignin();
  renderBuy();

  firstSync().then(() => setInterval(() => syncClock(RESYNC_SAMPLES, false), RESYNC_EVERY_MS));
  loadSale();
  // Frames keep the countdown smooth while the page is shown; the interval keeps it (and
  // data-remaining-ms) current when frames are throttled.
  requestAnimationFrame(frame);
  setInterval(tick, 100);
}

start();
