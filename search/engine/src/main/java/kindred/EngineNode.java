package kindred;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.elasticsearch.Build;
import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.plugins.PluginsLoader;

/**
 * One Elasticsearch node for development, tests and CI, started in-process from the
 * server jar on Maven Central. (Elastic publishes the server and its HTTP module there,
 * but not the distribution's launcher or its other modules.)
 *
 * <p>System properties: {@code kindred.port} (HTTP port, default 9201) and
 * {@code kindred.base} (data, logs and the generated node home; default
 * var/search-engine). The node binds 127.0.0.1 only and speaks plain HTTP (the server
 * jar has no security), uses single-node discovery, prints
 * {@code ready on http://127.0.0.1:PORT} once the cluster is yellow or green, and
 * closes cleanly on SIGTERM.
 *
 * <p>Modules are loaded the way the distribution loads them: one directory per module
 * under the node's home, holding its jars and a {@code plugin-descriptor.properties}.
 * The build puts them in target/engine/modules (next to target/engine/lib, where this
 * class's jar is); each start copies them into the home and writes the descriptors.
 * They are transport-netty4 (HTTP) and kindred (the analysis components Wagtail's index
 * settings use, and {@code GET /}; see {@code kindred.module.KindredModule}).
 */
public final class EngineNode {

    private static final Map<String, String> MODULES = Map.of(
        "transport-netty4", "org.elasticsearch.transport.netty4.Netty4Plugin",
        "kindred", "kindred.module.KindredModule"
    );

    private static final String LOG4J_CONFIG = String.join("\n",
        "status = error",
        "appender.console.type = Console",
        "appender.console.name = console",
        "appender.console.layout.type = PatternLayout",
        "appender.console.layout.pattern = [%d{ISO8601}][%-5p][%-25c{1.}] [%node_name]%marker %m%n",
        "rootLogger.level = info",
        "rootLogger.appenderRef.console.ref = console",
        ""
    );

    private EngineNode() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.getInteger("kindred.port", 9201);
        Path base = Path.of(System.getProperty("kindred.base", "var/search-engine")).toAbsolutePath().normalize();
        Path home = base.resolve("home");
        String nodeName = "kindred-" + port;

        Files.createDirectories(home.resolve("config"));
        Files.createDirectories(home.resolve("plugins"));
        installModules(builtModulesDir(), home.resolve("modules"));

        Settings settings = Settings.builder()
            .put("path.home", home.toString())
            .put("path.data", base.resolve("data").toString())
            .put("path.logs", base.resolve("logs").toString())
            .put("cluster.name", "kindred-dev")
            .put("node.name", nodeName)
            .put("network.host", "127.0.0.1")
            .put("http.port", port)
            // Node-to-node transport still binds; one node needs no fixed port for it.
            .put("transport.port", "0")
            .put("discovery.type", "single-node")
            // A developer's nearly full disk must not turn the indices read-only.
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .build();

        // Logs go to stdout (scripts/search-engine sends that to BASE/engine.log). Elasticsearch
        // then routes System.out through its logger; our own lines go to the original stream.
        PrintStream console = System.out;
        Files.writeString(home.resolve("config/log4j2.properties"), LOG4J_CONFIG);
        Environment environment = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> nodeName);
        LogConfigurator.registerErrorListener();
        LogConfigurator.setNodeName(nodeName);
        LogConfigurator.configure(environment, true);
        PluginsLoader plugins = PluginsLoader.createPluginsLoader(
            PluginsLoader.loadModulesBundles(environment.modulesDir(), false),
            PluginsLoader.loadPluginsBundles(environment.pluginsDir(), false),
            Map.of(),
            // The server's qualified exports exist only when it runs as a named module, not on a classpath.
            false
        );

        Node node = new Node(environment, plugins);
        // Elasticsearch's threads are daemons: this latch keeps the JVM up until SIGTERM (or
        // Ctrl-C) runs the shutdown hook, which closes the node so the data stays consistent.
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.prepareForClose();
                node.close();
                node.awaitClose(30, TimeUnit.SECONDS);
                console.println("kindred search engine: stopped");
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                closed.countDown();
            }
        }, "kindred-engine-close"));
        try {
            node.start();
            waitForHealth(port);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
        console.println("kindred search engine: Elasticsearch " + Build.current().version() + " ready on http://127.0.0.1:" + port);
        console.flush();
        closed.await();
    }

    /** target/engine/modules, beside target/engine/lib where this class's jar is. */
    private static Path builtModulesDir() throws URISyntaxException {
        Path jar = Path.of(EngineNode.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return jar.getParent().resolveSibling("modules");
    }

    private static void installModules(Path built, Path modules) throws IOException {
        if (Files.exists(modules)) {
            try (Stream<Path> old = Files.walk(modules)) {
                for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        String version = Build.current().version();
        for (Map.Entry<String, String> module : MODULES.entrySet()) {
            Path from = built.resolve(module.getKey());
            Path to = modules.resolve(module.getKey());
            Files.createDirectories(to);
            try (Stream<Path> jars = Files.list(from)) {
                for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                    Files.copy(jar, to.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            // No modulename: the server runs on the classpath, so modules load as classic plugins.
            Files.writeString(to.resolve("plugin-descriptor.properties"), String.join("\n",
                "description=" + module.getKey() + " (installed by kindred.EngineNode)",
                "version=" + version,
                "name=" + module.getKey(),
                "classname=" + module.getValue(),
                "java.version=21",
                "elasticsearch.version=" + version,
                ""
            ));
        }
    }

    private static void waitForHealth(int port) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/_cluster/health?wait_for_status=yellow&timeout=5s")
        ).timeout(Duration.ofSeconds(10)).build();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                String body = response.body();
                if (response.statusCode() == 200 && (body.contains("\"status\":\"green\"") || body.contains("\"status\":\"yellow\""))) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("cluster health did not reach yellow on port " + port);
    }
}
