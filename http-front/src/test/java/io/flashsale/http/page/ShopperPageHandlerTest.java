package io.flashsale.http.page;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The page as a CDN sees it: names, caching, revalidation, over real HTTP from a real server. */
class ShopperPageHandlerTest
{
    private static final Pattern ASSET = Pattern.compile("/assets/([a-z]+)\\.([0-9a-f]{12})\\.(js|css|svg)");

    private static PageServer server;

    @BeforeAll
    static void start()
    {
        server = PageServer.start();
    }

    @AfterAll
    static void stop()
    {
        server.close();
    }

    @Test
    void htmlIsShortLivedAndNamesEveryAssetByItsContentHash()
    {
        final HttpResponse<String> page = server.get("/", Map.of());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue(ShopperPageHandler.HTML_CACHE);
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'self'").contains("'sha256-");
        assertThat(page.body()).contains("<meta name=\"flashsale-mode\" content=\"demo\">").doesNotContain("{{");

        final Set<String> names = new LinkedHashSet<>();
        final Matcher matcher = ASSET.matcher(page.body());
        while (matcher.find())
        {
            names.add(matcher.group(1) + "." + matcher.group(3));
        }
        // app.js, app.css and the icon by <script>/<link>; clock.js and api.js through the import map.
        assertThat(names).containsExactlyInAnyOrderElementsOf(PageAssets.FILES);
        assertThat(page.body()).contains("\"/assets/clock.js\":\"/assets/clock.");
    }

    @Test
    void versionedAssetsAreImmutableForAYearAndAreTheFilesOfTheBuild() throws IOException
    {
        final Matcher matcher = ASSET.matcher(server.get("/", Map.of()).body());
        int seen = 0;
        while (matcher.find())
        {
            final HttpResponse<byte[]> asset = server.sendBytes(HttpRequest.newBuilder(server.uri(matcher.group())).GET());
            assertThat(asset.statusCode()).as(matcher.group()).isEqualTo(200);
            assertThat(asset.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
            assertThat(asset.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            final String name = matcher.group(1) + "." + matcher.group(3);
            assertThat(asset.headers().firstValue("Content-Type").orElseThrow())
                .startsWith(name.endsWith(".js") ? "text/javascript" : name.endsWith(".css") ? "text/css" : "image/svg+xml");
            final byte[] original = resource("web/assets/" + name);
            assertThat(asset.body()).isEqualTo(original);
            assertThat(PageAssets.versionedName(name, original)).isEqualTo(matcher.group().substring("/assets/".length()));
            seen++;
        }
        assertThat(seen).isGreaterThanOrEqualTo(PageAssets.FILES.size());
    }

    @Test
    void anUnknownAssetIsNotFoundAndNotCached()
    {
        for (final String path : new String[] {"/assets/app.000000000000.js", "/assets/app.js", "/assets/../web/index.html"})
        {
            final HttpResponse<String> missing = server.get(path, Map.of());
            assertThat(missing.statusCode()).as(path).isIn(400, 404);
            assertThat(missing.headers().firstValue("Cache-Control")).as(path).hasValue("no-store");
        }
    }

    @Test
    void theHtmlRevalidatesWithItsEtag()
    {
        final HttpResponse<String> first = server.get("/", Map.of());
        final String etag = first.headers().firstValue("ETag").orElseThrow();
        final HttpResponse<String> again = server.get("/", Map.of("If-None-Match", etag));
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(server.get("/", Map.of("If-None-Match", "\"something-else\"")).statusCode()).isEqualTo(200);
    }

    @Test
    void headAnswersTheHeadersWithoutTheBody()
    {
        final HttpResponse<String> head = server.send(HttpRequest.newBuilder(server.uri("/")).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(Long.parseLong(head.headers().firstValue("Content-Length").orElseThrow()))
            .isEqualTo(server.get("/", Map.of()).body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }

    @Test
    void onlyGetAndHeadReachThePage()
    {
        final HttpResponse<String> post = server.send(HttpRequest.newBuilder(server.uri("/")).POST(HttpRequest.BodyPublishers.ofString("x")));
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    @Test
    void everyOtherPathGoesToTheApi()
    {
        final HttpResponse<String> time = server.get("/api/time", Map.of());
        assertThat(time.statusCode()).isEqualTo(200);
        assertThat(PageServer.parse(time.body()).get("epochMillis").asLong()).isPositive();
        final HttpResponse<String> unknown = server.get("/no/such/thing", Map.of());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void currentSaleIsTheOneOnNowElseTheNextToStart()
    {
        try (PageServer fresh = PageServer.start())
        {
            final HttpResponse<String> none = fresh.get(ShopperPageHandler.CURRENT_SALE_PATH, Map.of());
            assertThat(none.statusCode()).isEqualTo(200);
            assertThat(PageServer.parse(none.body()).get("saleId").isNull()).isTrue();

            final Instant now = Instant.now();
            fresh.createSale("over", 1, now.minusSeconds(600), Duration.ofMinutes(5), 1, 60);
            final long later = fresh.createSale("later", 1, now.plusSeconds(7200), Duration.ofMinutes(5), 1, 60);
            final long sooner = fresh.createSale("sooner", 1, now.plusSeconds(3600), Duration.ofMinutes(5), 1, 60);
            assertThat(currentSaleOf(fresh)).isEqualTo(sooner).isNotEqualTo(later);

            final long on = fresh.createSale("on now", 1, now.minusSeconds(10), Duration.ofMinutes(5), 1, 60);
            final HttpResponse<String> current = fresh.get(ShopperPageHandler.CURRENT_SALE_PATH, Map.of());
            assertThat(current.headers().firstValue("Cache-Control")).hasValue(ShopperPageHandler.CURRENT_SALE_CACHE);
            assertThat(PageServer.parse(current.body()).get("saleId").asLong()).isEqualTo(on);
        }
    }

    @Test
    void shopModeTellsThePageToTakeTheHostShopsToken()
    {
        final String html = java.nio.charset.StandardCharsets.UTF_8.decode(PageAssets.load(false).html().body()).toString();
        assertThat(html).contains("<meta name=\"flashsale-mode\" content=\"shop\">");
    }

    private static long currentSaleOf(final PageServer target)
    {
        return PageServer.parse(target.get(ShopperPageHandler.CURRENT_SALE_PATH, Map.of()).body()).get("saleId").asLong();
    }

    private static byte[] resource(final String name) throws IOException
    {
        try (InputStream in = ShopperPageHandlerTest.class.getClassLoader().getResourceAsStream(name))
        {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }
}
