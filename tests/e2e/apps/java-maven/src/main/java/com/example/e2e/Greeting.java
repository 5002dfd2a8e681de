package com.example.e2e;

/** The body of {@code GET /}. */
final class Greeting {
    static final String TEXT = "hello from java-maven e2e-v1\n";

    private Greeting() {}
}
