/**
 * The local cloud as tests and tools use it (see docs/local-cloud.md): {@link
 * dev.custodian.local.LocalCloud} started with {@link dev.custodian.local.LocalCloudOptions}, one
 * per test JVM through {@link dev.custodian.local.SharedLocalCloud}, the {@code java -jar} entry
 * point {@link dev.custodian.local.Main}, and the helpers the integration tests share: a signing
 * HTTP client ({@code ApiClient}), table counts and reach, metric lines, Lambda events, log capture
 * and the shop's local stand-ins (sample catalogue, payment provider, the {@code /_local/} routes).
 *
 * <p>The parts it wires live in sub-packages: {@code emulator}, {@code template}, {@code
 * resources}, {@code runtime}, {@code gateway}, {@code pollers} and {@code iam}.
 */
package dev.custodian.local;
