#!/bin/sh
# The image's default command: `python -m <module of JIUZHU_SERVICE> <arguments>`, `serve` when none are given.
#
#   run.sh                      -> python -m services.intake serve   (role from INTAKE_ROLE / JIUZHU_ROLE)
#   run.sh migrate              -> python -m services.intake migrate
#   run.sh replay --since ...   -> python -m services.intake replay --since ...
#
# JIUZHU_SERVICE is baked into the image from the SERVICE build argument (deploy/Dockerfile).
set -eu

case "${JIUZHU_SERVICE:-}" in
    gateway) module=gateway ;;
    console) module=console ;;
    intake | casework | matching | complaints | disbursement) module="services.${JIUZHU_SERVICE}" ;;
    *)
        echo "JIUZHU_SERVICE must be intake, casework, matching, complaints, disbursement, gateway or console" >&2
        exit 64
        ;;
esac

if [ "$#" -eq 0 ]; then
    set -- serve
fi
exec python -m "$module" "$@"
