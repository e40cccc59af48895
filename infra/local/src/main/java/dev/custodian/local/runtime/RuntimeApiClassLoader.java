package dev.custodian.local.runtime;

/**
 * The parent of every function's class loader. Like the Lambda runtime, it shares only the runtime
 * interfaces of aws-lambda-java-core ({@code Context}, {@code RequestHandler}, ...); everything
 * else a function uses must be in its own jar, so a dependency missing from a jar fails locally
 * too.
 */
final class RuntimeApiClassLoader extends ClassLoader {

  private static final String API_PACKAGE = "com.amazonaws.services.lambda.runtime.";

  private final ClassLoader api;

  RuntimeApiClassLoader(ClassLoader api) {
    super("lambda-runtime-api", ClassLoader.getPlatformClassLoader());
    this.api = api;
  }

  static boolean isRuntimeApi(String className) {
    if (!className.startsWith(API_PACKAGE)) {
      return false;
    }
    String rest = className.substring(API_PACKAGE.length());
    return rest.indexOf('.') < 0 || rest.startsWith("logging.");
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (isRuntimeApi(name)) {
      return api.loadClass(name);
    }
    return super.loadClass(name, resolve);
  }
}
