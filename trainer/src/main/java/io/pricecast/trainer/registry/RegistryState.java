package io.pricecast.trainer.registry;

import io.pricecast.avro.ModelEvent;
import io.pricecast.avro.ModelEventKind;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry as read from the compacted {@code models} topic: every published version (with its bundle), the
 * active pointer, and the audit trail of promotions and rollbacks in the order they happened.
 *
 * @param published     PUBLISHED events by version, oldest first
 * @param active        the newest PROMOTED / ROLLED_BACK event, empty while the classpath default is active
 * @param audit         every PROMOTED / ROLLED_BACK event ever written, oldest first
 * @param defaultVersion the version active when no pointer exists (the classpath bundle)
 * @param defaultSha256 its content sha256
 */
public record RegistryState(
        Map<String, ModelEvent> published,
        Optional<ModelEvent> active,
        List<ModelEvent> audit,
        String defaultVersion,
        String defaultSha256) {

    /** The version new records are scored with. */
    public String activeVersion() {
        return active.map(ModelEvent::getVersion).orElse(defaultVersion);
    }

    /** Its content sha256. */
    public String activeSha256() {
        return active.map(ModelEvent::getSha256).orElse(defaultSha256);
    }

    /** The sha256 of a known version (published, or the default), if any. */
    public Optional<String> sha256Of(String version) {
        ModelEvent event = published.get(version);
        if (event != null) {
            return Optional.of(event.getSha256());
        }
        return version.equals(defaultVersion) ? Optional.of(defaultSha256) : Optional.empty();
    }

    /** Whether an audit event is a rollback. */
    public static boolean isRollback(ModelEvent event) {
        return event.getKind() == ModelEventKind.ROLLED_BACK;
    }
}
