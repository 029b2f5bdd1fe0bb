# Lab — see README.md. Everything here runs as root on Debian 12 with the .NET 10 SDK installed.
#   make         build bin/lab (the web server and `lab` command, with the native lab-init helper beside it)
#   make run     install what is missing, build, serve on LAB_URLS (default http://127.0.0.1:5080)
#   make test    install what the tests need, run the whole suite, print "N passed, N failed"
#   make bench   benchmarks (bench/run)
#   make clean   remove build outputs and test results (keeps the image cache in .cache/)

SHELL := /bin/bash
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DEBIAN_FRONTEND := noninteractive

.PHONY: all build run test bench clean clean-images setup setup-test setup-bench restore-web check-build-tools

all: build

# dotnet publish is incremental, so this is cheap when nothing changed. The lab-init helper is compiled with
# gcc by an MSBuild target of Lab.Runtime and published beside bin/lab. bin/labs points at the course content
# and image recipes, so the server finds them beside itself here as in the Docker image (/opt/lab/labs).
build: check-build-tools
	dotnet publish src/Lab.Web -c Release -o bin --nologo
	ln -sfn ../labs bin/labs

check-build-tools:
	@command -v gcc >/dev/null || { echo "gcc is missing (needed for lab-init): run scripts/setup as root" >&2; exit 1; }
	@command -v dotnet >/dev/null || { echo "the .NET 10 SDK is missing: see README.md" >&2; exit 1; }

setup:
	@scripts/setup

setup-test:
	@scripts/setup --test

setup-bench:
	@scripts/setup --bench

# Front-end libraries (xterm.js ...) listed in libman.json, restored into wwwroot/lib.
restore-web:
	@if [ -x scripts/libman-restore ]; then scripts/libman-restore; fi

# LAB_DATA (default /var/lib/lab) and LAB_URLS (default http://127.0.0.1:5080) are read by bin/lab itself.
run: setup restore-web build
	bin/lab serve

test: setup-test restore-web
	@scripts/test

bench: setup-bench restore-web build
	bench/run

clean:
	rm -rf bin test-results
	rm -rf src/*/bin src/*/obj tests/*/bin tests/*/obj

# The base images built for tests (slow to rebuild: the lab-machine image runs debootstrap).
# --one-file-system: never follow a mount a killed build may have left inside.
clean-images:
	rm -rf --one-file-system .cache/images
