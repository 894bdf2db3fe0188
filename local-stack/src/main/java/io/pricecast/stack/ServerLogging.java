package io.pricecast.stack;

/** Logging configs written for the servers: everything to standard output, which goes to the component's log. */
final class ServerLogging {

    private ServerLogging() {}

    static String log4j2(String rootLevel) {
        return String.join(
                "\n",
                "status = warn",
                "appender.out.type = Console",
                "appender.out.name = out",
                "appender.out.layout.type = PatternLayout",
                "appender.out.layout.pattern = %d{ISO8601} %-5p [%c{1}] %m%n",
                "rootLogger.level = " + rootLevel,
                "rootLogger.appenderRef.out.ref = out",
                "logger.state.name = state.change.logger",
                "logger.state.level = WARN",
                "logger.request.name = kafka.request.logger",
                "logger.request.level = WARN",
                "");
    }

    static String logback() {
        return String.join(
                "\n",
                "<configuration scan=\"false\">",
                "  <appender name=\"out\" class=\"ch.qos.logback.core.ConsoleAppender\">",
                "    <encoder><pattern>%date{ISO8601} %-5level [%thread] %logger{1} %msg%n</pattern></encoder>",
                "  </appender>",
                "  <root level=\"INFO\"><appender-ref ref=\"out\"/></root>",
                "</configuration>",
                "");
    }
}
