package dev.custodian.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticSiteTest {

  @TempDir Path dir;

  private StaticSite site() throws IOException {
    Path web = dir.resolve("web");
    Files.createDirectories(web.resolve("privacy"));
    Files.createDirectories(web.resolve("orders"));
    Files.createDirectories(web.resolve("node_modules/x"));
    Files.writeString(web.resolve("index.html"), "<h1>shop</h1>");
    Files.writeString(web.resolve("privacy/index.html"), "<h1>privacy</h1>");
    Files.writeString(web.resolve("orders/index.html"), "<h1>order</h1>");
    Files.writeString(web.resolve("app.js"), "export {}");
    Files.writeString(web.resolve(".env"), "secret");
    Files.writeString(web.resolve("notes.txt"), "text");
    Files.writeString(web.resolve("node_modules/x/index.js"), "x");
    Files.writeString(dir.resolve("template.yaml"), "outside");
    return new StaticSite(web);
  }

  @Test
  void servesPagesAndAssetsWithTheirTypesAndAStrictPolicy() throws IOException {
    StaticSite site = site();
    StaticSite.File page = site.find("/").orElseThrow();
    assertThat(new String(page.body())).isEqualTo("<h1>shop</h1>");
    assertThat(page.headers()).containsEntry("content-type", "text/html; charset=utf-8");
    assertThat(page.headers().get("content-security-policy"))
        .contains("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'")
        .doesNotContain("unsafe-inline", "unsafe-eval");
    assertThat(site.find("/privacy/").orElseThrow().body()).asString().contains("privacy");
    assertThat(site.find("/privacy").orElseThrow().body()).asString().contains("privacy");
    assertThat(site.find("/app.js").orElseThrow().headers())
        .containsEntry("content-type", "text/javascript; charset=utf-8");
  }

  @Test
  void anOrderPathGetsTheOrderPage() throws IOException {
    assertThat(site().find("/orders/o_0123456789abcdef0123456789abcdef").orElseThrow().body())
        .asString()
        .contains("order");
    assertThat(site().find("/orders/not-an-order")).isEmpty();
  }

  @Test
  void nothingOutsideTheSiteHiddenOrOfAnUnknownTypeIsServed() throws IOException {
    StaticSite site = site();
    assertThat(site.find("/../template.yaml")).isEmpty();
    assertThat(site.find("/privacy/../../template.yaml")).isEmpty();
    assertThat(site.find("/.env")).isEmpty();
    assertThat(site.find("/node_modules/x/index.js")).isEmpty();
    assertThat(site.find("/notes.txt")).isEmpty();
    assertThat(site.find("/missing.js")).isEmpty();
    assertThat(site.find("/app.js\0.html")).isEmpty();
    assertThat(site.find("relative.js")).isEmpty();
  }
}
