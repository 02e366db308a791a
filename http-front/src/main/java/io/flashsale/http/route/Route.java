package io.flashsale.http.route;

/**
 * Every route the server answers, by method and path template. The name is the metrics tag.
 * {@link #UNMATCHED} tags requests that matched no route (404 and 405).
 */
public enum Route
{
    TIME("GET", "/api/time"),
    SALE("GET", "/api/sales/{id}"),
    SALE_KEY("GET", "/api/sales/{id}/key"),
    PURCHASE("POST", "/api/sales/{id}/purchase"),
    ORDER("GET", "/api/orders/{id}"),
    PAY("POST", "/api/orders/{id}/pay"),
    CANCEL("POST", "/api/orders/{id}/cancel"),
    ADMIN_LIST_SALES("GET", "/admin/sales"),
    ADMIN_CREATE_SALE("POST", "/admin/sales"),
    ADMIN_SALE("GET", "/admin/sales/{id}"),
    /** Any order with its shopper's subject, read through the core. */
    ADMIN_ORDER("GET", "/admin/orders/{id}"),
    /** Turns a hot standby into the primary of a new epoch. */
    ADMIN_PROMOTE("POST", "/admin/replication/promote"),
    HEALTH_LIVE("GET", "/health/live"),
    HEALTH_READY("GET", "/health/ready"),
    METRICS("GET", "/metrics"),
    /** Demo mode only: mints a shopper token. */
    DEMO_TOKEN("POST", "/demo/token"),
    UNMATCHED("", "");

    final String method;
    final String template;
    final String[] segments;

    Route(final String method, final String template)
    {
        this.method = method;
        this.template = template;
        this.segments = template.length() <= 1 ? new String[0] : template.substring(1).split("/");
    }

    public String method()
    {
        return method;
    }

    public String template()
    {
        return template;
    }

    /** Routes that need the core (engine and ring), so they wait for readiness. */
    public boolean needsCore()
    {
        return template.startsWith("/api/sales") || template.startsWith("/api/orders") || template.startsWith("/admin") || this == DEMO_TOKEN;
    }

    /** The operator's routes: served by a core, never by an edge. */
    public boolean admin()
    {
        return template.startsWith("/admin");
    }

    public boolean demoOnly()
    {
        return this == DEMO_TOKEN;
    }
}
