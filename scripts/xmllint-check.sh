#!/usr/bin/env bash
# Cross-check manifests with libxml2's validator, against the same official schemas lmspack
# embeds (schemas/<set>/), through the wrapper schemas in schemas/wrappers/.
#
#   scripts/xmllint-check.sh SET FILE...
#
# SET is one of: scorm12, scorm2004-4th, scorm2004-3rd, cmi5, tincan.
# Exit status: xmllint's (0 = every FILE valid, 3 = a FILE is invalid, 5 = the schema could
# not be compiled), or 2 for bad usage.
#
# What this second opinion covers (libxml2 2.9.14, XSD 1.0 only), checked on the fixtures in
# fixtures/manifests/:
#   * all five sets compile and accept the valid fixtures;
#   * SCORM 1.2: libxml2 does not report the Unique Particle Attribution violation of
#     imsmd_rootv1p2p1.xsd (which an XSD 1.0 processor should refuse; lmspack validates that set
#     in XSD 1.1 mode), so the set is usable. It prints a harmless
#     "ims_xml.xsd:1: namespace error : xml namespace URI cannot be the default namespace"
#     (ADL's ims_xml.xsd binds the XML namespace as its default namespace) and still loads the
#     file: xml:lang is validated;
#   * SCORM 2004 4th: it prints a parser warning "Skipping import of schema located at
#     'http://www.w3.org/2001/xml.xsd'": the wrapper has already imported the local xml.xsd,
#     so nothing is fetched (and --nonet forbids it anyway);
#   * NOT covered: dangling IDREFs (e.g. <organizations default="…"> naming no organization).
#     libxml2 does not check that an xs:IDREF matches an xs:ID; lmspack's in-process validator
#     does. Duplicate xs:ID values, enumerations, facets, content models, required attributes,
#     identity constraints (LOM's xs:unique) and strict/lax wildcards are checked by both.
#
# The instance's xsi:schemaLocation is not used: --schema names the schema, --nonet forbids
# network access.
set -euo pipefail

usage() {
    echo "usage: $0 {scorm12|scorm2004-4th|scorm2004-3rd|cmi5|tincan} FILE..." >&2
    exit 2
}

[ "$#" -ge 2 ] || usage
set_name=$1
shift

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
wrapper="$root/schemas/wrappers/$set_name.xsd"
case "$set_name" in
    scorm12 | scorm2004-4th | scorm2004-3rd | cmi5 | tincan) ;;
    *) usage ;;
esac
[ -f "$wrapper" ] || { echo "$0: missing $wrapper" >&2; exit 2; }

if ! command -v xmllint >/dev/null 2>&1; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        sudo="sudo"
    fi
    echo "$0: xmllint not found; installing Debian package libxml2-utils" >&2
    if ! $sudo apt-get install -y libxml2-utils >&2; then
        $sudo apt-get update >&2
        $sudo apt-get install -y libxml2-utils >&2
    fi
fi

exec xmllint --noout --nonet --schema "$wrapper" "$@"
