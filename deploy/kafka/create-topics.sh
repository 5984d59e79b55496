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

set --
if [ -n "${TOPIC_MIN_INSYNC_REPLICAS:-}" ]; then
    set -- --config "min.insync.replicas=${TOPIC_MIN_INSYNC_REPLICAS}"
fi

while IFS= read -r topic || [ -n "$topic" ]; do
    case "$topic" in '' | '#'*) continue ;; esac
    echo "topic ${prefix}${topic}: ${partitions} partitions, replication ${replication}"
    # stdin from /dev/null: the tool must not swallow the rest of the list this loop is reading.
    "$kafka_topics" --bootstrap-server "$bootstrap" --create --if-not-exists \
        --topic "${prefix}${topic}" --partitions "$partitions" --replication-factor "$replication" "$@" </dev/null
done <"$topics_file"
echo "topics ready"
