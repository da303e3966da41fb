/*
 * DynamoDB Local on 127.0.0.1 only. DynamoDB Local has no option for the interface it listens on:
 * its DynamoDBProxyServer builds a Jetty Server from the port alone, whose connector then binds
 * every interface. This launcher builds the server from the same command line as DynamoDB Local's
 * own main (ServerRunner), sets each connector's host to 127.0.0.1 before anything is bound, and
 * starts it. bin/local/dynamodb-local.ts compiles it once (javac) and runs it instead of `-jar`.
 *
 * Telemetry is never set up here (ServerRunner's main would configure it, `-disableTelemetry` or
 * not), so the server has none to send.
 */
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

public final class LoopbackDynamoDbLocal {
  private static final String LOOPBACK = "127.0.0.1";

  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    Connector[] connectors = server.getConnectors();
    if (connectors.length == 0) {
      throw new IllegalStateException("DynamoDB Local's Jetty server has no connector to bind");
    }
    for (Connector connector : connectors) {
      // Only a network connector can be bound to a host; anything else would listen unchecked.
      if (!(connector instanceof ServerConnector)) {
        throw new IllegalStateException("unexpected connector " + connector.getClass().getName());
      }
      ((ServerConnector) connector).setHost(LOOPBACK);
    }
    proxy.start();
    proxy.join();
  }
}
