package com.example.e2e;

import com.google.gson.Gson;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Reports stock levels over HTTP with the JDK's built-in server. */
public final class Main {
    private static final Gson GSON = new Gson();
    private static final Map<String, Integer> STOCK = Map.of("apples", 12, "pears", 3);

    private Main() {}

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8141"));
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/healthz", ex -> respond(ex, "application/json", GSON.toJson(Map.of("status", "ok"))));
        server.createContext("/stock", ex -> respond(ex, "application/json", GSON.toJson(STOCK)));
        server.createContext("/", ex -> respond(ex, "text/plain", Greeting.TEXT));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0)));
        server.start();
        System.out.println("listening on " + port);
    }

    private static void respond(HttpExchange exchange, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
