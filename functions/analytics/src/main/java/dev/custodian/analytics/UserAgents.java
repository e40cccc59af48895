package dev.custodian.analytics;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What analytics keeps of a user agent: a device class and a browser family, never the string
 * itself (it is detailed enough to help fingerprint a person). Bots are recognised so that their
 * visits are dropped.
 */
final class UserAgents {

  private static final Pattern BOT =
      Pattern.compile(
          "bot|crawl|spider|slurp|headless|lighthouse|facebookexternalhit|bingpreview|"
              + "pingdom|uptime|monitor|scrapy|python-requests|go-http-client|curl/|wget/");

  private UserAgents() {}

  static boolean isBot(String userAgent) {
    return userAgent == null
        || userAgent.isBlank()
        || BOT.matcher(userAgent.toLowerCase(Locale.ROOT)).find();
  }

  static String deviceClass(String userAgent) {
    String ua = userAgent == null ? "" : userAgent;
    if (ua.contains("iPad")
        || ua.contains("Tablet")
        || (ua.contains("Android") && !ua.contains("Mobile"))) {
      return "tablet";
    }
    if (ua.contains("Mobi") || ua.contains("iPhone") || ua.contains("Android")) {
      return "mobile";
    }
    return "desktop";
  }

  static String browserFamily(String userAgent) {
    String ua = userAgent == null ? "" : userAgent;
    if (ua.contains("Edg/")) {
      return "Edge";
    }
    if (ua.contains("OPR/") || ua.contains("Opera")) {
      return "Opera";
    }
    if (ua.contains("SamsungBrowser/")) {
      return "Samsung Internet";
    }
    if (ua.contains("Firefox/") || ua.contains("FxiOS/")) {
      return "Firefox";
    }
    if (ua.contains("Chrome/") || ua.contains("CriOS/")) {
      return "Chrome";
    }
    if (ua.contains("Safari/")) {
      return "Safari";
    }
    return "Other";
  }
}
