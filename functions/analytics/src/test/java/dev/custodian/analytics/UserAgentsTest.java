package dev.custodian.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UserAgentsTest {

  private static final String IPHONE =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like"
          + " Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
  private static final String IPAD =
      "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)"
          + " Version/17.0 Safari/604.1";
  private static final String CHROME_DESKTOP =
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
          + " Chrome/131.0 Safari/537.36";
  private static final String EDGE = CHROME_DESKTOP + " Edg/131.0";
  private static final String FIREFOX_ANDROID =
      "Mozilla/5.0 (Android 14; Mobile; rv:131.0) Gecko/131.0 Firefox/131.0";

  @Test
  void devicesAndBrowsers_areReducedToAClassAndAFamily() {
    assertThat(UserAgents.deviceClass(IPHONE)).isEqualTo("mobile");
    assertThat(UserAgents.browserFamily(IPHONE)).isEqualTo("Safari");
    assertThat(UserAgents.deviceClass(IPAD)).isEqualTo("tablet");
    assertThat(UserAgents.deviceClass(CHROME_DESKTOP)).isEqualTo("desktop");
    assertThat(UserAgents.browserFamily(CHROME_DESKTOP)).isEqualTo("Chrome");
    assertThat(UserAgents.browserFamily(EDGE)).isEqualTo("Edge");
    assertThat(UserAgents.deviceClass(FIREFOX_ANDROID)).isEqualTo("mobile");
    assertThat(UserAgents.browserFamily(FIREFOX_ANDROID)).isEqualTo("Firefox");
    assertThat(UserAgents.browserFamily("SomethingElse/1.0")).isEqualTo("Other");
  }

  @Test
  void botsAndEmptyAgents_areBots_browsersAreNot() {
    assertThat(UserAgents.isBot("Mozilla/5.0 (compatible; Googlebot/2.1)")).isTrue();
    assertThat(UserAgents.isBot("Mozilla/5.0 HeadlessChrome/120.0")).isTrue();
    assertThat(UserAgents.isBot("curl/8.5.0")).isTrue();
    assertThat(UserAgents.isBot("")).isTrue();
    assertThat(UserAgents.isBot(null)).isTrue();
    assertThat(UserAgents.isBot(IPHONE)).isFalse();
    assertThat(UserAgents.isBot(CHROME_DESKTOP)).isFalse();
  }

  @Test
  void queryStringsAndFragments_areCutFromPaths() {
    assertThat(AnalyticsService.withoutQuery("/p?email=a%40b.c&t=1")).isEqualTo("/p");
    assertThat(AnalyticsService.withoutQuery("/p#token=abc")).isEqualTo("/p");
    assertThat(AnalyticsService.withoutQuery("/p#x?y")).isEqualTo("/p");
    assertThat(AnalyticsService.withoutQuery("/plain")).isEqualTo("/plain");
  }
}
