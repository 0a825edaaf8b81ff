#!/bin/sh
# The distribution's script of the same name (compose's healthcheck calls it), without the tarball.
exec java -Dlog4j.configuration=file:/etc/kafka/docker/log4j.properties -cp '/opt/kafka/libs/*' kafka.admin.BrokerApiVersionsCommand "$@"
