#!/bin/sh
# autogen.sh: regenerates the autotools build files (configure, Makefile.in) from a git checkout.
set -e
cd "$(dirname "$0")"
autopoint --force
autoreconf --force --install --verbose -Wall "$@"
