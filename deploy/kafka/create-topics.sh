#!/bin/sh
# Creates every Jiuzhu topic that does not exist yet: one topic per event type (CONTRACTS.md §6), listed in
# topics.txt, prefixed by KAFKA_TOPIC_PREFIX like the services prefix them. Safe to run again (--if-not-exists);
# an existing topic keeps its partition count.
#
# Runs in the apache/kafka image: the compose job `kafka-topics` and the Kubernetes job in deploy/k8s/.
#   KAFKA_BOOTSTRAP_SERVERS    broker list                              default kafka:9092
#   KAFKA_TOPIC_PREFIX         the deployment's topic prefix            default empty
#   TOPIC_PARTITIONS           partitions per topic                     default 12
#   TOPIC_REPLICATION_FACTOR   copies of each partition                 default 1 (single broker)
#   TOPIC_MIN_INSYNC_REPLICAS  min.insync.replicas (with acks=all)      default: the broker's
#   TOPICS_FILE                the topic list                           default topics.txt beside this script
#
# It connects as the services do (libs/kernel/connections.py), from the same variables:
#   KAFKA_SECURITY_PROTOCOL    PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL                    default PLAINTEXT
#   KAFKA_SASL_MECHANISM       PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, with KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD
#   KAFKA_SSL_CAFILE           PEM file of the CA the brokers' certificates are checked against (else the JVM's)
#   KAFKA_SSL_CERTFILE, KAFKA_SSL_KEYFILE, KAFKA_SSL_KEY_PASSWORD   a client certificate (PEM), for mutual TLS
#
# topics.txt is libs.contracts.events.catalogue.TOPICS, one per line (tests/deploy checks it). After adding an event
# type, regenerate it at the repository root (and its copy in deploy/k8s/kafka-topics-job.yaml):
#   python -c "from libs.contracts.events.catalogue import TOPICS; print(*TOPICS, sep='\n')" \
#       > deploy/kafka/topics.txt
set -eu

bootstrap="${KAFKA_BOOTSTRAP_SERVERS:-kafka:9092}"
prefix="${KAFKA_TOPIC_PREFIX:-}"
partitions="${TOPIC_PARTITIONS:-12}"
replication="${TOPIC_REPLICATION_FACTOR:-1}"
topics_file="${TOPICS_FILE:-$(dirname "$0")/topics.txt}"
kafka_topics="${KAFKA_TOPICS_BIN:-/opt/kafka/bin/kafka-topics.sh}"
protocol="${KAFKA_SECURITY_PROTOCOL:-PLAINTEXT}"

set --
if [ -n "${TOPIC_MIN_INSYNC_REPLICAS:-}" ]; then
    set -- --config "min.insync.replicas=${TOPIC_MIN_INSYNC_REPLICAS}"
fi

# The client properties of a secured cluster, written where only this job reads them (they hold the SASL password).
if [ "$protocol" != PLAINTEXT ]; then
    umask 077
    properties="$(mktemp "${TMPDIR:-/tmp}/kafka-client.XXXXXX")"
    trap 'rm -f "$properties" "$properties.pem"' EXIT
    echo "security.protocol=${protocol}" >"$properties"
    case "$protocol" in
    SASL_*)
        case "${KAFKA_SASL_MECHANISM:?KAFKA_SASL_MECHANISM is needed with $protocol}" in
        PLAIN) module=org.apache.kafka.common.security.plain.PlainLoginModule ;;
        SCRAM-SHA-256 | SCRAM-SHA-512) module=org.apache.kafka.common.security.scram.ScramLoginModule ;;
        *) echo "unknown KAFKA_SASL_MECHANISM ${KAFKA_SASL_MECHANISM}" >&2; exit 2 ;;
        esac
        user="${KAFKA_SASL_USERNAME:?KAFKA_SASL_USERNAME is needed with $protocol}"
        password="${KAFKA_SASL_PASSWORD:?KAFKA_SASL_PASSWORD is needed with $protocol}"
        # JAAS quotes: a backslash or a double quote in the password is escaped.
        password="$(printf '%s' "$password" | sed 's/[\\"]/\\&/g')"
        {
            printf 'sasl.mechanism=%s\n' "$KAFKA_SASL_MECHANISM"
            printf 'sasl.jaas.config=%s required username="%s" password="%s";\n' "$module" "$user" "$password"
        } >>"$properties"
        ;;
    esac
    if [ -n "${KAFKA_SSL_CAFILE:-}" ]; then
        printf 'ssl.truststore.type=PEM\nssl.truststore.location=%s\n' "$KAFKA_SSL_CAFILE" >>"$properties"
    fi
    if [ -n "${KAFKA_SSL_CERTFILE:-}" ]; then
        # A PEM key store is one file holding the key and the certificate chain.
        cat "${KAFKA_SSL_KEYFILE:-$KAFKA_SSL_CERTFILE}" "$KAFKA_SSL_CERTFILE" >"$properties.pem"
        printf 'ssl.keystore.type=PEM\nssl.keystore.location=%s\n' "$properties.pem" >>"$properties"
        if [ -n "${KAFKA_SSL_KEY_PASSWORD:-}" ]; then
            printf 'ssl.key.password=%s\n' "$KAFKA_SSL_KEY_PASSWORD" >>"$properties"
        fi
    fi
    set -- "$@" --command-config "$properties"
fi

while IFS= read -r topic || [ -n "$topic" ]; do
    case "$topic" in '' | '#'*) continue ;; esac
    echo "topic ${prefix}${topic}: ${partitions} partitions, replication ${replication}"
    # stdin from /dev/null: the tool must not swallow the rest of the list this loop is reading.
    "$kafka_topics" --bootstrap-server "$bootstrap" --create --if-not-exists \
        --topic "${prefix}${topic}" --partitions "$partitions" --replication-factor "$replication" "$@" </dev/null
done <"$topics_file"
echo "topics ready"
