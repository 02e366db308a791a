package io.flashsale.http.api;

import io.flashsale.engine.command.CommandType;
import io.flashsale.http.auth.Role;
import io.flashsale.http.body.BadRequest;
import io.flashsale.http.body.BodyReaders;
import io.flashsale.http.body.JsonFields;
import io.flashsale.http.body.ReadBody;
import io.flashsale.http.filter.AdmissionDraw;
import io.flashsale.http.filter.Authenticate;
import io.flashsale.http.filter.IdempotencyCheck;
import io.flashsale.http.filter.JournalSpaceGate;
import io.flashsale.http.filter.RateLimit;
import io.flashsale.http.filter.SaleGate;
import io.flashsale.http.filter.WriteGate;
import io.flashsale.http.publish.PublishCreateSale;
import io.flashsale.http.publish.PublishOrderCommand;
import io.flashsale.http.publish.PublishOrderInspection;
import io.flashsale.http.publish.PublishPurchase;
import io.flashsale.http.reply.LocalAnswers;
import io.flashsale.http.reply.Problem;
import io.flashsale.http.route.Route;
import io.flashsale.http.route.Router;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/**
 * The root handler and every route's chain, wired in this one class so that each path reads top
 * to bottom, cheapest step first. A purchase goes through these steps; each one either answers
 * and stops, or calls the next:
 *
 * <ol>
 *   <li>route ({@link #handleRequest}, {@link Router}): 404, 405, 400 for a bad id, 503 before the
 *       core is assembled; creates the request's {@link RequestState};</li>
 *   <li>auth ({@link Authenticate}): 401, 403;</li>
 *   <li>write gate ({@link WriteGate}, every state-changing route): 503 on a standby or a stalled primary;</li>
 *   <li>Idempotency-Key replay ({@link IdempotencyCheck}): 400 for a bad key, the original 201 for
 *       a repeated one;</li>
 *   <li>sale gate ({@link SaleGate}, from the published view): 404, 425, 410;</li>
 *   <li>rate limit ({@link RateLimit}, per IP and per shopper): 429;</li>
 *   <li>admission draw ({@link AdmissionDraw}): 503 not admitted;</li>
 *   <li>body ({@link ReadBody} with {@link BodyReaders#purchase}): 415, 413, 408, 400, 403 for a
 *       wrong purchase key;</li>
 *   <li>journal space ({@link JournalSpaceGate}): 503 journal-full while the journal's disk is
 *       nearly full (also in front of pay, cancel and create sale);</li>
 *   <li>publish ({@link PublishPurchase}): the in-flight cap (503), then the command goes through
 *       the {@link io.flashsale.http.bridge.CoreBridge} (503 when the ring is full or stopping);
 *       the answer is written when the result comes back, on the exchange's IO thread.</li>
 * </ol>
 *
 * The other routes use the same steps, fewer of them, as wired below; the reads that need no core
 * answer from {@link LocalAnswers}. Every answer goes out through {@code FrontContext.responses()}.
 *
 * <p>IO threads; built once per server, immutable after.
 */
public final class Api implements HttpHandler
{
    private static final System.Logger LOG = System.getLogger(Api.class.getName());

    private final FrontContext context;
    private final Router router;
    private final HttpHandler[] chains = new HttpHandler[Route.values().length];

