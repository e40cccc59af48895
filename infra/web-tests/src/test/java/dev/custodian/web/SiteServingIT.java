package dev.custodian.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.local.ApiClient;
import dev.custodian.local.SharedLocalCloud;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The local cloud serves web/ beside the API, as a shop would host it. */
class SiteServingIT {

  private final ApiClient api = new ApiClient(SharedLocalCloud.get().baseUri());

  @Test
  void pagesComeWithTheirTypeAndAStrictContentSecurityPolicy() {
    for (String path : new String[] {"/", "/privacy/", "/account/"}) {
      ApiClient.Response page = api.get(path, Map.of());
      assertThat(page.status()).as(path).isEqualTo(200);
      assertThat(page.header("content-type")).startsWith("text/html");
      assertThat(page.header("content-security-policy"))
          .contains("default-src 'self'", "script-src 'self'")
          .doesNotContain("unsafe-inline");
      assertThat(page.body())
          .doesNotContainPattern("<script(?![^>]*\\bsrc=)")
          .doesNotContain("style=");
    }
    assertThat(api.get("/custodian-client.js", Map.of()).header("content-type"))
        .startsWith("text/javascript");
    assertThat(api.get("/lang/de.json", Map.of()).status()).isEqualTo(200);
  }

  @Test
  void unknownPathsKeepTheGatewaysJsonNotFound() {
    ApiClient.Response unknown = api.get("/no/such/route", Map.of());
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body()).isEqualTo("{\"message\":\"Not Found\"}");
    assertThat(api.get("/../template.yaml", Map.of()).status()).isEqualTo(404);
    assertThat(api.post("/", Map.of(), Map.of()).status()).isEqualTo(404);
  }

  @Test
  void anOrderPathIsThePageForANavigationAndTheApiForAFetch() {
    String path = "/orders/o_0123456789abcdef0123456789abcdef";
    ApiClient.Response fetched = api.get(path, Map.of());
    assertThat(fetched.status()).isEqualTo(404);
    assertThat(fetched.header("content-type")).startsWith("application/json");
    ApiClient.Response navigated = api.get(path, Map.of("sec-fetch-mode", "navigate"));
    assertThat(navigated.status()).isEqualTo(200);
    assertThat(navigated.header("content-type")).startsWith("text/html");
    assertThat(navigated.body()).doesNotContain("o_0123456789abcdef0123456789abcdef");
    // A cache in front must not hand the page to a fetch, nor the API's answer to a navigation.
    assertThat(fetched.header("vary")).contains("Sec-Fetch-Mode");
    assertThat(navigated.header("vary")).contains("Sec-Fetch-Mode");
  }

  @Test
  void headOfAPageIsItsGetWithoutTheBody() {
    ApiClient.Response get = api.get("/privacy/", Map.of());
    ApiClient.Response head = api.send("HEAD", "/privacy/", null, Map.of());
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.header("content-type")).startsWith("text/html");
    assertThat(head.header("content-security-policy"))
        .isEqualTo(get.header("content-security-policy"));
    assertThat(head.header("content-length"))
        .isEqualTo(
            String.valueOf(get.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
    assertThat(head.body()).isEmpty();
  }

  @Test
  void pagesNameAnInlineIconSoBrowsersDoNotAskForFaviconIco() {
    String orderPage = "/orders/o_0123456789abcdef0123456789abcdef";
    for (String path : new String[] {"/", "/privacy/", "/account/", orderPage}) {
      assertThat(api.get(path, Map.of("sec-fetch-mode", "navigate")).body())
          .as(path)
          .contains("<link rel=\"icon\" href=\"data:,\">");
    }
    // The icon is an image: the pages' policy must allow data: images.
    assertThat(api.get("/", Map.of()).header("content-security-policy"))
        .contains("img-src 'self' data:");
  }
}