    public Api(final FrontContext context)
    {
        this.context = context;
        this.router = new Router(context.demo());

        chains(Route.TIME, LocalAnswers.time(context));
        chains(Route.SALE, LocalAnswers.sale(context));
        chains(Route.SALE_KEY,
            shopper(new SaleGate(context, false,
            new RateLimit(context,
            LocalAnswers.purchaseKey(context)))));
        chains(Route.PURCHASE,
            shopper(new WriteGate(context,
            new IdempotencyCheck(context,
            new SaleGate(context, true,
            new RateLimit(context,
            new AdmissionDraw(context,
            new ReadBody(context, BodyReaders.purchase(context), false,
            new JournalSpaceGate(context,
            new PublishPurchase(context))))))))));
        chains(Route.ORDER,
            shopper(new RateLimit(context,
            new PublishOrderCommand(context, CommandType.QUERY_ORDER))));
        chains(Route.PAY,
            shopper(new WriteGate(context,
            new RateLimit(context,
            new ReadBody(context, BodyReaders.pay(), false,
            new JournalSpaceGate(context,
            new PublishOrderCommand(context, CommandType.PAY)))))));
        chains(Route.CANCEL,
            shopper(new WriteGate(context,
            new RateLimit(context,
            new ReadBody(context, BodyReaders.cancel(), true,
            new JournalSpaceGate(context,
            new PublishOrderCommand(context, CommandType.CANCEL)))))));
        chains(Route.ADMIN_LIST_SALES, admin(LocalAnswers.adminSales(context)));
        chains(Route.ADMIN_CREATE_SALE, admin(new WriteGate(context, new ReadBody(context, BodyReaders.newSale(), false,
            new JournalSpaceGate(context, new PublishCreateSale(context))))));
        chains(Route.ADMIN_SALE, admin(LocalAnswers.adminSale(context)));
        chains(Route.ADMIN_ORDER,
            admin(new PublishOrderInspection(context)));
        chains(Route.ADMIN_PROMOTE, admin(new io.flashsale.http.replication.AdminPromote(context)));
        chains(Route.HEALTH_LIVE, LocalAnswers.live(context));
        chains(Route.HEALTH_READY, LocalAnswers.ready(context));
        chains(Route.METRICS, LocalAnswers.metrics(context));
        chains(Route.DEMO_TOKEN, new ReadBody(context, BodyReaders.demoToken(), false, LocalAnswers.demoToken(context)));
    }

    private void chains(final Route route, final HttpHandler chain)
    {
        chains[route.ordinal()] = chain;
    }

    private HttpHandler shopper(final HttpHandler next)
    {
        return new Authenticate(context, Role.SHOPPER, next);
    }

    private HttpHandler admin(final HttpHandler next)
    {
        return context.adminRoutes() ? new Authenticate(context, Role.ADMIN, next) : LocalAnswers.adminOnCore(context);
    }

    @Override
    public void handleRequest(final HttpServerExchange exchange)
    {
        final long start = System.nanoTime();
        final Router.Match match = router.match(exchange.getRequestMethod().toString(), exchange.getRequestPath(), new Router.Match());
        final Route route = match.route == null ? Route.UNMATCHED : match.route;
        final RequestState request = new RequestState(exchange, route, match.id, start);
        exchange.putAttachment(RequestState.KEY, request);
        try
        {
            if (match.route == null)
            {
                if (match.allowed != null)
                {
                    exchange.getResponseHeaders().put(Headers.ALLOW, match.allowed);
                    context.responses().problem(request, Problem.METHOD_NOT_ALLOWED,
                        exchange.getRequestMethod() + " is not allowed here; allowed: " + match.allowed);
                }
                else
                {
                    context.responses().problem(request, Problem.NOT_FOUND, "no route for " + JsonFields.printable(exchange.getRequestPath()));
                }
                return;
            }
            if (match.badId != null)
            {
                context.responses().problem(request, Problem.INVALID,
                    "'" + JsonFields.printable(match.badId) + "' is not an id: ids are positive integers");
                return;
            }
            if (route.needsCore() && !context.bridge().isReady() && (context.adminRoutes() || !route.admin()))
            {
                context.responses().problem(request, context.bridge().notReadyProblem(), context.bridge().notReadyDetail(), 1);
                return;
            }
            chains[route.ordinal()].handleRequest(exchange);
        }
        catch (final BadRequest ex)
        {
            context.responses().problem(request, ex.problem, ex.getMessage());
        }
        catch (final Exception ex)
        {
            LOG.log(System.Logger.Level.ERROR, "handler failed on " + route, ex);
            if (!exchange.isResponseStarted())
            {
                context.responses().problem(request, Problem.INTERNAL_ERROR, "unexpected server error");
            }
        }
    }
}
